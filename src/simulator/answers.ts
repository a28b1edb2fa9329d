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
  activeMaster, folderOf, masterUrl, orderJob, orderPath,
  type Inventory, type OrderInventory, type SchedulerInventory,
} from './inventory';
import { inFolders, matches, pathRegex, type JobChainsFilterBody, type OrdersFilterBody } from './filters';
import { iso } from './shapes';

export type Json = Record<string, unknown>;
export type OrdersSummary = Record<OrdersSummaryKey, number>;

/** Drops undefined members (MOXy omits null fields). */
export function compactJson<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
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

/** The job chains a jobChainsFilter selects (jobChains list, else folders/regex/job filter; states). */
export function selectJobChains(scheduler: SchedulerInventory, body: JobChainsFilterBody): SchedulerInventory['jobChains'] {
  let chains = scheduler.jobChains;
  if (body.jobChains && body.jobChains.length > 0) {
    const wanted = body.jobChains.map((c) => c.jobChain);
    chains = wanted.flatMap((p) => chains.filter((c) => c.path === p)).filter((c, i, all) => all.indexOf(c) === i);
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
  const hit = (o: OrderInventory, list: { jobChain: string; orderId?: string }[]): boolean =>
    list.some((f) => f.jobChain === o.jobChain && (f.orderId === undefined || f.orderId === '' || f.orderId === o.orderId));
  let orders = scheduler.orders.filter((o) => inFolders(o.jobChain, body.folders));
  if (body.orders && body.orders.length > 0) {
    orders = orders.filter((o) => hit(o, body.orders!));
  } else {
    const re = pathRegex(body.regex);
    const states = body.processingStates;
    orders = orders.filter((o) => matches(re, orderPath(o))
      && (!states || states.length === 0 || states.includes(ORDER_STATE_CATEGORY[o.processingState]))
      && (body.runTimeIsTemporary === undefined || (o.runTimeIsTemporary ?? false) === body.runTimeIsTemporary));
  }
  if (body.types && body.types.length > 0) orders = orders.filter((o) => body.types!.includes(o.type));
  if (body.excludeOrders && body.excludeOrders.length > 0) orders = orders.filter((o) => !hit(o, body.excludeOrders!));
  return orders;
}

export function ordersAnswer(scheduler: SchedulerInventory, body: OrdersFilterBody, survey: number, now: number): Json {
  const compact = body.compact ?? false;
  return { deliveryDate: iso(now), orders: selectOrders(scheduler, body).map((o) => orderV(scheduler, o, compact, survey)) };
}

/**
 * OrderV (order/order_v-schema.json, NOTES §5.1). Compact: only the core fields. Otherwise also the
 * fields of the order's processing state: nextStartTime (pending, JOB_NOT_IN_PERIOD, NODE_DELAY),
 * historyId/startedAt (all but pending), taskId/inProcessSince/processedBy (running),
 * processedBy (blacklist), setback, lock, processClass.
 */
export function orderV(scheduler: SchedulerInventory, order: OrderInventory, compact: boolean, survey: number): Json {
  const text = order.processingState;
  const v: Json = compactJson({
    surveyDate: iso(survey),
    path: orderPath(order),
    orderId: order.orderId,
    jobChain: order.jobChain,
    _type: order.type,
    state: order.node,
    title: order.title,
    processingState: compactJson({
      severity: ORDER_STATE_SEVERITY[text],
      _text: text,
      manually: text === 'SUSPENDED' || text === 'JOB_STOPPED' ? (order.manually ?? false) : undefined,
    }),
    job: orderJob(scheduler, order),
    runTimeIsTemporary: order.runTimeIsTemporary ?? false,
  });
  if (compact) return v;
  const key = orderPath(order);
  const startedAt = order.startedAt ?? survey - 120_000;
  const master = activeMaster(scheduler);
  const folder = folderOf(order.jobChain);
  return compactJson({
    ...v,
    priority: 0,
    nextStartTime: text === 'PENDING' || text === 'JOB_NOT_IN_PERIOD' || text === 'NODE_DELAY'
      ? iso(order.nextStartTime ?? survey + 600_000) : undefined,
    historyId: text !== 'PENDING' ? String(order.historyId ?? stableNumber(key)) : undefined,
    startedAt: text !== 'PENDING' ? iso(startedAt) : undefined,
    taskId: text === 'RUNNING' ? String(order.taskId ?? stableNumber(`${key}#task`)) : undefined,
    inProcessSince: text === 'RUNNING' ? iso(order.inProcessSince ?? startedAt) : undefined,
    processedBy: (text === 'RUNNING' || text === 'BLACKLIST') && master ? masterUrl(master) : undefined,
    setback: text === 'SETBACK' ? iso(order.setback ?? survey + 300_000) : undefined,
    lock: text === 'WAITING_FOR_LOCK' ? `${folder === '/' ? '' : folder}/shared_lock` : undefined,
    processClass: text === 'WAITING_FOR_PROCESS' || text === 'WAITING_FOR_AGENT'
      ? `${folder === '/' ? '' : folder}/agent_cluster` : undefined,
  });
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
