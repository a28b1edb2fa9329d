/**
 * `tasks/history` and `orders/history` of JOC 1.13 (V1-HISTORY-NOTES §1.2-1.5): the filter
 * precedence (ids first, then dates and the rest), start-time windows (`dateFrom` inclusive,
 * `dateTo` exclusive), newest start first without a tie-breaker, the limit (default 10000, <= 0
 * unlimited), states computed from the row, and child orders nested into their parent (and
 * dropped when the parent is not in the result).
 */
import type { SchedulerInventory } from './inventory';
import { parseJocDate } from './dates';
import { inFolders, type FolderFilter } from './filters';
import { CHILD_ORDER_ID, visibleEnd, type OrderHistoryRow, type TaskHistoryRow } from './history-store';
import { iso } from './shapes';

const DEFAULT_LIMIT = 10_000;

type HistoryStateText = 'SUCCESSFUL' | 'INCOMPLETE' | 'FAILED';
const SEVERITY: Readonly<Record<HistoryStateText, number>> = { SUCCESSFUL: 0, INCOMPLETE: 1, FAILED: 2 };

export interface TasksHistoryBody {
  jobschedulerId: string;
  taskIds?: number[];
  dateFrom?: string;
  dateTo?: string;
  timeZone?: string;
  limit?: number;
  historyStates?: HistoryStateText[];
  jobs?: { job: string }[];
  excludeJobs?: { job: string }[];
  folders?: FolderFilter[];
}

export interface OrdersHistoryBody {
  jobschedulerId: string;
  historyIds?: number[];
  dateFrom?: string;
  dateTo?: string;
  timeZone?: string;
  limit?: number;
  historyStates?: HistoryStateText[];
  orders?: { jobChain: string; orderId?: string }[];
  folders?: FolderFilter[];
}

interface Window {
  from?: number;
  to?: number;
}

function windowOf(body: { dateFrom?: string; dateTo?: string; timeZone?: string }, now: number): Window {
  const window: Window = {};
  if (body.dateFrom !== undefined) window.from = parseJocDate(body.dateFrom, now, 'dateFrom', body.timeZone);
  if (body.dateTo !== undefined) window.to = parseJocDate(body.dateTo, now, 'dateTo', body.timeZone);
  return window;
}

function inWindow(start: number, window: Window): boolean {
  return (window.from === undefined || start >= window.from) && (window.to === undefined || start < window.to);
}

/** Newest start first; equal starts in an order that varies (the SQL has no tie-breaker). */
function byStartDesc<T extends { start: number; id: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.start - a.start || ((a.id * 2654435761) % 97) - ((b.id * 2654435761) % 97));
}

function limited<T>(rows: T[], limit: number | undefined): T[] {
  const n = limit ?? DEFAULT_LIMIT;
  return n > 0 ? rows.slice(0, n) : rows;
}

/** A job path filter: a leading "/" is an exact name, anything else a suffix ('%' a wildcard). */
function jobMatcher(value: string): (name: string) => boolean {
  if (value.startsWith('/')) return (name) => name === value;
  const re = new RegExp(`${value.split('%').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (name) => re.test(name);
}

function taskState(row: TaskHistoryRow, now: number): HistoryStateText {
  if (visibleEnd(row, now) !== 'ended') return 'INCOMPLETE';
  return row.failed ? 'FAILED' : 'SUCCESSFUL';
}

export function tasksHistoryAnswer(scheduler: SchedulerInventory, body: TasksHistoryBody, now: number): object {
  const rows = (scheduler.taskHistory ?? []).filter((row) => visibleEnd(row, now) !== 'absent');
  let picked: TaskHistoryRow[];
  if (body.taskIds && body.taskIds.length > 0) {
    const ids = new Set(body.taskIds);
    picked = rows.filter((row) => ids.has(row.id));
  } else {
    const window = windowOf(body, now);
    const states = body.historyStates && body.historyStates.length > 0 ? new Set(body.historyStates) : undefined;
    const jobs = body.jobs && body.jobs.length > 0 ? body.jobs.map((j) => jobMatcher(j.job)) : undefined;
    const excluded = new Set((jobs ? [] : body.excludeJobs ?? []).map((j) => j.job));
    const folders = jobs ? undefined : body.folders;
    picked = rows.filter((row) =>
      inWindow(row.start, window)
      && (!states || states.has(taskState(row, now)))
      && (!jobs || jobs.some((m) => m(row.job)))
      && !excluded.has(row.job)
      && inFolders(row.job, folders));
  }
  const history = limited(byStartDesc(picked), body.limit).map((row) => taskItem(scheduler, row, now));
  return { deliveryDate: iso(now), history };
}

function taskItem(scheduler: SchedulerInventory, row: TaskHistoryRow, now: number): object {
  const state = taskState(row, now);
  const ended = state !== 'INCOMPLETE';
  return {
    surveyDate: iso(row.visibleAt ?? row.start),
    jobschedulerId: scheduler.jobschedulerId,
    job: row.job,
    startTime: iso(row.start),
    ...(ended ? { endTime: iso(row.end!) } : {}),
    state: { severity: SEVERITY[state], _text: state },
    taskId: String(row.id),
    criticality: row.criticality ?? 'normal',
    clusterMember: `${scheduler.jobschedulerId}-primary`,
    // 0 while the task runs (the placeholder of the TaskStarted insert)
    exitCode: ended ? row.exitCode : 0,
    ...(ended && row.failed ? { error: { code: 'SCHEDULER-280', message: row.errorText ?? `Process terminated with exit code ${row.exitCode}` } } : {}),
    ...(row.agent ? { agent: row.agent } : {}),
  };
}

function orderState(row: OrderHistoryRow, now: number): HistoryStateText {
  if (visibleEnd(row, now) !== 'ended') return 'INCOMPLETE';
  return row.resultError && !/success/i.test(row.node) ? 'FAILED' : 'SUCCESSFUL';
}

/** The DB's state filter: no "success" node rule (V1-HISTORY-NOTES §1.4). */
function orderDbState(row: OrderHistoryRow, now: number): HistoryStateText {
  if (visibleEnd(row, now) !== 'ended') return 'INCOMPLETE';
  return row.resultError ? 'FAILED' : 'SUCCESSFUL';
}

export function ordersHistoryAnswer(scheduler: SchedulerInventory, body: OrdersHistoryBody, now: number): object {
  const rows = (scheduler.orderHistory ?? []).filter((row) => visibleEnd(row, now) !== 'absent');
  let picked: OrderHistoryRow[];
  if (body.historyIds && body.historyIds.length > 0) {
    const ids = new Set(body.historyIds);
    picked = rows.filter((row) => ids.has(row.id));
  } else {
    const window = windowOf(body, now);
    const states = body.historyStates && body.historyStates.length > 0 ? new Set(body.historyStates) : undefined;
    const orders = body.orders && body.orders.length > 0 ? body.orders : undefined;
    picked = rows.filter((row) =>
      inWindow(row.start, window)
      && (!states || states.has(orderDbState(row, now)))
      && (!orders || orders.some((o) => o.jobChain === row.jobChain && (o.orderId === undefined || o.orderId === row.orderId)))
      && inFolders(row.jobChain, body.folders));
  }
  // limit first, then nesting: children (which start later) wait for their parent's row
  const rowsOut = limited(byStartDesc(picked), body.limit);
  const items = new Map<number, { item: Record<string, unknown>; children: object[] }>();
  const waiting = new Map<number, object[]>();
  const top: Array<Record<string, unknown>> = [];
  for (const row of rowsOut) {
    const item = orderItem(scheduler, row, now);
    const parent = CHILD_ORDER_ID.exec(row.orderId);
    if (parent) {
      const parentId = Number(parent[1]);
      const list = waiting.get(parentId) ?? [];
      list.push(item);
      waiting.set(parentId, list);
      continue;
    }
    const children = waiting.get(row.id) ?? [];
    waiting.delete(row.id);
    items.set(row.id, { item, children });
    top.push(item);
  }
  for (const { item, children } of items.values()) if (children.length > 0) item.children = children.reverse();
  // children whose parent is not in the result are dropped, as JOC does
  return { deliveryDate: iso(now), history: top };
}

function orderItem(scheduler: SchedulerInventory, row: OrderHistoryRow, now: number): Record<string, unknown> {
  const state = orderState(row, now);
  return {
    surveyDate: iso(row.visibleAt ?? row.start),
    jobschedulerId: scheduler.jobschedulerId,
    path: `${row.jobChain},${row.orderId}`,
    orderId: row.orderId,
    jobChain: row.jobChain,
    startTime: iso(row.start),
    ...(state !== 'INCOMPLETE' ? { endTime: iso(row.end!) } : {}),
    node: row.node,
    state: { severity: SEVERITY[state], _text: state },
    historyId: String(row.id),
  };
}
