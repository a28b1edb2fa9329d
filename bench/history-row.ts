/**
 * Child process: the history bench row (CONTRACT §8.1). The simulator (a child of this process)
 * holds a JobScheduler with N jobs and a history window of M tasks; this process runs the history
 * engine with the real JOC client against it, so its CPU time and RSS are the engine's. The first
 * poll primes (it reads the whole window, page by page); the timed polls that follow each come
 * after a poll interval's worth of new tasks, as at the default 30 s schedule.
 */
import { v1OrderSource, v1TaskSource } from '../src/collectors/v1/history-source';
import { HistoryGroup } from '../src/history';
import { JocTransport } from '../src/joc/http';
import { JocSession } from '../src/joc/session';
import { JocCaller } from '../src/joc/caller';
import { JocApiV1 } from '../src/joc/v1/api';
import { createLogger } from '../src/logger';
import { SelfMetrics } from '../src/metrics/self';
import { Secret } from '../src/secret';
import { Child, serve } from './ipc';
import { HISTORY_ID } from './history-report';
import type { SimulatorApi } from './simulator-process';
import { PASSWORD, USER } from './stack';

export interface HistoryPlan {
  readonly jobs: number;
  readonly entries: number;
  readonly polls: number;
}

export interface HistoryResult {
  readonly jobs: number;
  readonly entries: number;
  /** New tasks before each timed poll. */
  readonly newPerPoll: number;
  readonly priming: { readonly requests: number; readonly wallMs: number; readonly cpuMs: number };
  /** Of the timed polls: requests per poll (min and max), per endpoint at most. */
  readonly requestsPerPoll: { readonly min: number; readonly max: number; readonly byEndpoint: Readonly<Record<string, number>> };
  readonly wallMsPerPoll: number;
  readonly cpuMsPerPoll: number;
  readonly series: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

const WINDOW_MS = 6 * 3_600_000;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const api = {
  async run(plan: HistoryPlan): Promise<HistoryResult> {
    const sim = new Child<SimulatorApi>('simulator-process');
    const metrics = new SelfMetrics();
    const logger = createLogger('silent');
    try {
      const { url } = await sim.call('startHistory', { jobs: plan.jobs, entries: plan.entries, windowMs: WINDOW_MS });
      const transport = new JocTransport({ name: 'bench', url, timeoutMs: 60_000, ca: null, insecureSkipVerify: false, metrics, maxResponseBytes: 256 << 20 });
      const session = new JocSession({ name: 'bench', transport, user: USER, password: new Secret(PASSWORD), logger, metrics });
      const client = new JocApiV1(new JocCaller(session, metrics, 'bench', logger));
      const group = new HistoryGroup((id) => ({ tasks: v1TaskSource(client, id), orders: v1OrderSource(client, id) }), { windowMs: WINDOW_MS });
      const base = { joc: 'bench', jobscheduler_id: HISTORY_ID };
      await session.request('jobscheduler/ids', {});
      const requests = async (): Promise<Record<string, number>> => {
        const per = await sim.call('perEndpoint', undefined);
        return Object.fromEntries(Object.entries(per).filter(([e]) => e.endsWith('history')));
      };
      await sim.call('resetStats', undefined);
      let cpu = cpuMs();
      let wall = performance.now();
      let samples = await group.poll(HISTORY_ID, base);
      const priming = {
        requests: Object.values(await requests()).reduce((a, b) => a + b, 0),
        wallMs: performance.now() - wall,
        cpuMs: cpuMs() - cpu,
      };
      const newPerPoll = Math.max(1, Math.round((plan.entries * 30_000) / WINDOW_MS));
      const perPoll: number[] = [];
      const byEndpoint: Record<string, number> = {};
      let wallTotal = 0;
      let cpuTotal = 0;
      for (let i = 0; i < plan.polls; i++) {
        await sim.call('growHistory', newPerPoll);
        await sim.call('resetStats', undefined);
        cpu = cpuMs();
        wall = performance.now();
        samples = await group.poll(HISTORY_ID, base);
        wallTotal += performance.now() - wall;
        cpuTotal += cpuMs() - cpu;
        const counted = await requests();
        perPoll.push(Object.values(counted).reduce((a, b) => a + b, 0));
        for (const [e, n] of Object.entries(counted)) byEndpoint[e] = Math.max(byEndpoint[e] ?? 0, n);
      }
      global.gc?.();
      const memory = process.memoryUsage();
      await session.close();
      await transport.destroy();
      return {
        jobs: plan.jobs,
        entries: plan.entries,
        newPerPoll,
        priming,
        requestsPerPoll: { min: Math.min(...perPoll), max: Math.max(...perPoll), byEndpoint },
        wallMsPerPoll: wallTotal / plan.polls,
        cpuMsPerPoll: cpuTotal / plan.polls,
        series: samples.length,
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
      };
    } finally {
      await sim.close();
    }
  },
};

export type HistoryRowApi = typeof api;

serve(api);
