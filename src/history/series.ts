import type { HistoryEntry } from './types';

/** Buckets of the duration histograms, seconds (from seconds-long tasks to day-long ones). */
export const DURATION_BUCKETS: readonly number[] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400];

export type Result = 'successful' | 'failed';

/** The newest ended entry of a series, for the last-* gauges. */
export interface LastEnded {
  readonly id: string;
  readonly end: number;
  readonly durationSeconds: number;
  readonly exitCode: number | null;
  readonly failed: boolean;
}

/** The cumulative state of one series (one job, job chain or workflow job). */
export interface Series {
  readonly key: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Counter values as exposed. */
  readonly completed: Record<Result, number>;
  /**
   * Increments of the poll in which the series was created, exposed one poll later: a series
   * born at 1 would hide its first increment from `increase()`, so it shows 0 first.
   */
  readonly deferred: Record<Result, number>;
  bornPoll: number;
  last: LastEnded | null;
  lastSuccessEnd: number | null;
  lastFailureEnd: number | null;
}

/** A cumulative histogram of durations (seconds), as Prometheus exposes it. */
export class DurationHistogram {
  /** Non-cumulative count per bucket; the last element is +Inf. */
  readonly #counts = new Array<number>(DURATION_BUCKETS.length + 1).fill(0);
  #sum = 0;
  #count = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i++;
    this.#counts[i]!++;
    this.#sum += seconds;
    this.#count++;
  }

  get sum(): number {
    return this.#sum;
  }

  get count(): number {
    return this.#count;
  }

  /** Cumulative counts per upper bound, +Inf last. */
  cumulative(): Array<{ le: number; count: number }> {
    let running = 0;
    return this.#counts.map((n, i) => {
      running += n;
      return { le: i < DURATION_BUCKETS.length ? DURATION_BUCKETS[i]! : Infinity, count: running };
    });
  }
}

/** Whether entry a ended after b (later end; equal ends: the larger id). */
function endsAfter(entry: HistoryEntry & { end: number }, last: LastEnded): boolean {
  if (entry.end !== last.end) return entry.end > last.end;
  if (entry.id.length !== last.id.length) return entry.id.length > last.id.length;
  return entry.id > last.id;
}

/**
 * The series of one tracker, bounded: past `maxSeries`, entries of new series count only in the
 * totals, and `overflowed` says so (the tracker logs it once).
 */
export class SeriesBook {
  readonly #series = new Map<string, Series>();
  readonly #maxSeries: number;
  /** Every ended entry counted, per result, whatever its series. */
  readonly totals: Record<Result, number> = { successful: 0, failed: 0 };
  readonly durations = new DurationHistogram();
  overflowed = false;

  constructor(maxSeries: number) {
    this.#maxSeries = maxSeries;
  }

  get size(): number {
    return this.#series.size;
  }

  values(): IterableIterator<Series> {
    return this.#series.values();
  }

  get(key: string): Series | undefined {
    return this.#series.get(key);
  }

  /** The series of an entry, created (at 0) when new and within the bound; null past it. */
  ensure(entry: HistoryEntry, poll: number): Series | null {
    const known = this.#series.get(entry.series);
    if (known) return known;
    if (this.#series.size >= this.#maxSeries) {
      this.overflowed = true;
      return null;
    }
    const series: Series = {
      key: entry.series,
      labels: entry.labels,
      completed: { successful: 0, failed: 0 },
      deferred: { successful: 0, failed: 0 },
      bornPoll: poll,
      last: null,
      lastSuccessEnd: null,
      lastFailureEnd: null,
    };
    this.#series.set(entry.series, series);
    return series;
  }

  /** Moves the increments deferred by earlier polls into the exposed counters. */
  releaseDeferred(poll: number): void {
    for (const series of this.#series.values()) {
      if (series.bornPoll >= poll) continue;
      for (const result of ['successful', 'failed'] as const) {
        series.completed[result] += series.deferred[result];
        series.deferred[result] = 0;
      }
    }
  }

  /** Counts one ended entry (exactly once: the tracker decides that). */
  count(entry: HistoryEntry & { end: number }, series: Series | null, poll: number): void {
    const result: Result = entry.failed ? 'failed' : 'successful';
    this.totals[result]++;
    this.durations.observe(Math.max(0, entry.end - entry.start) / 1000);
    if (!series) return;
    if (series.bornPoll === poll) series.deferred[result]++;
    else series.completed[result]++;
  }

  /** Updates the last-* values of a series when the entry is its newest ended one. */
  noteEnded(entry: HistoryEntry & { end: number }, series: Series | null): void {
    if (!series) return;
    if (entry.failed) series.lastFailureEnd = Math.max(series.lastFailureEnd ?? -Infinity, entry.end);
    else series.lastSuccessEnd = Math.max(series.lastSuccessEnd ?? -Infinity, entry.end);
    if (series.last && !endsAfter(entry, series.last)) return;
    series.last = {
      id: entry.id,
      end: entry.end,
      durationSeconds: Math.max(0, entry.end - entry.start) / 1000,
      exitCode: entry.exitCode,
      failed: entry.failed,
    };
  }
}
