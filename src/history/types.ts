/**
 * The API-agnostic vocabulary of the history engine. JOC 1.x (`tasks/history`, `orders/history`)
 * and JS7 (`tasks/history`, `orders/history`) both answer "entries that started in a window, newest
 * start first, cut at a limit", plus "these entries by id"; thin adapters turn their answers into
 * HistoryEntry values and their requests into the two calls of HistorySource.
 */

/** One task or order of the history, as JOC reports it at the time of the request. */
export interface HistoryEntry {
  /** Unique per JobScheduler / Controller id and kind (a task id, an order history id). */
  readonly id: string;
  /** The series key: equal keys are one series (e.g. the job path). */
  readonly series: string;
  /** The series' labels beside joc and jobscheduler_id (e.g. `{job_path}`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Start time, ms since the epoch (the JobScheduler's clock). */
  readonly start: number;
  /** End time, ms since the epoch; null while the entry runs (or, for orders, has not ended). */
  readonly end: number | null;
  /** Whether an ended entry failed (JOC's state, not the exit code). */
  readonly failed: boolean;
  /** Exit code of an ended task; null when the kind has none. */
  readonly exitCode: number | null;
}

/**
 * Where a window starts: an absolute JOC time (ms), or a span before JOC's own now, which only
 * the first poll uses, when JOC's clock is not known yet.
 */
export type WindowStart = { readonly at: number } | { readonly agoMs: number };

/** One window request: entries whose start is >= from (and < before, when given). */
export interface WindowQuery {
  readonly from: WindowStart;
  /** Exclusive upper bound on the start time, ms; absent for "up to now". */
  readonly before?: number;
  readonly limit: number;
}

export interface WindowAnswer {
  readonly entries: readonly HistoryEntry[];
  /**
   * JOC's time of the answer, ms (1.x: `deliveryDate`, minus the round trip, so that nothing
   * written during the request is taken as seen).
   */
  readonly jocTime: number;
}

/** The two requests the engine needs; the adapters make them. Any failure rejects. */
export interface HistorySource {
  window(query: WindowQuery): Promise<WindowAnswer>;
  /** The entries with these ids (at most `recheckChunk` of them); missing ids are simply absent. */
  byIds(ids: readonly string[]): Promise<readonly HistoryEntry[]>;
}

/** Tuning of one tracker; defaults in DEFAULT_HISTORY_OPTIONS. */
export interface HistoryOptions {
  /** How far back a poll re-reads behind the last complete poll (late writes, clock skew), ms. */
  readonly overlapMs: number;
  /** The history window: the longest gap (missed polls, outages) that is caught up, ms. */
  readonly windowMs: number;
  /**
   * How far back the first poll looks, to learn running entries and last results, ms: a task that
   * started earlier and ends after the first poll is not counted. Default: the window.
   */
  readonly primeLookbackMs: number;
  /** Rows per window request; a full page asks for the next (older) page. */
  readonly pageLimit: number;
  /** Window pages per poll at most. */
  readonly maxPages: number;
  /** Ids per re-check request (an SQL IN list: at most 500), one request per poll. */
  readonly recheckChunk: number;
  /** Open entries older than this are forgotten (never ended, or purged from the history), ms. */
  readonly maxOpenAgeMs: number;
  /** Per-series bound: past it, new series count only in the totals. */
  readonly maxSeries: number;
}

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  overlapMs: 10 * 60_000,
  windowMs: 6 * 3_600_000,
  primeLookbackMs: 6 * 3_600_000,
  pageLimit: 5_000,
  maxPages: 10,
  recheckChunk: 500,
  maxOpenAgeMs: 3 * 86_400_000,
  maxSeries: 5_000,
};
