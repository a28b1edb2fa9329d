/**
 * The bench scenarios that poll: requests per poll, poll cost and memory. Each starts its own
 * simulator and exporter (stack.ts) and closes them before it returns. The scrape scenario is in
 * scrape.ts.
 */
import { performance } from 'node:perf_hooks';
import type { Exporter } from '../exporter';
import { benchExporter, startLargeSimulator, startSimulatorThread, type Selection } from './stack';
import { msSince, summarise, timeMs, type Summary } from './stats';

/** What the exporter watches in the poll, scrape and memory scenarios: 300 jobs and 100 job chains. */
export const LARGE_SELECTION: Selection = { jobs: 300, jobChains: 100 };

/**
 * Runs `body` with the large simulator on a worker thread and an exporter for `selection` on this
 * one, then closes both.
 */
export async function withStack<T>(selection: Selection, body: (exporter: Exporter) => Promise<T>, processMetrics = false): Promise<T> {
  const sim = await startSimulatorThread();
  try {
    const exporter = await benchExporter(sim, selection, processMetrics);
    try {
      return await body(exporter);
    } finally {
      await exporter.close();
    }
  } finally {
    await sim.close();
  }
}

/** One poll of every JOC; throws unless every request succeeded, since the figures would mean nothing. */
export async function pollOk(exporter: Exporter): Promise<void> {
  for (const result of await exporter.pollAll()) {
    const errors = result.error ? [result.error] : result.schedulers.flatMap((s) => s.errors);
    if (errors.length > 0) throw new Error(`poll of ${result.joc} failed: ${errors.join('; ')}`);
  }
}

export interface RequestsPerPoll extends Selection {
  /** Requests the simulator received per endpoint during one poll after the first. */
  readonly perEndpoint: Readonly<Record<string, number>>;
  readonly total: number;
}

/**
 * a. Requests of one poll (the second: the first one logs in) with 0, 1 and 300 jobs / 0, 1 and
 * 100 job chains configured, counted per endpoint by the simulator (on this thread, to read them).
 */
export async function requestsPerPoll(): Promise<RequestsPerPoll[]> {
  const selections: Selection[] = [{ jobs: 0, jobChains: 0 }, { jobs: 1, jobChains: 1 }, LARGE_SELECTION];
  const sim = await startLargeSimulator();
  try {
    const rows: RequestsPerPoll[] = [];
    for (const selection of selections) {
      const exporter = await benchExporter(sim, selection);
      try {
        await pollOk(exporter);
        sim.resetStats();
        await pollOk(exporter);
        const perEndpoint = { ...sim.stats.perEndpoint };
        const total = Object.values(perEndpoint).reduce((sum, n) => sum + n, 0);
        rows.push({ ...selection, perEndpoint, total });
      } finally {
        await exporter.close();
      }
    }
    return rows;
  } finally {
    await sim.close();
  }
}

export interface PollCost {
  readonly polls: number;
  /** Wall time of `exporter.pollAll()`: requests, JOC's answers, samples and the render of both formats. */
  readonly pollAllMs: Summary;
  /** The part of it this thread was busy (event-loop utilisation): the exporter's own work. */
  readonly exporterBusyMs: Summary;
  /** `exporter.exposition.render()` alone. */
  readonly renderMs: Summary;
  /** Sample lines of the kept exposition (process metrics excluded). */
  readonly series: number;
  readonly textBytes: number;
  readonly openMetricsBytes: number;
}

/** b. Wall time of a poll and of a render of the large selection, after a first poll that logs in. */
export function pollCost(polls: number): Promise<PollCost> {
  return withStack(LARGE_SELECTION, async (exporter) => {
    await pollOk(exporter);
    const pollAllMs: number[] = [];
    const exporterBusyMs: number[] = [];
    for (let i = 0; i < polls; i++) {
      const start = process.hrtime.bigint();
      const utilisation = performance.eventLoopUtilization();
      await pollOk(exporter);
      exporterBusyMs.push(performance.eventLoopUtilization(utilisation).active);
      pollAllMs.push(msSince(start));
    }
    const renderMs: number[] = [];
    for (let i = 0; i < polls; i++) renderMs.push(await timeMs(() => exporter.exposition.render()));
    const text = exporter.exposition.text;
    const openMetrics = (await exporter.exposition.page({ openMetrics: true, gzip: false })).body;
    return {
      polls,
      pollAllMs: summarise(pollAllMs),
      exporterBusyMs: summarise(exporterBusyMs),
      renderMs: summarise(renderMs),
      series: text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length,
      textBytes: Buffer.byteLength(text),
      openMetricsBytes: Buffer.byteLength(openMetrics),
    };
  });
}

export interface MemoryUse {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

export interface Memory {
  readonly polls: number;
  /** Whether `global.gc` was available (node --expose-gc) and run before each reading. */
  readonly gcForced: boolean;
  /** After the first poll. */
  readonly before: MemoryUse;
  readonly after: MemoryUse;
}

/**
 * d. Memory after the first poll and after `polls` more: the RSS of the whole process (the
 * simulator's thread included) and the heap of this thread (the exporter's alone).
 */
export function memory(polls: number): Promise<Memory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const reading = (): MemoryUse => {
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    return { rssBytes: rss, heapUsedBytes: heapUsed };
  };
  return withStack(LARGE_SELECTION, async (exporter) => {
    await pollOk(exporter);
    const before = reading();
    for (let i = 0; i < polls; i++) await pollOk(exporter);
    return { polls, gcForced: gc !== undefined, before, after: reading() };
  });
}
