/**
 * What one poll costs the exporter: requests to JOC, wall time, the exporter process's CPU time,
 * and the process's memory after many. Nothing else runs in the process while it polls (the
 * simulator and the load generator are child processes), so `process.cpuUsage()` around
 * `pollAll()` is the exporter's own work: HTTP client, JSON, validation, collectors and render,
 * the gzip of the render on libuv's threads included.
 */
import type { Exporter } from '../src/exporter';
import type { BenchJoc } from './stack';
import { msSince, summarise, type Summary } from './stats';

/** One poll of every JOC; throws unless every request succeeded, since the figures would mean nothing. */
export async function pollOk(exporter: Exporter): Promise<void> {
  for (const result of await exporter.pollAll()) {
    const errors = result.error ? [result.error] : result.schedulers.flatMap((s) => s.errors);
    if (errors.length > 0) throw new Error(`poll of ${result.joc} failed: ${errors.join('; ')}`);
  }
}

export interface Requests {
  readonly perEndpoint: Readonly<Record<string, number>>;
  readonly total: number;
}

/** The requests JOC receives during one poll (call it after a first poll, which logs in). */
export async function requestsOfOnePoll(exporter: Exporter, joc: BenchJoc): Promise<Requests> {
  await joc.resetStats();
  await pollOk(exporter);
  const perEndpoint = await joc.perEndpoint();
  return { perEndpoint, total: Object.values(perEndpoint).reduce((sum, n) => sum + n, 0) };
}

export interface PollTimes {
  readonly polls: number;
  /** Wall time of `pollAll()`: JOC's answers included. */
  readonly wallMs: Summary;
  /** CPU time (user + system) of this process during `pollAll()`. */
  readonly cpuMs: Summary;
}

/** `polls` polls one after the other, each timed; `midway` is called once, after half of them. */
export async function timePolls(exporter: Exporter, polls: number, midway?: () => void): Promise<PollTimes> {
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < polls; i++) {
    if (i === Math.floor(polls / 2)) midway?.();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await pollOk(exporter);
    wallMs.push(msSince(start));
    const { user, system } = process.cpuUsage(cpu);
    cpuMs.push((user + system) / 1000);
  }
  return { polls, wallMs: summarise(wallMs), cpuMs: summarise(cpuMs) };
}

export interface MemoryReading {
  readonly rssBytes: number;
  /** After `global.gc()`, null without node --expose-gc. */
  readonly rssAfterGcBytes: number | null;
  readonly heapUsedAfterGcBytes: number | null;
  /** V8's heap as reserved, and memory outside it (Buffers and other native allocations), after the GC. */
  readonly heapTotalBytes: number;
  readonly externalBytes: number;
}

/** RSS as it is, then (with node --expose-gc) after a forced full GC. */
export function readMemory(): MemoryReading {
  const rssBytes = process.memoryUsage.rss();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return {
    rssBytes,
    rssAfterGcBytes: gc ? rss : null,
    heapUsedAfterGcBytes: gc ? heapUsed : null,
    heapTotalBytes: heapTotal,
    externalBytes: external,
  };
}
