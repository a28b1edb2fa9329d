/**
 * Writing the reporting database's history rows (model.ts): a task or an order history row starts
 * INCOMPLETE without an end time and is ended later (tasks that run across polls), and a row can
 * be written late (`writtenAt` after its start), as JOC's history service does when it catches
 * up after an outage. Rows are kept, newest last; the answers sort them as JOC does.
 */
import type { Prng } from '../prng';
import { nextId, type ControllerInventory, type Js7Inventory, type OrderHistoryEntry, type TaskHistoryEntry } from './model';

/** How many rows of each history a Controller keeps; older ones are dropped (JOC's cleanup). */
export const MAX_HISTORY_ROWS = 20_000;

export function startTask(
  inventory: Js7Inventory, controller: ControllerInventory, workflow: string, job: string, orderId: string, position: number,
  startTime: number, rng: Prng, writtenAt = startTime,
): TaskHistoryEntry {
  const agents = controller.agents;
  const agent = agents.length > 0 ? rng.pick(agents) : undefined;
  const agentUrl = agent?.url ?? agent?.subagents?.[0]?.url ?? 'http://agent.example:4445';
  const entry: TaskHistoryEntry = {
    taskId: nextId(inventory), workflow, job, orderId, position, startTime, state: 'INCOMPLETE', agentUrl,
    criticality: rng.chance(0.1) ? 'CRITICAL' : 'NORMAL', writtenAt,
  };
  controller.taskHistory.push(entry);
  trim(controller.taskHistory);
  return entry;
}

export function endTask(entry: TaskHistoryEntry, endTime: number, failed: boolean, rng: Prng): void {
  entry.endTime = Math.max(endTime, entry.startTime);
  entry.state = failed ? 'FAILED' : 'SUCCESSFUL';
  entry.exitCode = failed ? rng.pick([1, 2, 3, 127]) : 0;
  if (failed) entry.errorMessage = `Process terminated with exit code ${entry.exitCode}`;
}

export function startOrderHistory(
  inventory: Js7Inventory, controller: ControllerInventory, orderId: string, workflow: string, startTime: number, writtenAt = startTime,
): OrderHistoryEntry {
  const entry: OrderHistoryEntry = {
    historyId: nextId(inventory), orderId, workflow, plannedTime: startTime, startTime, state: 'INCOMPLETE', orderState: 'RUNNING',
    position: 0, writtenAt,
  };
  controller.orderHistory.push(entry);
  trim(controller.orderHistory);
  return entry;
}

export function endOrder(entry: OrderHistoryEntry, endTime: number, failed: boolean): void {
  entry.endTime = Math.max(endTime, entry.startTime);
  entry.state = failed ? 'FAILED' : 'SUCCESSFUL';
  entry.orderState = failed ? 'FAILED' : 'FINISHED';
}

function trim(rows: unknown[]): void {
  if (rows.length > MAX_HISTORY_ROWS) rows.splice(0, rows.length - MAX_HISTORY_ROWS);
}
