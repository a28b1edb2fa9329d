/**
 * Child process: the JOC Cockpit simulator, so that building its answers costs the benchmark
 * process (the exporter) neither CPU time nor memory. The parent (row.ts) calls `start` with the
 * inventory to generate, then `resetStats` / `perEndpoint` around polls and `cpuMs` for the
 * simulator's own CPU time. It exits when the parent disconnects.
 */
import { ordersAnswer } from '../src/simulator/answers';
import { generateInventory, startSimulator, type GeneratorOptions, type Simulator } from '../src/simulator';
import type { OrderStateFilter } from '../src/joc/v1/enums';
import { serve } from './ipc';
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

export type SimulatorApi = typeof api;

serve(api);
