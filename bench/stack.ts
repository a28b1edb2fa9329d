/**
 * The bench's exporter and what it needs of the JOC Cockpit simulator it polls, wherever that
 * runs: in a child process (simulator-process.ts, for the figures) or in this process (tests).
 */
import { parseConfig } from '../src/config';
import { Exporter } from '../src/exporter';
import type { OrderStateFilter } from '../src/joc/v1/enums';
import { createLogger } from '../src/logger';
import type { Simulator } from '../src/simulator';
import { JOBSCHEDULER_ID } from './sizes';

/** The simulator's account for the exporter. */
export const USER = 'bench';
export const PASSWORD = 'bench-password';

/** What the exporter watches of one JobScheduler. */
export interface Watch {
  readonly jobs: readonly string[];
  readonly jobChains: readonly string[];
  readonly orderStates: readonly OrderStateFilter[];
}

/** A simulator as the bench sees it: where it listens, and its request counts. */
export interface BenchJoc {
  readonly url: string;
  resetStats(): Promise<void>;
  /** Requests received per endpoint since the last reset. */
  perEndpoint(): Promise<Readonly<Record<string, number>>>;
}

/** A simulator running in this process. */
export function localJoc(sim: Simulator): BenchJoc {
  return {
    url: sim.url,
    resetStats: async () => sim.resetStats(),
    perEndpoint: async () => ({ ...sim.stats.perEndpoint }),
  };
}

/**
 * An exporter polling `url`'s JobScheduler for `watch`, configured through `parseConfig` as a
 * user's file would be. It listens on 127.0.0.1 and a free port once started; its schedule
 * (1 January, midnight) does not fire during a run, so the bench decides when to poll. Logs are
 * silent; prom-client's process metrics are in /metrics unless `processMetrics` is false.
 */
export async function benchExporter(url: string, watch: Watch, processMetrics = true): Promise<Exporter> {
  const scheduler = { id: JOBSCHEDULER_ID, orderStates: watch.orderStates, jobChains: watch.jobChains, jobs: watch.jobs };
  // JSON is YAML: the config is written as a user's file would be, then parsed and validated.
  const file = JSON.stringify({
    listen: { host: '127.0.0.1', port: 0 },
    poll: { schedule: '0 0 1 1 *', timeoutSeconds: 60 },
    // The requests of CONTRACT §8 are counted apart (the history rows measure them): off here.
    joc: [
      {
        name: 'bench',
        url,
        user: USER,
        password: PASSWORD,
        jobschedulers: [scheduler],
        history: { enabled: false },
        agents: { enabled: false },
        dailyPlan: { enabled: false },
      },
    ],
  });
  const config = await parseConfig(file, 'bench config (in memory)', {}, process.cwd());
  return new Exporter(config, { logger: createLogger('silent'), processMetrics });
}
