/**
 * `/jobs` (JobV, NOTES §5.6) and `/job_chains` (JobChainV, NOTES §5.5) answers from the inventory.
 */
import { JOB_CHAIN_STATE_SEVERITY, JOB_STATE_SEVERITY, JOBS_SUMMARY_BUCKET, ORDERS_SUMMARY_KEYS } from '../joc/v1/enums';
import {
  baseName, firstBy, groupBy, JOB_CHAIN_NODE_STATE_SEVERITY,
  type JobChainInventory, type JobInventory, type OrderInventory, type SchedulerInventory,
} from './inventory';
import {
  compactJson, listedByPath, orderV, orderViews, selectJobChains, stableNumber, summarizeOrders, type Json, type OrderViews,
} from './answers';
import { inFolders, matches, pathRegex, type JobChainsFilterBody, type JobsFilterBody, type JobStateFilter } from './filters';
import { iso } from './shapes';

function jobMatchesState(job: JobInventory, states: readonly JobStateFilter[]): boolean {
  const bucket = JOBS_SUMMARY_BUCKET[job.state];
  return states.some((s) => {
    switch (s) {
      case 'QUEUED': return job.queuedTasks > 0;
      case 'PENDING': return bucket === 'pending';
      case 'RUNNING': return bucket === 'running';
      case 'STOPPED': return bucket === 'stopped';
      case 'WAITINGFORRESOURCE': return bucket === 'waitingForResource';
    }
  });
}

/**
 * With `jobs:[...]` only those jobs are considered (unknown paths are left out) and folders/regex
 * are not applied (as `/orders` does with `orders`); states, isOrderJob and excludeJobs always are.
 */
export function selectJobs(scheduler: SchedulerInventory, body: JobsFilterBody): JobInventory[] {
  let jobs: JobInventory[];
  if (body.jobs && body.jobs.length > 0) {
    jobs = listedByPath(scheduler.jobs, body.jobs.map((j) => j.job));
  } else {
    const re = pathRegex(body.regex);
    jobs = scheduler.jobs.filter((j) => inFolders(j.path, body.folders) && matches(re, j.path));
    if (body.orders && body.orders.length > 0) {
      const atListed = jobsAtListedNodes(scheduler, body.orders);
      jobs = jobs.filter((j) => atListed.has(j.path));
    }
  }
  if (body.states && body.states.length > 0) jobs = jobs.filter((j) => jobMatchesState(j, body.states!));
  if (body.isOrderJob !== undefined) jobs = jobs.filter((j) => j.isOrderJob === body.isOrderJob);
  if (body.excludeJobs && body.excludeJobs.length > 0) {
    const excluded = new Set(body.excludeJobs.map((j) => j.job));
    jobs = jobs.filter((j) => !excluded.has(j.path));
  }
  return jobs;
}

/** The jobs of the nodes the `orders` filter names: a node of a listed job chain, the named one unless none is. */
function jobsAtListedNodes(scheduler: SchedulerInventory, list: NonNullable<JobsFilterBody['orders']>): Set<string> {
  const chains = groupBy(scheduler.jobChains, (c) => c.path);
  const jobs = new Set<string>();
  for (const f of list) {
    for (const c of chains.get(f.jobChain) ?? []) {
      for (const n of c.nodes) if (f.state === undefined || f.state === '' || f.state === n.name) jobs.add(n.job);
    }
  }
  return jobs;
}

export function jobsAnswer(scheduler: SchedulerInventory, body: JobsFilterBody, survey: number, now: number): Json {
  const compact = body.compact ?? false;
  const jobs = selectJobs(scheduler, body);
  const views = orderViews(scheduler, survey);
  // Orders per job, indexed only when an order job is asked for.
  let ordersAt: Map<string | undefined, OrderInventory[]> | undefined;
  const ordersAtJob = (job: JobInventory): OrderInventory[] => {
    ordersAt ??= groupBy(scheduler.orders, views.jobOf);
    return ordersAt.get(job.path) ?? [];
  };
  return { deliveryDate: iso(now), jobs: jobs.map((j) => jobV(j, j.isOrderJob ? ordersAtJob(j) : [], compact, views)) };
}

/**
 * JobV. Compact: surveyDate, path, name, state, stateText, ordersSummary, numOfRunningTasks,
 * numOfQueuedTasks, runTimeIsTemporary. Otherwise also allTasks, allSteps and (when not empty)
 * runningTasks[] and taskQueue[]. ordersSummary is `{}` for a job outside any chain and has the
 * five order keys (no `blacklist`, which is "only for job chains") for an order job, counted
 * over `orders`, the orders at the job.
 */
export function jobV(job: JobInventory, orders: readonly OrderInventory[], compact: boolean, views: OrderViews): Json {
  const { survey } = views;
  const summary: Record<string, number> = {};
  if (job.isOrderJob) {
    const all = summarizeOrders(orders);
    for (const key of ORDERS_SUMMARY_KEYS) if (key !== 'blacklist') summary[key] = all[key];
  }
  const v: Json = {
    surveyDate: views.surveyDate,
    path: job.path,
    name: baseName(job.path),
    state: compactJson({
      severity: JOB_STATE_SEVERITY[job.state],
      _text: job.state,
      manually: job.state === 'STOPPED' ? (job.stateManually ?? false) : undefined,
    }),
    stateText: job.stateText ?? '',
    ordersSummary: summary,
    numOfRunningTasks: job.runningTasks,
    numOfQueuedTasks: job.queuedTasks,
    runTimeIsTemporary: false,
  };
  if (compact) return v;
  const base = job.taskIdBase ?? stableNumber(job.path);
  const running = orders.filter((o) => o.processingState === 'RUNNING');
  const runningTasks = Array.from({ length: job.runningTasks }, (_, i) => {
    const order = running[i];
    const startedAt = order?.inProcessSince ?? survey - (i + 1) * 30_000;
    return compactJson({
      taskId: String(order?.taskId ?? base + i),
      pid: 4000 + ((base + i) % 60000),
      startedAt: iso(startedAt),
      enqueued: iso(startedAt),
      steps: 1,
      _cause: job.isOrderJob ? 'ORDER' : 'NONE',
      order: order ? compactJson({
        path: `${order.jobChain},${order.orderId}`,
        orderId: order.orderId,
        jobChain: order.jobChain,
        state: order.node,
        inProcessSince: order.inProcessSince === undefined ? undefined : iso(order.inProcessSince),
      }) : undefined,
    });
  });
  const taskQueue = Array.from({ length: job.queuedTasks }, (_, i) => ({
    taskId: String(base + job.runningTasks + i),
    enqueued: iso(survey - (i + 1) * 5_000),
  }));
  return compactJson({
    ...v,
    allTasks: Math.max(job.allTasks ?? 0, job.runningTasks),
    allSteps: Math.max(job.allSteps ?? 0, job.allTasks ?? 0),
    runningTasks: runningTasks.length > 0 ? runningTasks : undefined,
    taskQueue: taskQueue.length > 0 ? taskQueue : undefined,
  });
}

export function jobChainsAnswer(scheduler: SchedulerInventory, body: JobChainsFilterBody, survey: number, now: number): Json {
  const compact = body.compact ?? false;
  const chains = selectJobChains(scheduler, body);
  const views = orderViews(scheduler, survey);
  const ordersOf = groupBy(scheduler.orders, (o) => o.jobChain);
  const jobOf = firstBy(scheduler.jobs, (j) => j.path);
  const jobChains = chains.map((c) => jobChainV(c, ordersOf.get(c.path) ?? [], jobOf, compact, body.maxOrders, views));
  return { deliveryDate: iso(now), jobChains };
}

/**
 * JobChainV: surveyDate, path, name, state, numOfNodes, numOfOrders (all orders of the chain,
 * blacklisted ones included) and ordersSummary (all six keys); compact=false adds `nodes` (each
 * with its job, the orders at it — blacklisted orders are at no node — limited by maxOrders).
 * `orders` are the chain's orders, `jobOf` the jobs by path.
 */
export function jobChainV(
  chain: JobChainInventory, orders: readonly OrderInventory[], jobOf: ReadonlyMap<string, JobInventory>,
  compact: boolean, maxOrders: number | undefined, views: OrderViews,
): Json {
  const v: Json = {
    surveyDate: views.surveyDate,
    path: chain.path,
    name: baseName(chain.path),
    state: { severity: JOB_CHAIN_STATE_SEVERITY[chain.state], _text: chain.state },
    numOfNodes: chain.nodes.length,
    numOfOrders: orders.length,
    ordersSummary: summarizeOrders(orders),
  };
  if (compact || chain.nodes.length === 0) return v;
  const nodes = chain.nodes.map((node) => {
    const state = node.state ?? 'ACTIVE';
    const job = jobOf.get(node.job);
    const here = orders.filter((o) => o.node === node.name && o.processingState !== 'BLACKLIST');
    return {
      name: node.name,
      state: { severity: JOB_CHAIN_NODE_STATE_SEVERITY[state], _text: state },
      job: compactJson({ path: node.job, state: job ? { severity: JOB_STATE_SEVERITY[job.state], _text: job.state } : undefined }),
      level: 0,
      numOfOrders: here.length,
      orders: here.slice(0, maxOrders ?? here.length).map((o) => orderV(views, o, false)),
    };
  });
  return { ...v, nodes };
}
