/**
 * Demo mode: one `tick` moves the inventory on a little, driven by a seeded PRNG, so that a
 * dashboard fed by the exporter shows movement. Orders move through their states, some are
 * suspended and resumed, jobs start and stop tasks, now and then a job chain is stopped (and
 * later started again). Independent of HTTP; the simulator calls it from an unref'd timer.
 */
import type { OrderStateText } from '../joc/v1/enums';
import { applyStateTimes, deriveOrderJobs, weightedPick } from './generator';
import type { Inventory, JobChainInventory, OrderInventory, SchedulerInventory } from './inventory';
import type { Prng } from './prng';
import { growHistory } from './history-demo';

const WAITING: ReadonlyArray<[OrderStateText, number]> = [
  ['WAITING_FOR_TASK', 3], ['WAITING_FOR_LOCK', 2], ['WAITING_FOR_PROCESS', 2], ['WAITING_FOR_AGENT', 1], ['NODE_DELAY', 2],
  ['JOB_NOT_IN_PERIOD', 1],
];

export function tick(inventory: Inventory, rng: Prng, now: number): void {
  const newId = (): number => (inventory.nextId = (inventory.nextId ?? 1) + 1);
  for (const scheduler of inventory.schedulers) {
    toggleChains(scheduler, rng, now, newId);
    for (const order of scheduler.orders) {
      const chain = scheduler.jobChains.find((c) => c.path === order.jobChain);
      if (chain?.state !== 'ACTIVE' || !rng.chance(0.3)) continue;
      moveOrder(scheduler, chain, order, rng, now, newId);
    }
    deriveOrderJobs(scheduler);
    growHistory(scheduler, rng, now, newId);
    for (const job of scheduler.jobs) {
      if (job.isOrderJob) continue;
      if (job.state === 'PENDING' && rng.chance(0.2)) {
        job.state = 'RUNNING';
        job.runningTasks = rng.int(1, 3);
        job.taskIdBase = newId();
        job.allTasks = (job.allTasks ?? 0) + job.runningTasks;
      } else if (job.state === 'RUNNING' && rng.chance(0.3)) {
        job.state = 'PENDING';
        job.allSteps = (job.allSteps ?? 0) + job.runningTasks;
        job.runningTasks = 0;
        job.queuedTasks = 0;
      } else if (job.state === 'RUNNING') {
        job.queuedTasks = rng.int(0, 2);
      }
    }
  }
}

function setState(order: OrderInventory, text: OrderStateText, rng: Prng, now: number, newId: () => number): void {
  order.processingState = text;
  if (text === 'SUSPENDED' || text === 'JOB_STOPPED') order.manually = rng.chance(0.5);
  else delete order.manually;
  applyStateTimes(order, now, rng, newId);
}

function moveOrder(
  scheduler: SchedulerInventory, chain: JobChainInventory, order: OrderInventory, rng: Prng, now: number, newId: () => number,
): void {
  const first = chain.nodes[0]?.name ?? order.node;
  switch (order.processingState) {
    case 'PENDING':
      order.node = first;
      setState(order, 'RUNNING', rng, now, newId);
      return;
    case 'RUNNING': {
      const r = rng.next();
      if (r < 0.55) {
        const index = chain.nodes.findIndex((n) => n.name === order.node);
        const next = chain.nodes.slice(index + 1).find((n) => n.state !== 'SKIPPED');
        const job = scheduler.jobs.find((j) => j.path === chain.nodes[index]?.job);
        if (job) job.allSteps = (job.allSteps ?? 0) + 1;
        if (next) {
          order.node = next.name;
          delete order.taskId;
          setState(order, next.state === 'STOPPED' ? 'NODE_STOPPED' : 'RUNNING', rng, now, newId);
        } else {
          // Finished: a permanent order waits for its next start; the others are recycled the same way
          // so the inventory keeps its size.
          order.node = first;
          setState(order, 'PENDING', rng, now, newId);
        }
      } else if (r < 0.65) setState(order, 'SETBACK', rng, now, newId);
      else if (r < 0.72) setState(order, 'SUSPENDED', rng, now, newId);
      else if (r < 0.85) setState(order, weightedPick(rng, WAITING), rng, now, newId);
      return;
    }
    case 'SUSPENDED':
    case 'SETBACK':
    case 'WAITING_FOR_TASK':
    case 'WAITING_FOR_LOCK':
    case 'WAITING_FOR_PROCESS':
    case 'WAITING_FOR_AGENT':
    case 'NODE_DELAY':
    case 'JOB_NOT_IN_PERIOD':
      if (rng.chance(0.5)) setState(order, 'RUNNING', rng, now, newId);
      return;
    case 'NODE_STOPPED':
    case 'JOB_STOPPED':
      if (rng.chance(0.1)) {
        const node = chain.nodes.find((n) => n.name === order.node);
        if (node && order.processingState === 'NODE_STOPPED') node.state = 'ACTIVE';
        const job = scheduler.jobs.find((j) => j.path === node?.job);
        if (job && order.processingState === 'JOB_STOPPED') job.state = 'PENDING';
        setState(order, 'RUNNING', rng, now, newId);
      }
      return;
    case 'BLACKLIST':
      if (rng.chance(0.05)) {
        order.node = first;
        setState(order, 'PENDING', rng, now, newId);
      }
      return;
    case 'JOB_CHAIN_STOPPED':
      return;
  }
}

/** Now and then stops an ACTIVE chain; a stopped chain is started again after a while. */
function toggleChains(scheduler: SchedulerInventory, rng: Prng, now: number, newId: () => number): void {
  for (const chain of scheduler.jobChains) {
    if (chain.state !== 'STOPPED' || !rng.chance(0.2)) continue;
    chain.state = 'ACTIVE';
    for (const order of scheduler.orders) {
      if (order.jobChain !== chain.path || order.processingState !== 'JOB_CHAIN_STOPPED') continue;
      order.node = chain.nodes[0]?.name ?? order.node;
      setState(order, 'PENDING', rng, now, newId);
    }
    return;
  }
  const active = scheduler.jobChains.filter((c) => c.state === 'ACTIVE');
  if (active.length < 2 || !rng.chance(0.03)) return;
  const chain = rng.pick(active);
  chain.state = 'STOPPED';
  for (const order of scheduler.orders) {
    if (order.jobChain !== chain.path) continue;
    if (order.processingState === 'BLACKLIST' || order.processingState === 'SUSPENDED') continue;
    setState(order, 'JOB_CHAIN_STOPPED', rng, now, newId);
  }
}
