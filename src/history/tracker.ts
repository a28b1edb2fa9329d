import { readHistory, type ReadResult } from './read';
import { SeriesBook } from './series';
import { DEFAULT_HISTORY_OPTIONS, type HistoryEntry, type HistoryOptions, type HistorySource, type WindowStart } from './types';

/** An entry seen without an end: counted when a later poll sees it end. */
interface OpenEntry {
  readonly start: number;
  /** Poll number of its last look-up by id (0: never), so that look-ups take turns. */
  checkedPoll: number;
}

/** What one poll did, for the logs and the exporter's own metrics. */
export interface PollOutcome {
  readonly requests: number;
  readonly pages: number;
  /** Entries counted by this poll. */
  readonly counted: number;
  /** The poll could not read everything it should have (page limit, or a gap longer than the window). */
  readonly truncated: boolean;
  /** True in the one poll in which the series bound was first reached. */
  readonly boundReached: boolean;
}

/**
 * The incremental history of one (JOC, JobScheduler id, kind): it turns what ended into counters,
 * exactly once. Each poll reads the entries that started since the last complete poll, minus an
 * overlap for rows JOC's reporting writes late with an old start time (and for clock skew), capped
 * at the history window after an outage; entries seen running are remembered and, once their start
 * has left the window, looked up by id until they end. State changes only after a poll in which
 * every request succeeded, so a failed poll is read again by the next. What ended before the first
 * poll is not counted; what is already counted is remembered as long as a window can still reach
 * its start, and forgotten after.
 */
export class HistoryTracker {
  readonly #source: HistorySource;
  readonly #options: HistoryOptions;
  /** Monotonic clock of the exporter, ms, to estimate JOC's time between answers. */
  readonly #clock: () => number;
  readonly book: SeriesBook;
  readonly #open = new Map<string, OpenEntry>();
  /** Ended ids already counted (or primed), with their start, until no window reaches them. */
  readonly #done = new Map<string, number>();
  /** JOC time of the last complete poll, and the exporter's clock then. */
  #mark: { readonly joc: number; readonly local: number } | null = null;
  /** JOC time of the first complete poll: what ended before is not counted. */
  #countFrom = Infinity;
  /** Start of the last committed window (absolute JOC time). */
  #windowFrom = -Infinity;
  #polls = 0;
  #truncations = 0;
  #newestStart: number | null = null;
  #boundLogged = false;

  constructor(source: HistorySource, options: Partial<HistoryOptions> = {}, clock: () => number = () => performance.now()) {
    this.#source = source;
    this.#options = { ...DEFAULT_HISTORY_OPTIONS, ...options };
    this.#clock = clock;
    this.book = new SeriesBook(this.#options.maxSeries);
  }

  /** Whether a poll has completed (the series exist from then on). */
  get primed(): boolean {
    return this.#mark !== null;
  }

  /** JOC time of the first complete poll (ms): what ended before it is not counted. */
  get countingFrom(): number {
    return this.#countFrom;
  }

  /** Entries seen running and not yet seen ended. */
  get openEntries(): number {
    return this.#open.size;
  }

  /** Ended ids remembered for de-duplication. */
  get rememberedEntries(): number {
    return this.#done.size;
  }

  /** Polls that could not read all they should have, since the start. */
  get truncations(): number {
    return this.#truncations;
  }

  /** The newest start seen (ms): tells whether JOC's reporting is fresh. */
  get newestStart(): number | null {
    return this.#newestStart;
  }

  /** One poll: reads, then commits. Rejects (changing nothing) when any request fails. */
  async poll(): Promise<PollOutcome> {
    const { from, gap } = this.#windowStart();
    const windowFrom = 'at' in from ? from.at : null;
    const recheck = windowFrom === null ? [] : this.#recheckIds(windowFrom);
    const read = await readHistory(this.#source, {
      from,
      pageLimit: this.#options.pageLimit,
      maxPages: this.#options.maxPages,
      recheck,
    });
    return this.#commit(read, windowFrom ?? read.jocTime - this.#options.primeLookbackMs, recheck, gap);
  }

  /** The window start of the next poll, and whether an outage longer than the window is cut off. */
  #windowStart(): { from: WindowStart; gap: boolean } {
    if (!this.#mark) return { from: { agoMs: this.#options.primeLookbackMs }, gap: false };
    const jocNow = this.#mark.joc + (this.#clock() - this.#mark.local);
    const resume = this.#mark.joc - this.#options.overlapMs;
    const earliest = jocNow - this.#options.windowMs;
    const at = Math.max(resume, earliest, this.#windowFrom);
    return { from: { at }, gap: earliest > resume };
  }

  /** Open entries the window no longer covers, least recently looked up first, one chunk. */
  #recheckIds(windowFrom: number): string[] {
    const stale: Array<[string, OpenEntry]> = [];
    for (const item of this.#open) if (item[1].start < windowFrom) stale.push(item);
    stale.sort((a, b) => a[1].checkedPoll - b[1].checkedPoll || a[1].start - b[1].start);
    return stale.slice(0, this.#options.recheckChunk).map(([id]) => id);
  }

  #commit(read: ReadResult, windowFrom: number, recheck: readonly string[], gap: boolean): PollOutcome {
    const poll = ++this.#polls;
    const priming = this.#mark === null;
    if (priming) this.#countFrom = read.jocTime;
    this.book.releaseDeferred(poll);
    let counted = 0;
    for (const entry of read.entries.values()) {
      if (this.#newestStart === null || entry.start > this.#newestStart) this.#newestStart = entry.start;
      if (this.#done.has(entry.id)) continue;
      const series = this.book.ensure(entry, poll);
      if (entry.end === null) {
        if (!this.#open.has(entry.id)) this.#open.set(entry.id, { start: entry.start, checkedPoll: 0 });
        continue;
      }
      const ended = entry as HistoryEntry & { end: number };
      this.#done.set(entry.id, entry.start);
      this.#open.delete(entry.id);
      if (!priming && ended.end >= this.#countFrom) {
        this.book.count(ended, series, poll);
        counted++;
      }
      this.book.noteEnded(ended, series);
    }
    for (const id of recheck) {
      const open = this.#open.get(id);
      if (open) open.checkedPoll = poll;
    }
    const jocTime = Math.max(read.jocTime, this.#mark?.joc ?? -Infinity);
    this.#mark = { joc: jocTime, local: this.#clock() };
    this.#windowFrom = Math.max(this.#windowFrom, windowFrom);
    this.#prune(jocTime);
    const truncated = read.truncated || gap;
    if (truncated) this.#truncations++;
    const boundReached = this.book.overflowed && !this.#boundLogged;
    if (boundReached) this.#boundLogged = true;
    return { requests: read.requests, pages: read.pages, counted, truncated, boundReached };
  }

  /**
   * Forgets what no later poll can see again: counted ids whose start lies before the window (the
   * window start never goes back, and look-ups by id ask for open ids only), and open entries
   * older than maxOpenAge (never ended, or purged from JOC's history).
   */
  #prune(jocTime: number): void {
    for (const [id, start] of this.#done) if (start < this.#windowFrom) this.#done.delete(id);
    const oldest = jocTime - this.#options.maxOpenAgeMs;
    for (const [id, open] of this.#open) if (open.start < oldest) this.#open.delete(id);
  }
}
