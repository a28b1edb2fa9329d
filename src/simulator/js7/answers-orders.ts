/**
 * Order and workflow answers (JS7-NOTES §2.4–§2.6): `orders/overview/snapshot` (the ten buckets),
 * `orders` (OrderV list, states filter, compact), `workflows` (current and old versions, sync
 * states), `workflows/overview/snapshot` (2.7.3+) and `workflows/order_count`. All are derived
 * from the live model on each call.
 */
import type { AnswerContext } from './answers-controllers';
import { folderOf } from '../inventory';
import { type ControllerInventory, type OrderInventory, type OrderStateText, type SyncStateText, type WorkflowInventory } from './model';
import { iso } from './shapes';

export interface WorkflowIdFilter {
  path: string;
  versionId?: string;
}

export interface FolderFilter {
  folder: string;
  recursive?: boolean;
}

export interface OrdersFilterBody {
  controllerId: string;
  workflowIds?: WorkflowIdFilter[];
  folders?: FolderFilter[];
  orderIds?: string[];
  states?: string[];
  compact?: boolean;
  limit?: number;
  dateTo?: string;
}

/** The ten buckets of `OrdersSummary`, in the schema's order. */
export const ORDER_BUCKETS = ['pending', 'scheduled', 'inProgress', 'running', 'prompting', 'suspended', 'waiting', 'blocked', 'failed', 'terminated'] as const;
export type OrderBucket = (typeof ORDER_BUCKETS)[number];

/** The bucket an order counts in (`OrdersHelper.groupByStateClasses`, JS7-NOTES §2.4). */
export function bucketOf(state: OrderStateText): OrderBucket {
  switch (state) {
    case 'PENDING': return 'pending';
    case 'SCHEDULED': return 'scheduled';
    case 'BLOCKED': return 'blocked';
    case 'INPROGRESS': return 'inProgress';
    case 'RUNNING': return 'running';
    case 'PROMPTING': return 'prompting';
    case 'SUSPENDED': return 'suspended';
    case 'WAITING': return 'waiting';
    case 'FAILED': return 'failed';
    case 'FINISHED':
    case 'CANCELLED': return 'terminated';
  }
}

/** `OrderV.state.severity` (`OrdersHelper.severityByGroupedStates`). */
const ORDER_SEVERITY: Readonly<Record<OrderStateText, number>> = {
  PENDING: 10, SCHEDULED: 1, RUNNING: 0, INPROGRESS: 3, PROMPTING: 12, SUSPENDED: 5, FAILED: 2, WAITING: 8, BLOCKED: 7,
  CANCELLED: 2, FINISHED: 6,
};

export function orderStateObject(order: { state: OrderStateText; waitingReason?: string }): Record<string, unknown> {
  const object: Record<string, unknown> = { severity: ORDER_SEVERITY[order.state], _text: order.state };
  if (order.state === 'WAITING' && order.waitingReason) object._reason = order.waitingReason;
  return object;
}

export function emptySummary(): Record<OrderBucket, number> {
  return Object.fromEntries(ORDER_BUCKETS.map((b) => [b, 0])) as Record<OrderBucket, number>;
}

function inFolders(path: string, folders: readonly FolderFilter[] | undefined): boolean {
  if (!folders || folders.length === 0) return true;
  const folder = folderOf(path);
  return folders.some((f) => {
    const want = f.folder.length > 1 && f.folder.endsWith('/') ? f.folder.slice(0, -1) : f.folder;
    if (folder === want) return true;
    return f.recursive !== false && (want === '/' || folder.startsWith(`${want}/`));
  });
}

/**
 * A test for `workflowIds` (a path alone means all its versions), built once per request: the
 * exporter may name hundreds of workflows, and there are tens of thousands of orders.
 */
function workflowMatcher(ids: readonly WorkflowIdFilter[] | undefined): (path: string, versionId: string) => boolean {
  if (!ids || ids.length === 0) return () => true;
  const wanted = new Map<string, Set<string> | 'all'>();
  for (const id of ids) {
    const versions = wanted.get(id.path);
    if (id.versionId === undefined || id.versionId === '') wanted.set(id.path, 'all');
    else if (versions !== 'all') wanted.set(id.path, (versions ?? new Set<string>()).add(id.versionId));
  }
  return (path, versionId) => {
    const versions = wanted.get(path);
    return versions === 'all' || (versions !== undefined && versions.has(versionId));
  };
}

/** The orders of a filter body (workflowIds, folders, orderIds); states are applied by the caller. */
function selectOrders(controller: ControllerInventory, body: OrdersFilterBody): OrderInventory[] {
  const orderIds = Array.isArray(body.orderIds) && body.orderIds.length > 0 ? new Set(body.orderIds) : undefined;
  const matches = workflowMatcher(body.workflowIds);
  return controller.orders.filter((o) => {
    if (orderIds) return orderIds.has(o.orderId);
    return matches(o.workflowPath, o.versionId) && inFolders(o.workflowPath, body.folders);
  });
}

/** `orders/overview/snapshot`: counts per bucket; with `dateTo`, scheduled orders only until then. */
export function ordersSnapshot(ctx: AnswerContext, controller: ControllerInventory, body: OrdersFilterBody, until: number | undefined): object {
  const summary = emptySummary();
  for (const order of selectOrders(controller, body)) {
    if (order.state === 'SCHEDULED' && until !== undefined && (order.scheduledFor ?? 0) >= Math.max(until, ctx.now)) continue;
    summary[bucketOf(order.state)]++;
  }
  return { deliveryDate: iso(ctx.now), surveyDate: iso(ctx.now), orders: summary };
}

/** One OrderV; `compact` leaves out arguments (JS7-NOTES §2.5). */
export function orderObject(ctx: AnswerContext, controller: ControllerInventory, order: OrderInventory, compact: boolean, label: boolean): Record<string, unknown> {
  const object: Record<string, unknown> = {
    surveyDate: iso(ctx.now),
    orderId: order.orderId,
    workflowId: { path: order.workflowPath, versionId: order.versionId },
    state: orderStateObject(order),
    position: [order.position],
    positionString: String(order.position),
  };
  if (order.scheduledFor !== undefined) object.scheduledFor = order.scheduledFor;
  if (order.agentId !== undefined) {
    object.agentId = order.agentId;
    object.attachedState = { TYPE: 'Attached', agentName: controller.agents.find((a) => a.agentId === order.agentId)?.agentName ?? order.agentId };
  }
  if (order.question !== undefined) object.question = order.question;
  if (label) {
    const workflow = controller.workflows.find((w) => w.path === order.workflowPath && w.versionId === order.versionId);
    const job = workflow?.jobs[order.position];
    if (job) object.label = job;
  }
  object.isSuspendible = order.state !== 'SUSPENDED' && order.state !== 'FINISHED' && order.state !== 'CANCELLED';
  object.isResumable = order.state === 'SUSPENDED' || order.state === 'FAILED';
  object.isContinuable = order.state === 'WAITING';
  if (!compact) object.arguments = {};
  return object;
}

/**
 * `orders`: SUSPENDED selects suspended orders, the other states the orders in that state
 * (JS7-NOTES §2.5); `limit` defaults to 10000, -1 is unlimited; with `orderIds` there is no limit.
 */
export function ordersAnswer(ctx: AnswerContext, controller: ControllerInventory, body: OrdersFilterBody): object {
  const states = Array.isArray(body.states) && body.states.length > 0 ? new Set(body.states) : undefined;
  const limit = Array.isArray(body.orderIds) && body.orderIds.length > 0 ? -1 : toInt(body.limit, 10_000);
  const compact = body.compact === true || String(body.compact) === 'true';
  const label = Array.isArray(body.workflowIds) && body.workflowIds.length === 1;
  const out: Record<string, unknown>[] = [];
  for (const order of selectOrders(controller, body)) {
    if (states && !states.has(order.state)) continue;
    if (limit >= 0 && out.length >= limit) break;
    out.push(orderObject(ctx, controller, order, compact, label));
  }
  return { deliveryDate: iso(ctx.now), surveyDate: iso(ctx.now), orders: out };
}

export interface WorkflowsFilterBody {
  controllerId: string;
  workflowIds?: WorkflowIdFilter[];
  folders?: FolderFilter[];
  states?: string[];
  compact?: boolean;
}

/** `SyncStateHelper` severities (JS7-NOTES §2.6). */
const SYNC_SEVERITY: Readonly<Record<SyncStateText, number>> = {
  IN_SYNC: 6, NOT_IN_SYNC: 5, NOT_DEPLOYED: 4, SUSPENDED: 11, OUTSTANDING: 11, UNKNOWN: 2,
};

function workflowObject(controller: ControllerInventory, workflow: WorkflowInventory, compact: boolean): Record<string, unknown> {
  const object: Record<string, unknown> = {
    TYPE: 'Workflow',
    path: workflow.path,
    versionId: workflow.versionId,
    version: '1.7.2',
    timeZone: 'Etc/UTC',
    isCurrentVersion: workflow.current,
    versionDate: iso(workflow.versionDate),
    state: { severity: SYNC_SEVERITY[workflow.state], _text: workflow.state },
    suspended: workflow.state === 'SUSPENDED',
    numOfStoppedInstructions: 0,
    numOfSkippedInstructions: 0,
    valid: true,
    deployed: workflow.state !== 'NOT_DEPLOYED',
    hasAddOrderDependencies: false,
    hasExpectedNoticeBoards: false,
    hasPostNoticeBoards: false,
    hasConsumeNoticeBoards: false,
  };
  if (workflow.title) object.title = workflow.title;
  if (!compact) {
    const agent = controller.agents[0]?.agentName ?? 'agent';
    object.instructions = workflow.jobs.map((job, i) => ({ TYPE: 'Execute.Named', jobName: job, label: job, position: [i], positionString: String(i) }));
    object.jobs = Object.fromEntries(workflow.jobs.map((job) => [job, {
      agentName: agent, executable: { TYPE: 'ShellScriptExecutable', script: `echo ${job}` }, parallelism: 1, criticality: 'NORMAL',
    }]));
    object.jobResourceNames = [];
  }
  return object;
}

/** `workflows`: newest version first, old versions that hold orders included (`isCurrentVersion:false`). */
export function workflowsAnswer(ctx: AnswerContext, controller: ControllerInventory, body: WorkflowsFilterBody): object {
  const states = Array.isArray(body.states) && body.states.length > 0 ? new Set(body.states) : undefined;
  const compact = body.compact === true || String(body.compact) === 'true';
  const matches = workflowMatcher(body.workflowIds);
  const list = controller.workflows.filter((w) => matches(w.path, w.versionId)
    && inFolders(w.path, body.folders) && (!states || states.has(w.state)));
  return { deliveryDate: iso(ctx.now), surveyDate: iso(ctx.now), workflows: list.map((w) => workflowObject(controller, w, compact)) };
}

/** `workflows/overview/snapshot` (2.7.3+): current versions by state; NOT_DEPLOYED and UNKNOWN are not counted. */
export function workflowsSnapshot(ctx: AnswerContext, controller: ControllerInventory): object {
  const counts = { notSynchronized: 0, synchronized: 0, suspended: 0, outstanding: 0 };
  for (const w of controller.workflows) {
    if (!w.current) continue;
    if (w.state === 'IN_SYNC') counts.synchronized++;
    else if (w.state === 'NOT_IN_SYNC') counts.notSynchronized++;
    else if (w.state === 'SUSPENDED') counts.suspended++;
    else if (w.state === 'OUTSTANDING') counts.outstanding++;
  }
  return { deliveryDate: iso(ctx.now), surveyDate: iso(ctx.now), workflows: counts };
}

/** `workflows/order_count`: the buckets per requested workflow (all its versions that hold orders) and in all. */
export function workflowsOrderCount(ctx: AnswerContext, controller: ControllerInventory, body: { workflowIds?: WorkflowIdFilter[] }): object {
  const ids = Array.isArray(body.workflowIds) ? body.workflowIds : [];
  const all = emptySummary();
  const rows: Array<{ path: string; versionId: string; numOfOrders: Record<OrderBucket, number> }> = [];
  const byKey = new Map<string, Record<OrderBucket, number>>();
  const matches = workflowMatcher(ids);
  for (const w of controller.workflows) {
    if (!matches(w.path, w.versionId)) continue;
    const summary = emptySummary();
    byKey.set(`${w.path}\u0000${w.versionId}`, summary);
    rows.push({ path: w.path, versionId: w.versionId, numOfOrders: summary });
  }
  for (const order of controller.orders) {
    const summary = byKey.get(`${order.workflowPath}\u0000${order.versionId}`);
    if (!summary) continue;
    summary[bucketOf(order.state)]++;
    all[bucketOf(order.state)]++;
  }
  return { deliveryDate: iso(ctx.now), surveyDate: iso(ctx.now), workflows: rows, numOfAllOrders: all };
}

/** Whole numbers, also as text (JOC's loose types); else the default. */
export function toInt(value: unknown, fallback: number): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : fallback;
}
