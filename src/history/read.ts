import type { HistoryEntry, HistorySource, WindowStart } from './types';

/** What one poll asks: the window, and the open entries to look up by id. */
export interface ReadPlan {
  readonly from: WindowStart;
  readonly pageLimit: number;
  readonly maxPages: number;
  /** Open entries whose start lies before the window: only a look-up by id finds their end. */
  readonly recheck: readonly string[];
}

/** What one poll read, before anything is committed. */
export interface ReadResult {
  /** Every entry read, one per id (an ended version wins over a running one). */
  readonly entries: Map<string, HistoryEntry>;
  /** JOC's time of the first window answer. */
  readonly jocTime: number;
  /** Requests made. */
  readonly requests: number;
  /** Window pages read. */
  readonly pages: number;
  /** True when the window could not be read to its start (page limit, or a full page of one instant). */
  readonly truncated: boolean;
  /**
   * The oldest start the window was read down to, ms; the window start when it was read to the
   * end, null when the window start was relative and the answer was not truncated.
   */
  readonly readDownTo: number | null;
}

function keep(entries: Map<string, HistoryEntry>, entry: HistoryEntry): boolean {
  const known = entries.get(entry.id);
  if (known && (known.end !== null || entry.end === null)) return false;
  entries.set(entry.id, entry);
  return !known;
}

/**
 * Reads one poll's worth of history: the window newest first, page after page while pages come
 * back full (each next page ends just after the oldest start of the previous one, so rows of
 * that instant are read again and de-duplicated by id: starts have no tie-breaker), then one
 * look-up of open entries by id. Any failed request rejects the whole read.
 */
export async function readHistory(source: HistorySource, plan: ReadPlan): Promise<ReadResult> {
  const entries = new Map<string, HistoryEntry>();
  let jocTime = NaN;
  let requests = 0;
  let pages = 0;
  let truncated = false;
  let before: number | undefined;
  let previousMin = Infinity;
  let readDownTo: number | null = 'at' in plan.from ? plan.from.at : null;
  for (;;) {
    const answer = await source.window({ from: plan.from, limit: plan.pageLimit, ...(before === undefined ? {} : { before }) });
    requests++;
    pages++;
    if (pages === 1) jocTime = answer.jocTime;
    let fresh = 0;
    let minStart = Infinity;
    for (const entry of answer.entries) {
      if (keep(entries, entry)) fresh++;
      if (entry.start < minStart) minStart = entry.start;
    }
    if (answer.entries.length < plan.pageLimit) break;
    // no progress: the page did not get past the previous page's oldest instant
    if (minStart >= previousMin || fresh === 0 || pages >= plan.maxPages) {
      truncated = true;
      readDownTo = minStart;
      break;
    }
    previousMin = minStart;
    before = minStart + 1;
  }
  if (plan.recheck.length > 0) {
    const asked = new Set(plan.recheck);
    const found = await source.byIds(plan.recheck);
    requests++;
    for (const entry of found) if (asked.has(entry.id)) keep(entries, entry);
  }
  return { entries, jocTime, requests, pages, truncated, readDownTo };
}
