/**
 * Child process: the JOC Cockpit simulator, so that building its answers costs the benchmark
 * process (the exporter) neither CPU time nor memory. The parent (row.ts) calls `start` with the
 * inventory to generate, then `resetStats` / `perEndpoint` around polls and `cpuMs` for the
 * simulator's own CPU time. It exits when the parent disconnects.
 */
import { ordersAnswer } from '../src/simulator/answers';
import { generateInventory, startSimulator, type GeneratorOptions, type SchedulerInventory, type Simulator } from '../src/simulator';
import { createPrng, type Prng } from '../src/simulator/prng';
import type { OrderStateFilter } from '../src/joc/v1/enums';
import { serve } from './ipc';
import { HISTORY_ID } from './history-report';
import { PASSWORD, USER } from './stack';

/** What the parent learns of a started simulator: where it listens and what it holds. */
export interface StartedSimulator {
  readonly url: string;
  /** The jobs outside any job chain (sizes.ts says why those). */
  readonly jobs: string[];
  readonly jobChains: string[];
  readonly orders: number;
  /** Orders in the exporter's `/orders` answer (those in `orderStates`), and its size in bytes. */
  readonly ordersAnswered: number;
  readonly ordersAnswerBytes: number;
}

let sim: Simulator | null = null;

function running(): Simulator {
  if (!sim) throw new Error('no simulator started');
  return sim;
}

const api = {
  async start(arg: { inventory: GeneratorOptions; orderStates: readonly OrderStateFilter[] }): Promise<StartedSimulator> {
    await sim?.close();
    const inventory = generateInventory(arg.inventory);
    // maxLoggedRequests 0: the log of answers would hold the largest answers of the run.
    sim = await startSimulator({ users: { [USER]: PASSWORD }, inventory, maxLoggedRequests: 0 });
    const scheduler = inventory.schedulers[0]!;
    const body = { jobschedulerId: scheduler.jobschedulerId, compact: true, processingStates: [...arg.orderStates] };
    const answer = ordersAnswer(scheduler, body, Date.now(), Date.now()) as { orders: unknown[] };
    return {
      url: sim.url,
      jobs: scheduler.jobs.filter((j) => !j.isOrderJob).map((j) => j.path),
      jobChains: scheduler.jobChains.map((c) => c.path),
      orders: scheduler.orders.length,
      ordersAnswered: answer.orders.length,
      ordersAnswerBytes: Buffer.byteLength(JSON.stringify(answer)),
    };
  },
  /**
   * A JobScheduler with `jobs` standalone jobs and a history of `entries` tasks (and a tenth as
   * many orders) that started over the last `windowMs`: most ended, one in ten failed, one in fifty
   * still runs.
   */
  async startHistory(arg: { jobs: number; entries: number; windowMs: number }): Promise<{ url: string }> {
    await sim?.close();
    const inventory = generateInventory({ seed: 7, jobschedulerIds: [HISTORY_ID], jobChainsPerScheduler: 1, jobsPerChain: 1, ordersPerChain: 0 });
    const scheduler = inventory.schedulers[0]!;
    const now = Date.now();
    history = { next: 1, jobs: arg.jobs, rng: createPrng(11) };
    scheduler.taskHistory = [];
    scheduler.orderHistory = [];
    for (let i = 0; i < arg.entries; i++) addEntry(scheduler, now - arg.windowMs + (i * arg.windowMs) / arg.entries, now, i % 10 === 0);
    sim = await startSimulator({ users: { [USER]: PASSWORD }, inventory, maxLoggedRequests: 0 });
    return { url: sim.url };
  },
  /** `n` more tasks that start now (and n / 10 orders), as a poll interval's worth of new history. */
  growHistory(n: number): void {
    const scheduler = running().inventory.schedulers[0]!;
    const now = Date.now();
    for (let i = 0; i < n; i++) addEntry(scheduler, now - 1, now, i % 10 === 0);
  },
  resetStats(): void {
    running().resetStats();
  },
  perEndpoint(): Record<string, number> {
    return { ...running().stats.perEndpoint };
  },
  /** CPU time (user + system) of this process so far, ms. */
  cpuMs(): number {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
};

let history: { next: number; jobs: number; rng: Prng } | null = null;

function addEntry(scheduler: SchedulerInventory, start: number, now: number, order: boolean): void {
  const h = history!;
  const id = h.next++;
  const job = `/bench/folder${id % 50}/job${id % h.jobs}`;
  const running = h.rng.chance(0.02);
  const end = running ? now + h.rng.int(60_000, 600_000) : Math.min(now - 1, start + h.rng.int(100, 120_000));
  const failed = h.rng.chance(0.1);
  scheduler.taskHistory!.push({ id, job, start, end: Math.max(end, start), failed, exitCode: failed ? 1 : 0 });
  if (order) {
    scheduler.orderHistory!.push({ id: 1e9 + id, jobChain: `/bench/chain${id % 500}`, orderId: String(id), node: 'end', start, end: Math.max(end, start), resultError: failed });
  }
}

export type SimulatorApi = typeof api;

serve(api);
