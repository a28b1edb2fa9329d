/**
 * A model of JOC's history endpoints for the history engine's tests: rows that appear when JOC's
 * reporting writes them (some running first and ended later, some late with an old start time),
 * queried the way `tasks/history` answers: start in [from, before), newest start first with no
 * tie-breaker (ties come in random order), cut at the limit; and by id. The ground truth of what
 * ended comes from the same rows.
 */
import { createPrng, type Prng } from '../../src/simulator/prng';
import type { HistoryEntry, HistoryOptions, HistorySource, WindowQuery } from '../../src/history';

export interface ModelRow {
  readonly id: string;
  readonly job: string;
  readonly start: number;
  /** null: never ends within the run. */
  readonly end: number | null;
  readonly failed: boolean;
  readonly exitCode: number;
  /** When the row is first visible (running, or ended when visibleAt >= end). */
  readonly visibleAt: number;
  /** When its end is visible (>= end). */
  readonly endVisibleAt: number;
}

export function entryOf(row: ModelRow, at: number): HistoryEntry | null {
  if (at < row.visibleAt) return null;
  const ended = row.end !== null && at >= row.endVisibleAt;
  return {
    id: row.id,
    series: row.job,
    labels: { job_path: row.job },
    start: row.start,
    end: ended ? row.end : null,
    failed: ended && row.failed,
    exitCode: ended ? row.exitCode : 0,
  };
}

/** A JOC whose history is `rows`, answering at the time `now()`, down while `down()` says so. */
export class HistoryModel implements HistorySource {
  readonly rows: ModelRow[] = [];
  /** Rows sorted by start, for the window queries. */
  #sorted: ModelRow[] | null = null;
  #byId: Map<string, ModelRow> | null = null;
  requests = 0;
  pagesAsked = 0;
  byIdRequests = 0;
  constructor(
    readonly prng: Prng,
    readonly now: () => number,
    readonly fail: () => boolean = () => false,
  ) {}

  add(row: ModelRow): void {
    this.rows.push(row);
    this.#sorted = null;
    this.#byId = null;
  }

  #byStart(): ModelRow[] {
    if (!this.#sorted) this.#sorted = [...this.rows].sort((a, b) => a.start - b.start);
    return this.#sorted;
  }

  async window(query: WindowQuery): Promise<{ entries: HistoryEntry[]; jocTime: number }> {
    this.requests++;
    if (query.before !== undefined) this.pagesAsked++;
    if (this.fail()) throw new Error('JOC is down');
    const at = this.now();
    const from = 'at' in query.from ? query.from.at : at - query.from.agoMs;
    const sorted = this.#byStart();
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.start < from) lo = mid + 1;
      else hi = mid;
    }
    const picked: Array<{ entry: HistoryEntry; tie: number }> = [];
    for (let i = lo; i < sorted.length; i++) {
      const row = sorted[i]!;
      if (query.before !== undefined && row.start >= query.before) break;
      const entry = entryOf(row, at);
      if (entry) picked.push({ entry, tie: this.prng.next() });
    }
    picked.sort((a, b) => b.entry.start - a.entry.start || a.tie - b.tie);
    const limited = query.limit > 0 ? picked.slice(0, query.limit) : picked;
    return { entries: limited.map((p) => p.entry), jocTime: at };
  }

  async byIds(ids: readonly string[]): Promise<HistoryEntry[]> {
    this.requests++;
    this.byIdRequests++;
    if (this.fail()) throw new Error('JOC is down');
    const at = this.now();
    if (!this.#byId) this.#byId = new Map(this.rows.map((row) => [row.id, row]));
    const byId = this.#byId;
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return (row && entryOf(row, at)) ?? [];
    });
  }
}

/**
 * Counts per job and result of the rows that ended at or after `from` (the first poll), started
 * at or after `startedFrom` (the first poll's look-back) and are visible at `at`.
 */
export function groundTruth(
  rows: readonly ModelRow[],
  from: number,
  startedFrom: number,
  at: number,
): Map<string, { successful: number; failed: number }> {
  const truth = new Map<string, { successful: number; failed: number }>();
  for (const row of rows) {
    if (row.end === null || row.end < from || row.start < startedFrom || row.endVisibleAt > at) continue;
    const counts = truth.get(row.job) ?? { successful: 0, failed: 0 };
    counts[row.failed ? 'failed' : 'successful']++;
    truth.set(row.job, counts);
  }
  return truth;
}

export { createPrng };

const MINUTE = 60_000;

/**
 * Random rows: a few per 20 s, now and then a burst of one to four pages at five instants, 70 %
 * short, 20 % over several polls, 10 % past the overlap (so only a look-up by id sees them end),
 * 2 % never ending, a quarter failing, one in ten short ones written late with its old start
 * (within the overlap).
 */
export function generateRows(
  seed: number,
  options: Pick<HistoryOptions, 'pageLimit' | 'overlapMs'>,
  from: number,
  runEnd: number,
): { rows: ModelRow[]; late: number; long: number } {
  const prng = createPrng(seed);
  const jobs = Array.from({ length: prng.int(1, 40) }, (_, i) => `/folder${i % 4}/job${i}`);
  const rows: ModelRow[] = [];
  let late = 0;
  let long = 0;
  let id = 1000;
  for (let t = from; t < runEnd; t += 20_000) {
    const burst = prng.chance(0.01);
    const n = burst ? prng.int(options.pageLimit, options.pageLimit * 4) : prng.int(0, 2);
    for (let i = 0; i < n; i++) {
      // a burst shares a few instants; fewer rows per instant than a page holds
      const start = burst ? t + 1000 * (i % 5) : t + prng.int(0, 19_999);
      const kind = prng.next();
      const duration =
        kind < 0.7 ? prng.int(0, 60_000) : kind < 0.9 ? prng.int(MINUTE, 20 * MINUTE) : prng.int(20 * MINUTE, 90 * MINUTE);
      if (duration >= 20 * MINUTE) long++;
      const end = prng.chance(0.02) ? null : start + duration;
      const isLate = end !== null && duration < options.overlapMs - 10_000 && prng.chance(0.1);
      let visibleAt = start + prng.int(0, 5_000);
      let endVisibleAt = end === null ? Infinity : end + prng.int(0, 5_000);
      if (isLate) {
        // written after it ended, with its old start, within the overlap
        visibleAt = endVisibleAt = prng.int(Math.max(end, start + 1), start + options.overlapMs - 5_000);
        late++;
      }
      const failed = prng.chance(0.25);
      rows.push({
        id: String(id++),
        job: prng.pick(jobs),
        start,
        end,
        failed,
        exitCode: failed ? prng.int(1, 255) : 0,
        visibleAt,
        endVisibleAt: Math.max(endVisibleAt, visibleAt),
      });
    }
  }
  return { rows, late, long };
}

