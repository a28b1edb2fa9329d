/**
 * JOC-shaped answers built from the inventory: `jobscheduler/ids`, `orders/overview/snapshot`,
 * `orders`, `jobs/overview/snapshot`, `jobscheduler/cluster/members` (jobs and job chains are in
 * answers-jobs.ts). MOXy-like (NOTES §1): undefined fields are left out, enum values are the Java
 * constant names, except `clusterType._type` which is written in the schema's lower case.
 * `deliveryDate` is the answer time, `surveyDate` the time the simulated Master was read.
 */
import {
  JOBS_SUMMARY_BUCKET,
  MASTER_STATE_SEVERITY,
  ORDER_STATE_CATEGORY,
  ORDER_STATE_SEVERITY,
  ORDERS_SUMMARY_KEY_OF,
  ORDERS_SUMMARY_KEYS,
  type JobsSummaryKey,
  type OrdersSummaryKey,
} from '../joc/v1/enums';
import {
  activeMaster, folderOf, groupBy, masterUrl, orderJobLookup, orderPath,
  type Inventory, type OrderInventory, type SchedulerInventory,
} from './inventory';
import { inFolders, matches, pathRegex, type JobChainsFilterBody, type OrdersFilterBody } from './filters';
import { iso } from './shapes';

export type Json = Record<string, unknown>;
export type OrdersSummary = Record<OrdersSummaryKey, number>;

/**
 * Drops undefined members (MOXy omits null fields): a copy of `o` without them, in the same order.
 * (A copy, not `delete`: deleting turns an object into a slow dictionary, for every later step.)
 */
export function compactJson<T extends Json>(o: T): T {
  const out: Json = {};
  for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}

/** Counts orders per summary key; all six keys present (NOTES §5.2). */
export function summarizeOrders(orders: readonly OrderInventory[]): OrdersSummary {
  const summary = Object.fromEntries(ORDERS_SUMMARY_KEYS.map((k) => [k, 0])) as OrdersSummary;
  for (const o of orders) summary[ORDERS_SUMMARY_KEY_OF[ORDER_STATE_CATEGORY[o.processingState]]]++;
  return summary;
}

/** A stable number for scripted orders that carry no ids. */
export function stableNumber(text: string, base = 100000): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return base + ((h >>> 0) % 900000);
}

export function idsAnswer(inventory: Inventory, now: number): Json {
  const ids = inventory.schedulers.map((s) => s.jobschedulerId);
  const selected = inventory.selected ?? ids[0] ?? '';
  const sel = inventory.schedulers.find((s) => s.jobschedulerId === selected);
  const passive = sel?.masters.some((m) => m.clusterType === 'passive') ?? false;
  return compactJson({
    deliveryDate: iso(now),
    jobschedulerIds: ids,
    selected,
    precedence: passive && sel ? activeMaster(sel)?.precedence : undefined,
  });
}

/** The items with the listed paths, in the order of the list, each once (unknown paths are left out). */
export function listedByPath<T extends { path: string }>(items: readonly T[], paths: readonly string[]): T[] {
  const byPath = groupBy(items, (item) => item.path);
  return [...new Set(paths.flatMap((p) => byPath.get(p) ?? []))];
}

/** The job chains a jobChainsFilter selects (jobChains list, else folders/regex/job filter; states). */
export function selectJobChains(scheduler: SchedulerInventory, body: JobChainsFilterBody): SchedulerInventory['jobChains'] {
  let chains = scheduler.jobChains;
  if (body.jobChains && body.jobChains.length > 0) {
    chains = listedByPath(chains, body.jobChains.map((c) => c.jobChain));
  } else {
    const re = pathRegex(body.regex);
    chains = chains.filter((c) => inFolders(c.path, body.folders) && matches(re, c.path));
    if (body.job && (body.job.regex || body.job.folders)) {
      const jobRe = pathRegex(body.job.regex);
      const jobFolders = body.job.folders;
      chains = chains.filter((c) => c.nodes.some((n) => inFolders(n.job, jobFolders) && matches(jobRe, n.job)));
    }
  }
  if (body.states && body.states.length > 0) chains = chains.filter((c) => body.states!.includes(c.state));
  return chains;
}

export function ordersSnapshot(scheduler: SchedulerInventory, body: JobChainsFilterBody, survey: number, now: number): Json {
  const chains = new Set(selectJobChains(scheduler, body).map((c) => c.path));
  const orders = scheduler.orders.filter((o) => chains.has(o.jobChain));
  return { deliveryDate: iso(now), surveyDate: iso(survey), orders: summarizeOrders(orders) };
}

/** `/orders` selection, including the quirk of NOTES §5.1/§8.5: with `orders`, regex, processingStates and runTimeIsTemporary are ignored. */
export function selectOrders(scheduler: SchedulerInventory, body: OrdersFilterBody): OrderInventory[] {
  let orders = scheduler.orders.filter((o) => inFolders(o.jobChain, body.folders));
  if (body.orders && body.orders.length > 0) {
    const hit = listedOrder(body.orders);
    orders = orders.filter(hit);
  } else {
    const re = pathRegex(body.regex);
    const states = body.processingStates;
    orders = orders.filter((o) => (re === undefined || re.test(orderPath(o)))
      && (!states || states.length === 0 || states.includes(ORDER_STATE_CATEGORY[o.processingState]))
      && (body.runTimeIsTemporary === undefined || (o.runTimeIsTemporary ?? false) === body.runTimeIsTemporary));
  }
  if (body.types && body.types.length > 0) orders = orders.filter((o) => body.types!.includes(o.type));
  if (body.excludeOrders && body.excludeOrders.length > 0) {
    const hit = listedOrder(body.excludeOrders);
    orders = orders.filter((o) => !hit(o));
  }
  return orders;
}

/** Is an order in `list` (its job chain, and its id unless the entry names none)? Indexed once per list. */
function listedOrder(list: readonly { jobChain: string; orderId?: string }[]): (o: OrderInventory) => boolean {
  const ids = new Map<string, Set<string> | 'all'>();
  for (const { jobChain, orderId } of list) {
    const known = ids.get(jobChain);
    if (orderId === undefined || orderId === '') ids.set(jobChain, 'all');
    else if (known !== 'all') ids.set(jobChain, (known ?? new Set<string>()).add(orderId));
  }
  return (o) => {
    const known = ids.get(o.jobChain);
    return known === 'all' || (known !== undefined && known.has(o.orderId));
  };
}

export function ordersAnswer(scheduler: SchedulerInventory, body: OrdersFilterBody, survey: number, now: number): Json {
  const compact = body.compact ?? false;
  const views = orderViews(scheduler, survey);
  return { deliveryDate: iso(now), orders: selectOrders(scheduler, body).map((o) => orderV(views, o, compact)) };
}

/** What `orderV` needs of the scheduler and the survey, worked out once per answer. */
export interface OrderViews {
  readonly survey: number;
  readonly surveyDate: string;
  readonly jobOf: (order: OrderInventory) => string | undefined;
  /** `processedBy` of running and blacklisted orders. */
  readonly processedBy: string | undefined;
}

export function orderViews(scheduler: SchedulerInventory, survey: number): OrderViews {
  const master = activeMaster(scheduler);
  return { survey, surveyDate: iso(survey), jobOf: orderJobLookup(scheduler), processedBy: master ? masterUrl(master) : undefined };
}

/**
 * OrderV (order/order_v-schema.json, NOTES §5.1). Compact: only the core fields. Otherwise also the
 * fields of the order's processing state: nextStartTime (pending, JOB_NOT_IN_PERIOD, NODE_DELAY),
 * historyId/startedAt (all but pending), taskId/inProcessSince/processedBy (running),
 * processedBy (blacklist), setback, lock, processClass. Built field by field, in the order of the
 * answer, leaving out what is undefined: the answer may hold 100,000 of them.
 */
export function orderV(views: OrderViews, order: OrderInventory, compact: boolean): Json {
  const { survey } = views;
  const text = order.processingState;
  const processingState: Json = { severity: ORDER_STATE_SEVERITY[text], _text: text };
  if (text === 'SUSPENDED' || text === 'JOB_STOPPED') processingState.manually = order.manually ?? false;
  const key = orderPath(order);
  const v: Json = {
    surveyDate: views.surveyDate, path: key, orderId: order.orderId, jobChain: order.jobChain, _type: order.type, state: order.node,
  };
  if (order.title !== undefined) v.title = order.title;
  v.processingState = processingState;
  const job = views.jobOf(order);
  if (job !== undefined) v.job = job;
  v.runTimeIsTemporary = order.runTimeIsTemporary ?? false;
  if (compact) return v;
  const startedAt = order.startedAt ?? survey - 120_000;
  const folder = (): string => {
    const f = folderOf(order.jobChain);
    return f === '/' ? '' : f;
  };
  v.priority = 0;
  if (text === 'PENDING' || text === 'JOB_NOT_IN_PERIOD' || text === 'NODE_DELAY') {
    v.nextStartTime = iso(order.nextStartTime ?? survey + 600_000);
  }
  if (text !== 'PENDING') {
    v.historyId = String(order.historyId ?? stableNumber(key));
    v.startedAt = iso(startedAt);
  }
  if (text === 'RUNNING') {
    v.taskId = String(order.taskId ?? stableNumber(`${key}#task`));
    v.inProcessSince = iso(order.inProcessSince ?? startedAt);
  }
  if ((text === 'RUNNING' || text === 'BLACKLIST') && views.processedBy !== undefined) v.processedBy = views.processedBy;
  if (text === 'SETBACK') v.setback = iso(order.setback ?? survey + 300_000);
  if (text === 'WAITING_FOR_LOCK') v.lock = `${folder()}/shared_lock`;
  if (text === 'WAITING_FOR_PROCESS' || text === 'WAITING_FOR_AGENT') v.processClass = `${folder()}/agent_cluster`;
  return v;
}

export function jobsSnapshot(scheduler: SchedulerInventory, survey: number, now: number): Json {
  const jobs: Record<JobsSummaryKey, number> = { pending: 0, running: 0, stopped: 0, waitingForResource: 0, tasks: 0, queuedTasks: 0 };
  for (const job of scheduler.jobs) {
    const bucket = JOBS_SUMMARY_BUCKET[job.state];
    if (bucket) jobs[bucket]++;
    jobs.tasks += job.runningTasks;
    jobs.queuedTasks += job.queuedTasks;
  }
  return { deliveryDate: iso(now), surveyDate: iso(survey), jobs };
}

/** JobSchedulerV per member (NOTES §5.9): an unreachable member is still listed, without surveyDate/startedAt. */
export function clusterMembers(schedulers: readonly SchedulerInventory[], survey: number, now: number): Json {
  const masters = schedulers.flatMap((s) => s.masters.map((m) => {
    const unreachable = (s.connection ?? 'ok') !== 'ok' || m.state === 'UNREACHABLE';
    const state = unreachable ? 'UNREACHABLE' : m.state;
    return compactJson({
      surveyDate: unreachable ? undefined : iso(survey),
      jobschedulerId: s.jobschedulerId,
      host: m.host,
      port: m.port,
      url: masterUrl(m),
      clusterType: compactJson({ _type: m.clusterType, precedence: m.clusterType === 'passive' ? m.precedence : undefined }),
      startedAt: unreachable ? undefined : iso(m.startedAt ?? survey - 86_400_000),
      state: { severity: MASTER_STATE_SEVERITY[state], _text: state },
    });
  }));
  return { deliveryDate: iso(now), masters };
}
