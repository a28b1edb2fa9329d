/**
 * Child process: one bench row. It forks the simulator (simulator-process.ts), generates the
 * row's inventory there, and runs the exporter here, so this process's CPU time and RSS are the
 * exporter's (and the bench's small harness). Each row runs in a fresh process: memory left by a
 * larger row does not count in a smaller one. main.ts forks it with --expose-gc.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Exporter } from '../src/exporter';
import { Child, serve } from './ipc';
import { pollOk, readMemory, requestsOfOnePoll, timePolls } from './poll';
import { profile, summariseProfile, type ProfileSummary } from './profile';
import type { RowPlan, RowResult } from './results';
import { fetchPage, scrapeRuns } from './scrape';
import type { LoadApi } from './load-process';
import { inventoryOptions, orderStates, type Size } from './sizes';
import type { SimulatorApi, StartedSimulator } from './simulator-process';
import { benchExporter, type BenchJoc } from './stack';

/** The simulator child as a row sees it: its request counts, what it holds, its CPU time. */
interface RowJoc extends BenchJoc {
  readonly started: StartedSimulator;
  /** CPU time of the simulator process so far, ms. */
  cpuMs(): Promise<number>;
}

/**
 * Starts the simulator child with `size`'s inventory and a started exporter watching all of its
 * jobs and job chains, runs `body`, then closes both.
 */
async function withStack<T>(size: Size, body: (exporter: Exporter, joc: RowJoc) => Promise<T>): Promise<T> {
  const sim = new Child<SimulatorApi>('simulator-process');
  try {
    const states = orderStates(size);
    const started = await sim.call('start', { inventory: inventoryOptions(size), orderStates: states });
    const joc: RowJoc = {
      url: started.url,
      started,
      resetStats: () => sim.call('resetStats', undefined),
      perEndpoint: () => sim.call('perEndpoint', undefined),
      cpuMs: () => sim.call('cpuMs', undefined),
    };
    const exporter = await benchExporter(started.url, { jobs: started.jobs, jobChains: started.jobChains, orderStates: states });
    try {
      // start() begins the first poll (the login); the first pollAll() waits for that one.
      await exporter.start();
      return await body(exporter, joc);
    } finally {
      await exporter.close();
    }
  } finally {
    await sim.close();
  }
}

/** The project's folder: this file is dist/bench/row.js. */
const PROJECT_ROOT = resolve(__dirname, '..', '..');

export interface ProfilePlan {
  readonly what: 'poll' | 'scrape';
  readonly size: Size;
  readonly warmupPolls: number;
  /** Polls, or seconds of load. */
  readonly units: number;
  /** Functions listed. */
  readonly top: number;
}

export interface ProfileResult extends ProfileSummary {
  readonly what: 'poll' | 'scrape';
  readonly size: Size;
  /** Polls, or scrapes answered. */
  readonly count: number;
  /** The .cpuprofile written. */
  readonly file: string;
}

const api = {
  run(plan: RowPlan): Promise<RowResult> {
    return withStack(plan.size, async (exporter, joc) => {
      for (let i = 0; i < plan.warmupPolls; i++) await pollOk(exporter);
      const afterWarmup = readMemory();
      const requests = await requestsOfOnePoll(exporter, joc);
      const simulatorCpu = await joc.cpuMs();
      let midway = afterWarmup;
      const polls = await timePolls(exporter, plan.polls, () => {
        midway = readMemory();
      });
      const simulatorCpuMsPerPoll = ((await joc.cpuMs()) - simulatorCpu) / plan.polls;
      const afterPolls = readMemory();
      const text = await fetchPage(`${exporter.url}/metrics`, {});
      const series = text.body.toString('utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
      const scrape = await scrapeRuns(`${exporter.url}/metrics`, plan.scrape);
      const { started } = joc;
      return {
        size: plan.size,
        inventory: {
          jobs: started.jobs.length,
          jobChains: started.jobChains.length,
          orders: started.orders,
          orderStates: orderStates(plan.size),
          ordersAnswered: started.ordersAnswered,
          ordersAnswerBytes: started.ordersAnswerBytes,
        },
        exposition: { series, bytes: text.body.length },
        requests,
        polls: { ...polls, simulatorCpuMsPerPoll },
        memory: { warmupPolls: plan.warmupPolls, polls: plan.polls + 1, afterWarmup, midway, afterPolls },
        scrape,
      };
    });
  },

  /**
   * The CPU profile of `units` polls of `size`, or of `units` seconds of /metrics load (16
   * connections, text), after `warmupPolls`. The profile is also written to a .cpuprofile file
   * (Chrome DevTools, speedscope) in the temporary folder.
   */
  async profile(plan: ProfilePlan): Promise<ProfileResult> {
    return withStack(plan.size, async (exporter) => {
      for (let i = 0; i < plan.warmupPolls; i++) await pollOk(exporter);
      let count = plan.units;
      const p = await profile(async () => {
        if (plan.what === 'poll') {
          for (let i = 0; i < plan.units; i++) await pollOk(exporter);
          return;
        }
        const load = new Child<LoadApi>('load-process');
        try {
          const url = `${exporter.url}/metrics`;
          count = (await load.call('run', { url, connections: 16, seconds: plan.units, headers: {} })).requests;
        } finally {
          await load.close();
        }
      });
      const file = join(tmpdir(), `jobscheduler-exporter-bench-${plan.what}-${plan.size.name.replace(/[^\w-]+/g, '_')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(p));
      return { what: plan.what, size: plan.size, count, file, ...summariseProfile(p, PROJECT_ROOT, plan.top) };
    });
  },
};

export type RowApi = typeof api;

serve(api);
