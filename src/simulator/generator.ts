/**
 * Deterministic inventory generator. The same options (seed and `now` included) give the same
 * inventory. It covers, given at least 2 JobScheduler ids, 5 job chains and 14 orders in active
 * chains (the defaults have more): every order `_text` (NOTES §5.1), every job chain state
 * (§5.5), several job states (§5.6), a two-member passive cluster and a standalone Master (§5.9).
 */
import {
  JOB_CHAIN_STATE_TEXTS,
  ORDER_STATE_TEXTS,
  type JobChainStateText,
  type JobStateText,
  type OrderStateText,
  type OrderType,
} from '../joc/v1/enums';
import {
  orderJob,
  type Inventory,
  type JobChainInventory,
  type JobInventory,
  type MasterInventory,
  type OrderInventory,
  type SchedulerInventory,
} from './inventory';
import { createPrng, type Prng } from './prng';

export interface GeneratorOptions {
  /** Default 1. */
  seed?: number;
  /** Default ['scheduler', 'scheduler2']: even positions get a passive cluster, odd ones a standalone Master. */
  jobschedulerIds?: string[];
  /** Default 6. */
  jobChainsPerScheduler?: number;
  /** Jobs (= nodes) per chain, default 3. */
  jobsPerChain?: number;
  /** Default 6. */
  ordersPerChain?: number;
  /** Jobs outside any chain, default 3. */
  standaloneJobsPerScheduler?: number;
  /** Reference time for all timestamps, default Date.now(). */
  now?: number;
}

const FOLDERS = ['accounting', 'sales', 'operations', 'reporting', 'backup', 'etl', 'hr', 'logistics'];
const CHAINS = ['daily_import', 'invoice_run', 'nightly_export', 'stock_sync', 'payroll', 'archive', 'cleanup_chain', 'dwh_load'];
const STEPS = ['extract', 'transform', 'load', 'check', 'report', 'notify'];
/** Job states given to the jobs that are in no chain, cycled over all of them. */
const STANDALONE_JOB_STATES: readonly JobStateText[] = [
  'PENDING', 'RUNNING', 'NOT_IN_PERIOD', 'ERROR', 'DISABLED', 'WAITING_FOR_AGENT', 'STOPPING', 'NOT_INITIALIZED', 'STOPPED',
];
/** The four non-ACTIVE chain states are given to the 2nd to 5th chain of the whole inventory. */
const FORCED_CHAIN_STATES: readonly JobChainStateText[] = JOB_CHAIN_STATE_TEXTS.filter((s) => s !== 'ACTIVE');
const WEIGHTED_ORDER_TEXTS: ReadonlyArray<[OrderStateText, number]> = [
  ['PENDING', 30], ['RUNNING', 25], ['SUSPENDED', 5], ['SETBACK', 5], ['BLACKLIST', 3],
  ['WAITING_FOR_TASK', 3], ['WAITING_FOR_LOCK', 2], ['WAITING_FOR_PROCESS', 2], ['WAITING_FOR_AGENT', 2],
  ['NODE_DELAY', 2], ['JOB_NOT_IN_PERIOD', 2],
];

export function weightedPick<T>(rng: Prng, table: ReadonlyArray<[T, number]>): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let r = rng.next() * total;
  for (const [value, weight] of table) {
    r -= weight;
    if (r < 0) return value;
  }
  return table[table.length - 1]![0];
}

export function generateInventory(options: GeneratorOptions = {}): Inventory {
  const rng = createPrng(options.seed ?? 1);
  const now = options.now ?? Date.now();
  const ids = options.jobschedulerIds ?? ['scheduler', 'scheduler2'];
  const chainsPer = options.jobChainsPerScheduler ?? 6;
  const jobsPer = Math.max(1, options.jobsPerChain ?? 3);
  const ordersPer = options.ordersPerChain ?? 6;
  const standalonePer = options.standaloneJobsPerScheduler ?? 3;
  const inventory: Inventory = { schedulers: [], nextId: 100000 + rng.int(0, 899999) };
  const newId = (): number => (inventory.nextId = (inventory.nextId ?? 1) + 1);
  // Order texts still to cover in ACTIVE chains (JOB_CHAIN_STOPPED is covered by the STOPPED chain).
  const forcedTexts: OrderStateText[] = ORDER_STATE_TEXTS.filter((t) => t !== 'JOB_CHAIN_STOPPED');
  let chainCount = 0;
  let standaloneCount = 0;

  ids.forEach((jobschedulerId, idIndex) => {
    const scheduler: SchedulerInventory = {
      jobschedulerId,
      connection: 'ok',
      masters: makeMasters(jobschedulerId, idIndex % 2 === 0, now, rng),
      jobChains: [],
      jobs: [],
      orders: [],
    };
    inventory.schedulers.push(scheduler);
    for (let c = 0; c < chainsPer; c++) {
      const folder = FOLDERS[(idIndex * chainsPer + c) % FOLDERS.length]!;
      const name = `${CHAINS[c % CHAINS.length]!}${c >= CHAINS.length ? `_${c}` : ''}`;
      const path = `/${folder}/${name}`;
      const state = chainCount >= 1 && chainCount <= FORCED_CHAIN_STATES.length ? FORCED_CHAIN_STATES[chainCount - 1]! : 'ACTIVE';
      chainCount++;
      const chain: JobChainInventory = { path, state, nodes: [] };
      for (let j = 0; j < jobsPer; j++) {
        const jobPath = `${path}_${STEPS[j % STEPS.length]!}${j >= STEPS.length ? j : ''}`;
        chain.nodes.push({ name: String((j + 1) * 100), job: jobPath, state: 'ACTIVE' });
        scheduler.jobs.push({
          path: jobPath,
          state: state === 'NOT_INITIALIZED' ? 'NOT_INITIALIZED' : 'PENDING',
          runningTasks: 0,
          queuedTasks: 0,
          isOrderJob: true,
          jobChain: path,
          allTasks: rng.int(0, 500),
          allSteps: 0,
          taskIdBase: newId(),
        });
      }
      scheduler.jobChains.push(chain);
      const count = state === 'ACTIVE' || state === 'STOPPED' ? ordersPer : state === 'INITIALIZED' ? Math.floor(ordersPer / 2) : 0;
      for (let o = 0; o < count; o++) {
        let text: OrderStateText;
        if (state === 'STOPPED') text = o === 0 ? 'JOB_CHAIN_STOPPED' : rng.pick(['JOB_CHAIN_STOPPED', 'SUSPENDED', 'BLACKLIST'] as const);
        else if (state !== 'ACTIVE') text = 'PENDING';
        else text = forcedTexts.shift() ?? weightedPick(rng, WEIGHTED_ORDER_TEXTS);
        scheduler.orders.push(makeOrder(scheduler, chain, o, text, now, rng, newId));
      }
    }
    for (let s = 0; s < standalonePer; s++) {
      const state = STANDALONE_JOB_STATES[standaloneCount++ % STANDALONE_JOB_STATES.length]!;
      const busy = state === 'RUNNING' || state === 'STOPPING';
      scheduler.jobs.push({
        path: `/${FOLDERS[(idIndex + s) % FOLDERS.length]!}/standalone_${s + 1}`,
        state,
        stateManually: state === 'STOPPED' ? true : undefined,
        runningTasks: busy ? rng.int(1, 2) : 0,
        queuedTasks: state === 'RUNNING' ? rng.int(1, 2) : 0,
        isOrderJob: false,
        allTasks: rng.int(0, 200),
        allSteps: 0,
        taskIdBase: newId(),
      });
    }
    deriveOrderJobs(scheduler);
    for (const job of scheduler.jobs) job.allSteps = (job.allTasks ?? 0) * rng.int(1, 3);
  });
  return inventory;
}

function makeMasters(id: string, passive: boolean, now: number, rng: Prng): MasterInventory[] {
  const startedAt = now - rng.int(1, 30) * 86_400_000 - rng.int(0, 86_399) * 1000;
  if (!passive) return [{ host: `${id}.example.com`, port: 4444, state: 'RUNNING', clusterType: 'standalone', startedAt }];
  return [
    { host: `${id}-primary.example.com`, port: 4444, state: 'RUNNING', clusterType: 'passive', precedence: 0, startedAt },
    {
      host: `${id}-backup.example.com`, port: 4444, state: 'WAITING_FOR_ACTIVATION', clusterType: 'passive', precedence: 1,
      startedAt: startedAt + rng.int(60, 3600) * 1000,
    },
  ];
}

function makeOrder(
  scheduler: SchedulerInventory, chain: JobChainInventory, index: number, text: OrderStateText, now: number, rng: Prng,
  newId: () => number,
): OrderInventory {
  const type = weightedPick<OrderType>(rng, [['PERMANENT', 6], ['AD_HOC', 3], ['FILE_ORDER', 1]]);
  const orderId = type === 'FILE_ORDER' ? `/data/inbox/${chain.path.split('/').pop()!}_${index + 1}.xml`
    : type === 'AD_HOC' ? `adhoc_${index + 1}` : `order_${index + 1}`;
  const nodeIndex = text === 'PENDING' ? 0 : rng.int(0, chain.nodes.length - 1);
  const node = chain.nodes[nodeIndex]!;
  const order: OrderInventory = { jobChain: chain.path, orderId, processingState: text, type, node: node.name, runTimeIsTemporary: false };
  if (text === 'NODE_STOPPED') node.state = 'STOPPED';
  if (text === 'JOB_STOPPED') {
    const job = scheduler.jobs.find((j) => j.path === node.job);
    if (job) { job.state = 'STOPPED'; job.stateManually = rng.chance(0.5); }
  }
  if (text === 'SUSPENDED' || text === 'JOB_STOPPED') order.manually = rng.chance(0.5);
  applyStateTimes(order, now, rng, newId);
  return order;
}

/** Sets the timestamps and ids that fit the order's processing state (NOTES §5.1 table). */
export function applyStateTimes(order: OrderInventory, now: number, rng: Prng, newId: () => number): void {
  const text = order.processingState;
  if (text === 'PENDING') {
    order.nextStartTime = now + rng.int(1, 120) * 60_000;
    delete order.historyId; delete order.startedAt; delete order.taskId; delete order.inProcessSince; delete order.setback;
    return;
  }
  order.historyId ??= newId();
  order.startedAt ??= now - rng.int(5, 900) * 1000;
  if (text === 'RUNNING') {
    order.taskId = newId();
    order.inProcessSince = Math.min(now, order.startedAt + rng.int(0, 60) * 1000);
  } else {
    delete order.taskId; delete order.inProcessSince;
  }
  if (text === 'SETBACK') order.setback = now + rng.int(1, 30) * 60_000;
  else delete order.setback;
  if (text === 'JOB_NOT_IN_PERIOD' || text === 'NODE_DELAY') order.nextStartTime = now + rng.int(1, 60) * 60_000;
  else delete order.nextStartTime;
}

/**
 * Recomputes state and task counts of the order jobs from the orders at them: running orders are
 * running tasks, orders WAITING_FOR_TASK are queued tasks. A STOPPED (or STOPPING) job stays
 * stopped; NOT_INITIALIZED, DISABLED and ERROR stay as they are.
 */
export function deriveOrderJobs(scheduler: SchedulerInventory): void {
  const atJob = new Map<string, OrderInventory[]>();
  for (const order of scheduler.orders) {
    const job = orderJob(scheduler, order);
    if (job !== undefined) atJob.set(job, [...(atJob.get(job) ?? []), order]);
  }
  for (const job of scheduler.jobs) {
    if (!job.isOrderJob) continue;
    const orders = atJob.get(job.path) ?? [];
    const has = (t: OrderStateText): boolean => orders.some((o) => o.processingState === t);
    job.runningTasks = orders.filter((o) => o.processingState === 'RUNNING').length;
    job.queuedTasks = orders.filter((o) => o.processingState === 'WAITING_FOR_TASK').length;
    job.state = nextJobState(job, job.runningTasks, has);
    job.stateText = job.runningTasks > 0 ? `${job.runningTasks} task(s) running` : '';
  }
}

function nextJobState(job: JobInventory, running: number, has: (t: OrderStateText) => boolean): JobStateText {
  if (job.state === 'STOPPED' || job.state === 'STOPPING' || has('JOB_STOPPED')) return running > 0 ? 'STOPPING' : 'STOPPED';
  if (job.state === 'NOT_INITIALIZED' || job.state === 'DISABLED' || job.state === 'ERROR') return job.state;
  if (running > 0) return 'RUNNING';
  if (has('WAITING_FOR_AGENT')) return 'WAITING_FOR_AGENT';
  if (has('WAITING_FOR_LOCK')) return 'WAITING_FOR_LOCK';
  if (has('WAITING_FOR_PROCESS')) return 'WAITING_FOR_PROCESS';
  if (has('JOB_NOT_IN_PERIOD')) return 'NOT_IN_PERIOD';
  return 'PENDING';
}
