/**
 * Summary statistics for the bench figures. Percentiles use the nearest-rank definition: the
 * p-th percentile is the smallest observed value with at least p % of the observations at or
 * below it, so every figure printed is a time that was actually measured.
 */

/** Nearest-rank percentile of `values` (any order), `p` in (0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  return ranked(ascending(values), p);
}

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export function summarise(values: readonly number[]): Summary {
  const sorted = ascending(values);
  return {
    count: sorted.length,
    min: sorted[0]!,
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    p50: ranked(sorted, 50),
    p95: ranked(sorted, 95),
    p99: ranked(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

function ascending(values: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError('no values to summarise');
  return [...values].sort((a, b) => a - b);
}

function ranked(sorted: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  // p * n first: (p / 100) * n can land just above an integer (0.07 * 100 = 7.000000000000001).
  return sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
}

/** Milliseconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `task` and returns its wall time in milliseconds. */
export async function timeMs(task: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await task();
  return msSince(start);
}
