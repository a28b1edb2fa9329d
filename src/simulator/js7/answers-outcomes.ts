/**
 * Agents, history and the daily plan (JS7-NOTES §2.3, §2.7, §2.8): `agents` (standalone Agents
 * with a state, cluster Agents with a health state and Subagents), `tasks/history` and
 * `orders/history` (rows of the reporting database, newest start first), the two
 * `orders/overview/summary` and `jobs/overview/summary` counters and `daily_plan/orders/summary`.
 */
import type { AnswerContext } from './answers-controllers';
import { parseJocDate } from './dates';
import { orderObject, orderStateObject, toInt } from './answers-orders';
import type {
  AgentInventory, AgentStateText, ControllerInventory, HistoryStateText, OrderHistoryEntry, SubagentInventory, TaskHistoryEntry,
} from './model';
import { atLeast } from './versions';
import { iso } from './shapes';

const AGENT_SEVERITY: Readonly<Record<AgentStateText, number>> = { COUPLED: 0, RESETTING: 1, INITIALISED: 1, SHUTDOWN: 2, UNKNOWN: 4 };

/** The state object; a connection problem's severity replaces that of COUPLED, RESETTING and INITIALISED. */
function agentStateObject(state: AgentStateText, problem: { severity: number } | undefined, reason: string | undefined): Record<string, unknown> {
  const replaced = problem && (state === 'COUPLED' || state === 'RESETTING' || state === 'INITIALISED');
  const object: Record<string, unknown> = { severity: replaced ? problem.severity : AGENT_SEVERITY[state], _text: state };
  if (state === 'INITIALISED' && reason) object._reason = reason;
  return object;
}

function usable(s: SubagentInventory): boolean {
  return s.state === 'COUPLED' && !s.disabled && !s.problem;
}

/** `healthState` of a cluster Agent from its Subagents. */
export function healthStateOf(agent: AgentInventory): { severity: number; _text: string } {
  const subagents = agent.subagents ?? [];
  if (subagents.length === 0) return { severity: 4, _text: 'UNKNOWN' };
  const ok = subagents.filter(usable).length;
  if (ok === subagents.length) return { severity: 0, _text: 'ALL_SUBAGENTS_ARE_COUPLED_AND_ENABLED' };
  if (ok > 0) return { severity: 1, _text: 'ONLY_SOME_SUBAGENTS_ARE_COUPLED_AND_ENABLED' };
  return { severity: 2, _text: 'NO_SUBAGENTS_ARE_COUPLED_AND_ENABLED' };
}

function runningTasks(controller: ControllerInventory, agentId: string): number {
  let n = 0;
  for (const o of controller.orders) if (o.state === 'RUNNING' && o.agentId === agentId) n++;
  return n;
}

function agentObject(ctx: AnswerContext, controller: ControllerInventory, agent: AgentInventory, compact: boolean): Record<string, unknown> {
  const object: Record<string, unknown> = {
    controllerId: controller.controllerId,
    agentId: agent.agentId,
    agentName: agent.agentName,
    version: agent.version,
    disabled: agent.disabled,
    runningTasks: runningTasks(controller, agent.agentId),
  };
  if (agent.processLimit !== undefined) object.processLimit = agent.processLimit;
  // Without compact, the orders being processed on the Agent (JS7-NOTES §2.3).
  if (!compact) {
    object.orders = controller.orders.filter((o) => o.state === 'RUNNING' && o.agentId === agent.agentId).map((o) => orderObject(ctx, controller, o, true, false));
  }
  if (agent.subagents) {
    object.healthState = healthStateOf(agent);
    // The director cluster's state (2.7+); the two directors are coupled when both are usable.
    if (atLeast(ctx.version, '2.7.0')) {
      const directors = agent.subagents.filter((s) => s.isDirector !== 'NO_DIRECTOR');
      object.clusterState = directors.length > 1 && directors.every(usable) ? { severity: 0, _text: 'ClusterCoupled' } : { severity: 1, _text: 'ClusterPassiveLost' };
    }
    if (atLeast(ctx.version, '2.8.0')) object.forceFailoverConfirmation = false;
    object.subagents = agent.subagents.map((s) => {
      const sub: Record<string, unknown> = {
        agentId: agent.agentId, subagentId: s.subagentId, url: s.url, version: agent.version,
        state: agentStateObject(s.state, s.problem, s.reason), isDirector: s.isDirector, disabled: s.disabled, runningTasks: 0,
      };
      if (s.isDirector !== 'NO_DIRECTOR') sub.clusterNodeState = s.isDirector === 'PRIMARY_DIRECTOR' ? { severity: 0, _text: 'active' } : { severity: 1, _text: 'inactive' };
      if (s.problem) sub.errorMessage = s.problem.message;
      return sub;
    });
  } else {
    object.url = agent.url;
    object.state = agentStateObject(agent.state ?? 'UNKNOWN', agent.problem, agent.reason);
    if (agent.problem) object.errorMessage = agent.problem.message;
  }
  return object;
}

export interface AgentsFilterBody {
  controllerId: string;
  compact?: boolean;
  agentIds?: string[];
  states?: string[];
}

/** `agents`: with `compact` (default false) no orders; `flat` is accepted and changes nothing here. */
export function agentsAnswer(ctx: AnswerContext, controller: ControllerInventory, body: AgentsFilterBody): object {
  const ids = Array.isArray(body.agentIds) && body.agentIds.length > 0 ? new Set(body.agentIds) : undefined;
  const compact = body.compact === true || String(body.compact) === 'true';
  const states = Array.isArray(body.states) && body.states.length > 0 ? new Set(body.states) : undefined;
  const agents = controller.agents
    .filter((a) => !ids || ids.has(a.agentId))
    .map((a) => agentObject(ctx, controller, a, compact))
    .filter((a) => !states || (a.state !== undefined && states.has((a.state as { _text: string })._text)));
  return { deliveryDate: iso(ctx.now), surveyDate: iso(ctx.now), agents };
}

export interface HistoryFilterBody {
  controllerId?: string;
  dateFrom?: string;
  dateTo?: string;
  completedDateFrom?: string;
  completedDateTo?: string;
  timeZone?: string;
  historyStates?: string[];
  limit?: number;
  taskIds?: number[];
  historyIds?: Array<number | { historyId: number }>;
  workflowPath?: string;
  jobName?: string;
}

interface Window {
  from?: number;
  to?: number;
  completedFrom?: number;
  completedTo?: number;
}

function windowOf(ctx: AnswerContext, body: HistoryFilterBody, intoPast: boolean): Window {
  const zone = typeof body.timeZone === 'string' ? body.timeZone : undefined;
  return {
    from: parseJocDate(body.dateFrom, ctx.now, intoPast, zone),
    to: parseJocDate(body.dateTo, ctx.now, intoPast, zone),
    completedFrom: parseJocDate(body.completedDateFrom, ctx.now, intoPast, zone),
    completedTo: parseJocDate(body.completedDateTo, ctx.now, intoPast, zone),
  };
}

/** A row is in the window: visible (written), started in [from, to), ended in [completedFrom, completedTo). */
function inWindow(ctx: AnswerContext, row: { startTime: number; endTime?: number; writtenAt: number; state: HistoryStateText }, w: Window, states?: Set<string>): boolean {
  if (row.writtenAt > ctx.now) return false;
  if (w.from !== undefined && row.startTime < w.from) return false;
  if (w.to !== undefined && row.startTime >= w.to) return false;
  if (w.completedFrom !== undefined && (row.endTime === undefined || row.endTime < w.completedFrom)) return false;
  if (w.completedTo !== undefined && (row.endTime === undefined || row.endTime >= w.completedTo)) return false;
  return !states || states.has(row.state);
}

const HISTORY_SEVERITY: Readonly<Record<HistoryStateText, number>> = { SUCCESSFUL: 0, INCOMPLETE: 1, FAILED: 2 };

function historyState(state: HistoryStateText): { severity: number; _text: HistoryStateText } {
  return { severity: HISTORY_SEVERITY[state], _text: state };
}

function limited<T>(rows: T[], limit: number): T[] {
  return limit >= 0 ? rows.slice(0, limit) : rows;
}

function taskItem(ctx: AnswerContext, controllerId: string, row: TaskHistoryEntry): Record<string, unknown> {
  const item: Record<string, unknown> = {
    surveyDate: iso(ctx.now), controllerId, job: row.job, label: row.job, workflow: row.workflow, orderId: row.orderId,
    startTime: iso(row.startTime), position: String(row.position), sequence: row.position + 1, retryCounter: 0,
    state: historyState(row.state), criticality: row.criticality, taskId: row.taskId, agentUrl: row.agentUrl,
  };
  if (row.endTime !== undefined) item.endTime = iso(row.endTime);
  if (row.exitCode !== undefined) item.exitCode = row.exitCode;
  if (row.state === 'FAILED' && row.errorMessage) item.error = { code: '', message: row.errorMessage };
  return item;
}

/** `tasks/history` over the given Controllers; `taskIds` ignore every other filter but the limit. */
export function taskHistoryAnswer(ctx: AnswerContext, controllers: readonly ControllerInventory[], body: HistoryFilterBody): object {
  const w = windowOf(ctx, body, false);
  const states = Array.isArray(body.historyStates) && body.historyStates.length > 0 ? new Set(body.historyStates) : undefined;
  const taskIds = Array.isArray(body.taskIds) && body.taskIds.length > 0 ? new Set(body.taskIds.map(Number)) : undefined;
  const rows: Array<[string, TaskHistoryEntry]> = [];
  for (const c of controllers) {
    for (const row of c.taskHistory) {
      if (taskIds) {
        if (taskIds.has(row.taskId) && row.writtenAt <= ctx.now) rows.push([c.controllerId, row]);
        continue;
      }
      if (body.workflowPath && row.workflow !== body.workflowPath) continue;
      if (body.jobName && row.job !== body.jobName) continue;
      if (inWindow(ctx, row, w, states)) rows.push([c.controllerId, row]);
    }
  }
  rows.sort((a, b) => b[1].startTime - a[1].startTime || b[1].taskId - a[1].taskId);
  return { deliveryDate: iso(ctx.now), history: limited(rows, toInt(body.limit, 10_000)).map(([id, row]) => taskItem(ctx, id, row)) };
}

function orderItem(ctx: AnswerContext, controllerId: string, row: OrderHistoryEntry): Record<string, unknown> {
  const item: Record<string, unknown> = {
    surveyDate: iso(ctx.now), controllerId, orderId: row.orderId, workflow: row.workflow, startTime: iso(row.startTime),
    plannedTime: iso(row.plannedTime), position: String(row.position), sequence: 0, state: historyState(row.state),
    orderState: orderStateObject({ state: row.orderState }), historyId: row.historyId,
  };
  if (row.endTime !== undefined) item.endTime = iso(row.endTime);
  return item;
}

/** `orders/history` (main orders) over the given Controllers. */
export function orderHistoryAnswer(ctx: AnswerContext, controllers: readonly ControllerInventory[], body: HistoryFilterBody): object {
  const w = windowOf(ctx, body, false);
  const states = Array.isArray(body.historyStates) && body.historyStates.length > 0 ? new Set(body.historyStates) : undefined;
  const ids = Array.isArray(body.historyIds) && body.historyIds.length > 0
    ? new Set(body.historyIds.map((h) => Number(typeof h === 'object' && h !== null ? h.historyId : h)))
    : undefined;
  const rows: Array<[string, OrderHistoryEntry]> = [];
  for (const c of controllers) {
    for (const row of c.orderHistory) {
      if (ids) {
        if (ids.has(row.historyId) && row.writtenAt <= ctx.now) rows.push([c.controllerId, row]);
        continue;
      }
      if (body.workflowPath && row.workflow !== body.workflowPath) continue;
      if (inWindow(ctx, row, w, states)) rows.push([c.controllerId, row]);
    }
  }
  rows.sort((a, b) => b[1].startTime - a[1].startTime || b[1].historyId - a[1].historyId);
  return { deliveryDate: iso(ctx.now), history: limited(rows, toInt(body.limit, 10_000)).map(([id, row]) => orderItem(ctx, id, row)) };
}

function countOutcomes(ctx: AnswerContext, rows: Iterable<{ startTime: number; endTime?: number; writtenAt: number; state: HistoryStateText }>, w: Window): { successful: number; failed: number } {
  let successful = 0;
  let failed = 0;
  for (const row of rows) {
    if (!inWindow(ctx, row, w)) continue;
    if (row.state === 'SUCCESSFUL') successful++;
    else if (row.state === 'FAILED') failed++;
  }
  return { successful, failed };
}

/** `orders/overview/summary`: SUCCESSFUL and FAILED main orders; positive relative dates count into the past. */
export function ordersSummaryAnswer(ctx: AnswerContext, controllers: readonly ControllerInventory[], body: HistoryFilterBody): object {
  const w = windowOf(ctx, body, true);
  return { deliveryDate: iso(ctx.now), surveyDate: iso(ctx.now), orders: countOutcomes(ctx, controllers.flatMap((c) => c.orderHistory), w) };
}

/** `jobs/overview/summary`: task counts; relative dates are taken as they are ("1d" is tomorrow). */
export function jobsSummaryAnswer(ctx: AnswerContext, controllers: readonly ControllerInventory[], body: HistoryFilterBody): object {
  const w = windowOf(ctx, body, false);
  return { deliveryDate: iso(ctx.now), surveyDate: iso(ctx.now), jobs: countOutcomes(ctx, controllers.flatMap((c) => c.taskHistory), w) };
}

export interface DailyPlanFilterBody {
  controllerIds?: string[];
  dailyPlanDateFrom: string;
  dailyPlanDateTo?: string;
}

/**
 * `daily_plan/orders/summary` (JS7-NOTES §2.8): no deliveryDate. Each order is counted once, as
 * JOC 2.8 splits them: an order that has not started is late once its planned start is past; one
 * that started is late when it started more than 60 s after it, which the model's orders never
 * do (they hold no start time); finished orders are not split.
 */
export function dailyPlanSummaryAnswer(ctx: AnswerContext, controllers: readonly ControllerInventory[], body: DailyPlanFilterBody): object {
  const from = String(body.dailyPlanDateFrom);
  const to = typeof body.dailyPlanDateTo === 'string' && body.dailyPlanDateTo !== '' ? body.dailyPlanDateTo : from;
  const summary = { submitted: 0, submittedLate: 0, planned: 0, plannedLate: 0, finished: 0 };
  for (const c of controllers) {
    for (const p of c.dailyPlan) {
      if (p.dailyPlanDate < from || p.dailyPlanDate > to) continue;
      const past = p.plannedStart < ctx.now;
      if (p.state === 'FINISHED') summary.finished++;
      else if (p.state === 'PLANNED') summary[past ? 'plannedLate' : 'planned']++;
      else summary[past && !p.started ? 'submittedLate' : 'submitted']++;
    }
  }
  return summary;
}
