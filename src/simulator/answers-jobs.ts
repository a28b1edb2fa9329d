/**
 * `/jobs` (JobV, NOTES §5.6) and `/job_chains` (JobChainV, NOTES §5.5) answers from the inventory.
 */
import { JOB_CHAIN_STATE_SEVERITY, JOB_STATE_SEVERITY, JOBS_SUMMARY_BUCKET, ORDERS_SUMMARY_KEYS } from '../joc/v1/enums';
import {
  baseName, JOB_CHAIN_NODE_STATE_SEVERITY, orderJob,
  type JobChainInventory, type JobInventory, type OrderInventory, type SchedulerInventory,
} from './inventory';
import { compactJson, orderV, selectJobChains, stableNumber, summarizeOrders, type Json } from './answers';
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
    const wanted = body.jobs.map((j) => j.job);
    jobs = wanted.flatMap((p) => scheduler.jobs.filter((j) => j.path === p)).filter((j, i, all) => all.indexOf(j) === i);
  } else {
    const re = pathRegex(body.regex);
    jobs = scheduler.jobs.filter((j) => inFolders(j.path, body.folders) && matches(re, j.path));
    if (body.orders && body.orders.length > 0) {
      const list = body.orders;
      jobs = jobs.filter((j) => scheduler.jobChains.some((c) => list.some((f) => f.jobChain === c.path
        && c.nodes.some((n) => n.job === j.path && (f.state === undefined || f.state === '' || f.state === n.name)))));
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

export function jobsAnswer(scheduler: SchedulerInventory, body: JobsFilterBody, survey: number, now: number): Json {
  const compact = body.compact ?? false;
  return { deliveryDate: iso(now), jobs: selectJobs(scheduler, body).map((j) => jobV(scheduler, j, compact, survey)) };
}

function ordersAtJob(scheduler: SchedulerInventory, job: JobInventory): OrderInventory[] {
  return scheduler.orders.filter((o) => orderJob(scheduler, o) === job.path);
}

/**
 * JobV. Compact: surveyDate, path, name, state, stateText, ordersSummary, numOfRunningTasks,
 * numOfQueuedTasks, runTimeIsTemporary. Otherwise also allTasks, allSteps and (when not empty)
 * runningTasks[] and taskQueue[]. ordersSummary is `{}` for a job outside any chain and has the
 * five order keys (no `blacklist`, which is "only for job chains") for an order job.
 */
export function jobV(scheduler: SchedulerInventory, job: JobInventory, compact: boolean, survey: number): Json {
  const orders = job.isOrderJob ? ordersAtJob(scheduler, job) : [];
  const summary: Record<string, number> = {};
  if (job.isOrderJob) {
    const all = summarizeOrders(orders);
    for (const key of ORDERS_SUMMARY_KEYS) if (key !== 'blacklist') summary[key] = all[key];
  }
  const v: Json = {
    surveyDate: iso(survey),
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
  const jobChains = selectJobChains(scheduler, body).map((c) => jobChainV(scheduler, c, compact, body.maxOrders, survey));
  return { deliveryDate: iso(now), jobChains };
}

/**
 * JobChainV: surveyDate, path, name, state, numOfNodes, numOfOrders (all orders of the chain,
 * blacklisted ones included) and ordersSummary (all six keys); compact=false adds `nodes` (each
 * with its job, the orders at it — blacklisted orders are at no node — limited by maxOrders).
 */
export function jobChainV(
  scheduler: SchedulerInventory, chain: JobChainInventory, compact: boolean, maxOrders: number | undefined, survey: number,
): Json {
  const orders = scheduler.orders.filter((o) => o.jobChain === chain.path);
  const v: Json = {
    surveyDate: iso(survey),
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
    const job = scheduler.jobs.find((j) => j.path === node.job);
    const here = orders.filter((o) => o.node === node.name && o.processingState !== 'BLACKLIST');
    return {
      name: node.name,
      state: { severity: JOB_CHAIN_NODE_STATE_SEVERITY[state], _text: state },
      job: compactJson({ path: node.job, state: job ? { severity: JOB_STATE_SEVERITY[job.state], _text: job.state } : undefined }),
      level: 0,
      numOfOrders: here.length,
      orders: here.slice(0, maxOrders ?? here.length).map((o) => orderV(scheduler, o, false, survey)),
    };
  });
  return { ...v, nodes };
}
