/**
 * Demo mode for the history (V1-HISTORY-NOTES §1.1): each tick some standalone jobs start tasks
 * (most end within seconds, some run across several polls, about one in six fails), some job
 * chains start orders (now and then with a child order), and now and then a row is written late,
 * with its old start time, as JOC's reporting plugin does after a stall; Agents go away and come
 * back. Rows older than a day are
 * dropped so that a long demo does not grow without bound.
 */
import type { SchedulerInventory } from './inventory';
import { agentClustersOf } from './agents-store';
import type { Prng } from './prng';

const KEEP_MS = 86_400_000;
const MAX_ROWS = 50_000;

export function growHistory(scheduler: SchedulerInventory, rng: Prng, now: number, newId: () => number): void {
  const tasks = (scheduler.taskHistory ??= []);
  const orders = (scheduler.orderHistory ??= []);
  const standalone = scheduler.jobs.filter((job) => !job.isOrderJob);
  const jobs = standalone.length > 0 ? standalone : scheduler.jobs;
  for (let i = rng.int(0, 3); i > 0 && jobs.length > 0; i--) {
    const job = rng.pick(jobs);
    const late = rng.chance(0.05);
    const start = late ? now - rng.int(60_000, 240_000) : now - rng.int(0, 2_000);
    const long = rng.chance(0.15);
    const end = start + (long ? rng.int(60_000, 600_000) : rng.int(200, 20_000));
    const failed = rng.chance(0.16);
    tasks.push({
      id: newId(),
      job: job.path,
      start,
      end,
      failed,
      exitCode: failed ? rng.pick([1, 2, 8, 255]) : 0,
      ...(late ? { visibleAt: now + rng.int(0, 30_000), endVisibleAt: Math.max(end, now) + rng.int(0, 30_000) } : {}),
      ...(rng.chance(0.5) ? { agent: `http://agent-${rng.int(1, 3)}.example.com:4445` } : {}),
    });
  }
  for (let i = rng.int(0, 2); i > 0 && scheduler.jobChains.length > 0; i--) {
    const chain = rng.pick(scheduler.jobChains);
    const start = now - rng.int(0, 2_000);
    const end = start + rng.int(1_000, rng.chance(0.2) ? 300_000 : 30_000);
    const resultError = rng.chance(0.12);
    const id = newId();
    const node = resultError ? (chain.nodes.at(-2)?.name ?? 'error') : (chain.nodes.at(-1)?.name ?? 'success');
    orders.push({ id, jobChain: chain.path, orderId: `demo-${id}`, node, start, end, resultError });
    if (rng.chance(0.1)) {
      const child = newId();
      orders.push({ id: child, jobChain: chain.path, orderId: `demo-${id}-+${id}+-child`, node, start: start + 500, end: end - 100, resultError: false });
    }
  }
  prune(scheduler, now);
  moveAgents(scheduler, rng, now);
}

/** Agents go away (UNREACHABLE) and come back, now and then restarted; their task counts move. */
function moveAgents(scheduler: SchedulerInventory, rng: Prng, now: number): void {
  for (const cluster of agentClustersOf(scheduler, now)) {
    for (const agent of cluster.agents) {
      if (agent.state === 'RUNNING' && rng.chance(0.03)) agent.state = 'UNREACHABLE';
      else if (agent.state === 'UNREACHABLE' && rng.chance(0.2)) {
        agent.state = 'RUNNING';
        agent.startedAt = now;
      }
      agent.runningTasks = agent.state === 'RUNNING' ? rng.int(0, Math.min(5, cluster.maxProcesses)) : 0;
    }
  }
}

function prune(scheduler: SchedulerInventory, now: number): void {
  if (scheduler.taskHistory) scheduler.taskHistory = recent(scheduler.taskHistory, now);
  if (scheduler.orderHistory) scheduler.orderHistory = recent(scheduler.orderHistory, now);
}

function recent<T extends { start: number }>(rows: T[], now: number): T[] {
  const kept = rows[0] && rows[0].start < now - KEEP_MS ? rows.filter((row) => row.start >= now - KEEP_MS) : rows;
  return kept.length > MAX_ROWS ? kept.slice(kept.length - MAX_ROWS) : kept;
}
