import type { Sample } from '../metrics/families';
import { orderSamples, taskSamples } from './samples';
import { HistoryTracker, type PollOutcome } from './tracker';
import { DEFAULT_HISTORY_OPTIONS, type HistoryOptions, type HistorySource } from './types';

/** The task and order sources of one JobScheduler (1.x) or Controller (JS7) id. */
export interface HistorySources {
  readonly tasks: HistorySource;
  readonly orders: HistorySource;
}

export interface HistoryEvents {
  /** The per-job bound was reached for the first time (log it once). */
  boundReached(kind: 'task' | 'order', schedulerId: string, bound: number): void;
  /** A poll could not read all it should have (paging limit, or a gap longer than the window). */
  truncated(kind: 'task' | 'order', schedulerId: string): void;
}

interface Pair {
  readonly tasks: HistoryTracker;
  readonly orders: HistoryTracker;
  /** The poll in flight: polls of one id never overlap (a slow JOC and the next schedule). */
  running: Promise<Sample[]> | null;
}

/**
 * The history of every id of one JOC: one tracker per id and kind, kept across polls. `poll`
 * reads both kinds of one id, one after the other (each committed only when all its requests
 * succeeded), and returns the series of both; it rejects when either kind failed, so a failed history is left out of
 * /metrics like any failed request, and its counters come back, unchanged, with the next success.
 */
export class HistoryGroup {
  readonly #pairs = new Map<string, Pair>();
  readonly #options: Partial<HistoryOptions>;
  readonly #sources: (schedulerId: string) => HistorySources;
  readonly #events: Partial<HistoryEvents>;
  readonly #clock: (() => number) | undefined;

  constructor(
    sources: (schedulerId: string) => HistorySources,
    options: Partial<HistoryOptions> = {},
    events: Partial<HistoryEvents> = {},
    clock?: () => number,
  ) {
    this.#sources = sources;
    this.#options = options;
    this.#events = events;
    this.#clock = clock;
  }

  /** The trackers of an id (for tests and the bench). */
  trackers(schedulerId: string): { tasks: HistoryTracker; orders: HistoryTracker } {
    return this.#pair(schedulerId);
  }

  poll(schedulerId: string, base: Readonly<Record<string, string>>): Promise<Sample[]> {
    const pair = this.#pair(schedulerId);
    if (pair.running) return pair.running;
    const running = this.#pollBoth(pair, schedulerId, base).finally(() => {
      pair.running = null;
    });
    pair.running = running;
    return running;
  }

  /** Drops the trackers of ids no longer polled (discovery mode). */
  retain(schedulerIds: ReadonlySet<string>): void {
    for (const id of this.#pairs.keys()) if (!schedulerIds.has(id)) this.#pairs.delete(id);
  }

  async #pollBoth(pair: Pair, schedulerId: string, base: Readonly<Record<string, string>>): Promise<Sample[]> {
    // one after the other: the poller's limit on requests in flight counts this as one request
    const tasks = await pair.tasks.poll();
    const orders = await pair.orders.poll();
    this.#report('task', schedulerId, tasks);
    this.#report('order', schedulerId, orders);
    return [...taskSamples(pair.tasks.book, base), ...orderSamples(pair.orders.book, base)];
  }

  #report(kind: 'task' | 'order', schedulerId: string, outcome: PollOutcome): void {
    if (outcome.boundReached) this.#events.boundReached?.(kind, schedulerId, this.#options.maxSeries ?? DEFAULT_HISTORY_OPTIONS.maxSeries);
    if (outcome.truncated) this.#events.truncated?.(kind, schedulerId);
  }

  #pair(schedulerId: string): Pair {
    let pair = this.#pairs.get(schedulerId);
    if (!pair) {
      const sources = this.#sources(schedulerId);
      pair = {
        tasks: new HistoryTracker(sources.tasks, this.#options, this.#clock),
        orders: new HistoryTracker(sources.orders, this.#options, this.#clock),
        running: null,
      };
      this.#pairs.set(schedulerId, pair);
    }
    return pair;
  }
}
