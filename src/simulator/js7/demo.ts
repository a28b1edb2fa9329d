/**
 * Demo mode of the JS7 simulator: one `tickJs7` moves the model on a little, driven by a seeded
 * PRNG, so that an exporter polling it sees what a live JOC shows:
 * - orders move through their states; a RUNNING order runs a task (a history row without an end
 *   time, often across several polls), which ends successfully or, now and then, fails; finished
 *   orders are recycled as new scheduled ones, so the inventory keeps its size;
 * - a few history rows are written late: visible only some ticks after they ended, with their old
 *   start time (JOC's history service catching up);
 * - Agents and Subagents go away (shut down, or coupled with a connection problem) and come back
 *   (INITIALISED, RESTARTED first);
 * - a cluster Controller loses its passive node or fails over, then couples again;
 * - the JOC cluster switches its active member now and then, and a member's heartbeat lags;
 * - now and then a workflow is suspended (OUTSTANDING first) and later resumed;
 * - the daily plan submits orders, starts and finishes them (not those of workflows out of sync or
 *   suspended, which get late), and a new day gets a new plan.
 */
import type { Prng } from '../prng';
import { dailyPlan, makeOrder, setOrderState } from './generator';
import { endOrder, endTask, startOrderHistory, startTask } from './history';
import {
  utcDate, type AgentInventory, type ControllerInventory, type Js7Inventory, type OrderHistoryEntry, type OrderInventory,
  type SubagentInventory, type TaskHistoryEntry,
} from './model';

export interface TickOptions {
  /** How much later than its end a late history row becomes visible; default 10 s. */
  lateMs?: number;
}

export function tickJs7(inventory: Js7Inventory, rng: Prng, now: number, options: TickOptions = {}): void {
  const lateMs = options.lateMs ?? 10_000;
  moveJocs(inventory, rng);
  for (const controller of inventory.controllers) {
    moveCluster(controller, rng);
    for (const agent of controller.agents) moveAgent(agent, rng);
    moveWorkflows(controller, rng);
    const open = openRows(controller);
    for (let i = 0; i < controller.orders.length; i++) moveOrder(inventory, controller, open, i, rng, now, lateMs);
    movePlan(inventory, controller, rng, now);
  }
}

/** The rows without an end, by order id (the newest one of each), found once per tick. */
interface OpenRows {
  tasks: Map<string, TaskHistoryEntry>;
  orders: Map<string, OrderHistoryEntry>;
}

function openRows(controller: ControllerInventory): OpenRows {
  const open: OpenRows = { tasks: new Map(), orders: new Map() };
  for (const row of controller.taskHistory) if (row.endTime === undefined) open.tasks.set(row.orderId, row);
  for (const row of controller.orderHistory) if (row.endTime === undefined) open.orders.set(row.orderId, row);
  return open;
}

function jobOf(controller: ControllerInventory, order: OrderInventory): { job: string; last: boolean } {
  const workflow = controller.workflows.find((w) => w.path === order.workflowPath && w.versionId === order.versionId);
  const jobs = workflow?.jobs ?? ['job'];
  return { job: jobs[Math.min(order.position, jobs.length - 1)] ?? 'job', last: order.position >= jobs.length - 1 };
}

function beginTask(inventory: Js7Inventory, controller: ControllerInventory, open: OpenRows, order: OrderInventory, rng: Prng, now: number): void {
  if (!open.orders.has(order.orderId)) open.orders.set(order.orderId, startOrderHistory(inventory, controller, order.orderId, order.workflowPath, now));
  // About one task in twenty is written only after it ended, and late (see finishTask).
  const hidden = rng.chance(0.05) ? Number.MAX_SAFE_INTEGER : now;
  const task = startTask(inventory, controller, order.workflowPath, jobOf(controller, order).job, order.orderId, order.position, now, rng, hidden);
  open.tasks.set(order.orderId, task);
}

function finishTask(open: OpenRows, order: OrderInventory, failed: boolean, rng: Prng, now: number, lateMs: number): void {
  const task = open.tasks.get(order.orderId);
  if (!task) return;
  open.tasks.delete(order.orderId);
  endTask(task, now, failed, rng);
  if (task.writtenAt > now) task.writtenAt = now + lateMs;
}

function finishOrder(open: OpenRows, order: OrderInventory, failed: boolean, now: number): void {
  const row = open.orders.get(order.orderId);
  if (!row) return;
  open.orders.delete(order.orderId);
  endOrder(row, now, failed);
}

function moveOrder(
  inventory: Js7Inventory, controller: ControllerInventory, open: OpenRows, index: number, rng: Prng, now: number, lateMs: number,
): void {
  const order = controller.orders[index]!;
  if (!rng.chance(0.35)) return;
  const to = (state: OrderInventory['state']): void => setOrderState(controller, order, state, rng, now);
  switch (order.state) {
    case 'SCHEDULED':
    case 'BLOCKED':
    case 'PENDING':
      if (rng.chance(order.state === 'PENDING' ? 0.1 : order.state === 'BLOCKED' ? 0.4 : 0.3)) {
        to('RUNNING');
        beginTask(inventory, controller, open, order, rng, now);
      } else if (order.state === 'SCHEDULED' && rng.chance(0.05)) to('BLOCKED');
      return;
    case 'RUNNING': {
      const r = rng.next();
      if (r < 0.45) return; // still running: the task runs across polls
      const failed = r < 0.53;
      finishTask(open, order, failed, rng, now, lateMs);
      if (failed) {
        finishOrder(open, order, true, now);
        to('FAILED');
        return;
      }
      const { last } = jobOf(controller, order);
      if (last) {
        finishOrder(open, order, false, now);
        to('FINISHED');
        return;
      }
      order.position++;
      const next = rng.next();
      if (next < 0.6) {
        to('RUNNING');
        beginTask(inventory, controller, open, order, rng, now);
      } else if (next < 0.8) to('WAITING');
      else if (next < 0.88) to('INPROGRESS');
      else if (next < 0.93) to('PROMPTING');
      else to('SUSPENDED');
      return;
    }
    case 'WAITING':
    case 'INPROGRESS':
    case 'PROMPTING':
    case 'SUSPENDED':
      // A prompt waits for a person, a suspended order for someone to resume it: they stay longer.
      if (rng.chance(order.state === 'PROMPTING' ? 0.05 : order.state === 'SUSPENDED' ? 0.15 : 0.4)) {
        to('RUNNING');
        beginTask(inventory, controller, open, order, rng, now);
      }
      return;
    case 'FAILED':
      if (rng.chance(0.1)) to('CANCELLED');
      return;
    case 'FINISHED':
    case 'CANCELLED': {
      if (!rng.chance(0.3)) return;
      const workflow = controller.workflows.find((w) => w.path === order.workflowPath && w.versionId === order.versionId && w.current)
        ?? controller.workflows.find((w) => w.current && w.state !== 'NOT_DEPLOYED');
      // Mostly with a start time; now and then without one (PENDING), so that every bucket keeps orders.
      if (workflow) controller.orders[index] = makeOrder(inventory, controller, workflow, rng.chance(0.1) ? 'PENDING' : 'SCHEDULED', rng, now);
      return;
    }
  }
}

function moveAgent(agent: AgentInventory, rng: Prng): void {
  if (agent.subagents) {
    for (const s of agent.subagents) moveSubagent(s, rng);
    return;
  }
  const next = nextAgentState(agent.state ?? 'UNKNOWN', agent.problem !== undefined, rng);
  if (!next) return;
  agent.state = next.state;
  agent.problem = next.problem;
  agent.reason = next.reason;
}

function moveSubagent(s: SubagentInventory, rng: Prng): void {
  const next = nextAgentState(s.state, s.problem !== undefined, rng);
  if (!next) return;
  s.state = next.state;
  s.problem = next.problem;
  s.reason = next.reason;
}

type AgentStep = { state: AgentInventory['state'] & string; problem?: { severity: number; message: string }; reason?: 'RESTARTED' };

/** Coupled → (rarely) shut down or coupled with a problem → back via INITIALISED (RESTARTED) → coupled. */
function nextAgentState(state: string, problem: boolean, rng: Prng): AgentStep | undefined {
  if (state === 'COUPLED' && !problem) {
    if (!rng.chance(0.02)) return undefined;
    return rng.chance(0.5)
      ? { state: 'SHUTDOWN' }
      : { state: 'COUPLED', problem: { severity: 2, message: 'java.net.ConnectException: Connection refused' } };
  }
  if (state === 'INITIALISED' || state === 'RESETTING') return rng.chance(0.6) ? { state: 'COUPLED' } : undefined;
  if (!rng.chance(0.3)) return undefined;
  return problem ? { state: 'COUPLED' } : { state: 'INITIALISED', reason: 'RESTARTED' };
}

/** Coupled → PassiveLost or FailedOver → PreparedToBeCoupled → Coupled. */
function moveCluster(controller: ControllerInventory, rng: Prng): void {
  if (!controller.clusterState) return;
  const [a, b] = controller.nodes;
  if (!a || !b) return;
  const active = a.active ? a : b;
  const passive = a.active ? b : a;
  switch (controller.clusterState) {
    case 'Coupled':
      if (rng.chance(0.015)) {
        passive.reachable = false;
        controller.clusterState = 'PassiveLost';
      } else if (rng.chance(0.01)) {
        active.reachable = false;
        active.active = false;
        passive.active = true;
        controller.clusterState = 'FailedOver';
      }
      return;
    case 'PassiveLost':
    case 'FailedOver':
      if (rng.chance(0.3)) {
        a.reachable = true;
        b.reachable = true;
        controller.clusterState = 'PreparedToBeCoupled';
      }
      return;
    case 'PreparedToBeCoupled':
      if (rng.chance(0.5)) controller.clusterState = 'Coupled';
      return;
    default:
      return;
  }
}

/** Rarely the active JOC member hands over to another; heartbeats are mostly fresh, sometimes late. */
function moveJocs(inventory: Js7Inventory, rng: Prng): void {
  const members = inventory.jocs;
  if (members.length > 1 && rng.chance(0.005)) {
    const active = members.findIndex((m) => m.active);
    members.forEach((m, i) => { m.active = i === (active + 1) % members.length; });
  }
  for (const m of members) {
    if (m.current) continue;
    m.heartbeatAgeMs = rng.chance(0.03) ? rng.int(32_000, 90_000) : rng.int(1_000, 20_000);
  }
}

function moveWorkflows(controller: ControllerInventory, rng: Prng): void {
  for (const w of controller.workflows) {
    if (!w.current) continue;
    if (w.state === 'IN_SYNC' && rng.chance(0.005)) w.state = 'OUTSTANDING';
    else if (w.state === 'OUTSTANDING' && rng.chance(0.5)) w.state = 'SUSPENDED';
    else if (w.state === 'SUSPENDED' && rng.chance(0.1)) w.state = 'IN_SYNC';
  }
}

function movePlan(inventory: Js7Inventory, controller: ControllerInventory, rng: Prng, now: number): void {
  const today = utcDate(now);
  if (!controller.dailyPlan.some((p) => p.dailyPlanDate === today)) {
    controller.dailyPlan = [...controller.dailyPlan.filter((p) => p.dailyPlanDate >= utcDate(now - 86_400_000)), ...dailyPlan(inventory, controller, rng, 40, now)];
  }
  // Orders of a workflow that is not in sync are not submitted, and those of a suspended one do not start: they get late.
  const stateOf = new Map(controller.workflows.filter((w) => w.current).map((w) => [w.path, w.state]));
  for (const p of controller.dailyPlan) {
    const state = stateOf.get(p.workflowPath);
    if (p.state === 'PLANNED' && state !== 'NOT_IN_SYNC' && p.plannedStart < now + 2 * 3_600_000 && rng.chance(0.3)) p.state = 'SUBMITTED';
    else if (p.state === 'SUBMITTED' && !p.started && state === 'IN_SYNC' && p.plannedStart <= now && rng.chance(0.5)) p.started = true;
    else if (p.state === 'SUBMITTED' && p.started && rng.chance(0.3)) p.state = 'FINISHED';
  }
}
