/**
 * The bench's JOC Cockpit and exporters, all in this process: a simulator holding one large,
 * static JobScheduler inventory, and exporters configured (through `parseConfig`, as a user's
 * config) to watch a chosen number of its jobs and job chains.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseConfig } from '../config';
import { Exporter } from '../exporter';
import { createLogger } from '../logger';
import { generateInventory, startSimulator, type GeneratorOptions, type Inventory, type Simulator } from '../simulator';

export const JOBSCHEDULER_ID = 'scheduler';

/** 100 job chains of 3 jobs (300 order jobs), 3 standalone jobs, 975 orders (10 per chain that can hold them). */
export const LARGE_INVENTORY: GeneratorOptions = {
  seed: 1,
  jobschedulerIds: [JOBSCHEDULER_ID],
  jobChainsPerScheduler: 100,
  jobsPerChain: 3,
  ordersPerChain: 10,
  standaloneJobsPerScheduler: 3,
};

const USER = 'bench';
const PASSWORD = 'bench-password';

/** How many of the inventory's jobs and job chains the exporter is configured to watch. */
export interface Selection {
  readonly jobs: number;
  readonly jobChains: number;
}

/** What an exporter needs of a simulator: where it listens and what it holds. */
export interface BenchJoc {
  readonly url: string;
  readonly inventory: Inventory;
  close(): Promise<void>;
}

/** The large simulator on this thread, where its request counts can be read. */
export function startLargeSimulator(): Promise<Simulator> {
  return startSimulator({ users: { [USER]: PASSWORD }, inventory: generateInventory(LARGE_INVENTORY) });
}

/**
 * The large simulator on a worker thread, so that building its answers does not count as the
 * exporter's time on this thread. Its inventory is generated here too (the same paths: the
 * generator is deterministic). Needs the compiled simulator-thread.js beside this file.
 */
export function startSimulatorThread(): Promise<BenchJoc> {
  const worker = new Worker(join(__dirname, 'simulator-thread.js'));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (url: string) => {
      worker.off('error', reject);
      resolve({
        url,
        inventory: generateInventory(LARGE_INVENTORY),
        close: () => {
          worker.postMessage('close');
          return exited;
        },
      });
    });
  });
}

/**
 * An exporter polling `joc`'s JobScheduler for the first `selection` jobs and job chains of its
 * inventory. It listens on 127.0.0.1 and a free port once started; its schedule (1 January,
 * midnight) does not fire during a run, so the bench decides when to poll. Logs are silent.
 */
export async function benchExporter(joc: Omit<BenchJoc, 'close'>, selection: Selection, processMetrics = false): Promise<Exporter> {
  const scheduler = joc.inventory.schedulers.find((s) => s.jobschedulerId === JOBSCHEDULER_ID)!;
  const jobs = scheduler.jobs.slice(0, selection.jobs).map((j) => j.path);
  const jobChains = scheduler.jobChains.slice(0, selection.jobChains).map((c) => c.path);
  if (jobs.length < selection.jobs || jobChains.length < selection.jobChains) {
    throw new Error(`the inventory holds ${scheduler.jobs.length} jobs and ${scheduler.jobChains.length} job chains`);
  }
  const yaml = `listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "0 0 1 1 *", timeoutSeconds: 10 }
joc:
  - name: bench
    url: ${joc.url}
    user: ${USER}
    password: ${PASSWORD}
    jobschedulers:
      - id: ${JOBSCHEDULER_ID}
        jobChains: ${JSON.stringify(jobChains)}
        jobs: ${JSON.stringify(jobs)}
`;
  const config = await parseConfig(yaml, 'bench config (in memory)', {}, process.cwd());
  return new Exporter(config, { logger: createLogger('silent'), processMetrics });
}
