/**
 * Property test of the history engine: random histories (bursts that need paging, tasks that run
 * across polls and past the window, rows written late with an old start, rows that never end),
 * polled with missed polls, JOC outages and requests failing in the middle of a poll, through a
 * model of JOC's history endpoint. After the run, the engine's counters must equal the ground
 * truth computed from the same rows: every row that ended at or after the first poll, exactly once.
 */
import { HistoryTracker, type HistoryOptions } from '../../src/history';
import { createPrng, generateRows, groundTruth, HistoryModel } from '../support/history-model';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T_START = Date.UTC(2026, 0, 5, 8, 0, 0);
const INTERVAL = 30_000;
const HISTORIES = Number(process.env.HISTORIES ?? 150);

interface Coverage {
  histories: number;
  rows: number;
  lateRows: number;
  longRows: number;
  outages: number;
  outageMinutes: number;
  missedPolls: number;
  failedPolls: number;
  extraPages: number;
  rechecks: number;
  counted: number;
}

async function runHistory(seed: number, coverage: Coverage): Promise<void> {
  const prng = createPrng(seed * 7919 + 1);
  const options: HistoryOptions = {
    overlapMs: 5 * MINUTE,
    windowMs: HOUR,
    primeLookbackMs: 30 * MINUTE,
    pageLimit: prng.int(8, 40),
    maxPages: 10_000,
    recheckChunk: prng.int(2, 20),
    maxOpenAgeMs: 86_400_000,
    maxSeries: 10_000,
  };
  const genEnd = T_START + 2 * HOUR;
  const runEnd = genEnd + 2 * HOUR;
  const { rows, late, long } = generateRows(seed, options, T_START - HOUR, genEnd);
  // outages of JOC: never longer than the window minus the overlap and a poll or two
  // (one after the other, apart by more than the window)
  const outages: Array<[number, number]> = [];
  let outageFrom = T_START + prng.int(0, HOUR);
  for (let i = prng.int(0, 3); i > 0 && outageFrom < genEnd; i--) {
    // (leaving 10 minutes for missed and failed polls around it)
    const length = prng.int(1 * MINUTE, options.windowMs - options.overlapMs - 10 * MINUTE);
    outages.push([outageFrom, outageFrom + length]);
    coverage.outageMinutes += length / MINUTE;
    outageFrom += length + options.windowMs + prng.int(0, HOUR);
  }
  let now = T_START;
  let midPollFailure = 0;
  const down = (): boolean => outages.some(([a, b]) => now >= a && now < b) || prng.next() < midPollFailure;
  const model = new HistoryModel(createPrng(seed), () => now, down);
  for (const row of rows) model.add(row);
  const tracker = new HistoryTracker(model, options, () => now);

  let countFrom: number | null = null;
  const violations: string[] = [];
  const exposedBefore = new Map<string, { successful: number; failed: number }>();
  for (let poll = 0; now < runEnd; poll++, now += INTERVAL) {
    const quiet = now >= genEnd + 30 * MINUTE;
    if (!quiet && tracker.primed && prng.chance(0.08)) {
      coverage.missedPolls++;
      continue;
    }
    midPollFailure = quiet ? 0 : 0.03;
    const requestsBefore = model.requests;
    const outcome = await tracker.poll().catch(() => null);
    if (!outcome) {
      coverage.failedPolls++;
      continue;
    }
    // (plain checks inside the loop: jest's expect costs more than the engine)
    const problem = (text: string): void => {
      violations.push(`seed ${seed} at ${new Date(now).toISOString()}: ${text}`);
    };
    if (outcome.truncated) problem('truncated');
    if (model.requests - requestsBefore !== outcome.requests) problem('requests miscounted');
    if (outcome.requests > outcome.pages + 1) problem(`${outcome.requests} requests for ${outcome.pages} pages`);
    coverage.counted += outcome.counted;
    coverage.extraPages += outcome.pages - 1;
    if (countFrom === null) countFrom = now;
    // a new series shows 0 in the first exposition it appears in; exposed values never go down
    for (const series of tracker.book.values()) {
      const before = exposedBefore.get(series.key);
      const c = series.completed;
      if (!before && (c.successful !== 0 || c.failed !== 0)) problem(`${series.key} born at ${JSON.stringify(c)}`);
      if (before && (c.successful < before.successful || c.failed < before.failed)) problem(`${series.key} went down`);
      exposedBefore.set(series.key, { ...c });
    }
    if (poll % 10 !== 0) continue;
    // never more than the truth so far (checked every tenth poll: it walks every row)
    const truth = groundTruth(rows, countFrom, countFrom - options.primeLookbackMs, now);
    for (const series of tracker.book.values()) {
      const c = series.completed;
      const t = truth.get(series.key) ?? { successful: 0, failed: 0 };
      if (c.successful + series.deferred.successful > t.successful || c.failed + series.deferred.failed > t.failed) {
        problem(`${series.key} counted ${JSON.stringify(c)} over the truth ${JSON.stringify(t)}`);
      }
    }
  }
  expect(violations).toEqual([]);
  // one more quiet poll releases the increments deferred by the last one
  await tracker.poll();
  const truth = groundTruth(rows, countFrom!, countFrom! - options.primeLookbackMs, now);
  const exposed = new Map([...tracker.book.values()].map((s) => [s.key, s.completed]));
  if (process.env.HISTORY_DEBUG) {
    for (const [job, counts] of truth) {
      const e = exposed.get(job);
      if (!e || e.successful !== counts.successful || e.failed !== counts.failed) {
        console.log(seed, job, JSON.stringify(options), countFrom, JSON.stringify(outages));
        for (const r of rows.filter((r) => r.job === job && r.end !== null && r.end >= countFrom! && r.start >= countFrom! - options.primeLookbackMs)) console.log(JSON.stringify(r));
        break;
      }
    }
  }
  for (const [job, counts] of truth) expect([seed, job, exposed.get(job)]).toEqual([seed, job, counts]);
  for (const [job, counts] of exposed) expect([job, counts]).toEqual([job, truth.get(job) ?? { successful: 0, failed: 0 }]);
  const total = [...truth.values()].reduce((n, c) => n + c.successful + c.failed, 0);
  expect(tracker.book.totals.successful + tracker.book.totals.failed).toBe(total);
  expect(tracker.book.durations.count).toBe(total);
  // the last success of each job is the newest successful end since the start
  for (const series of tracker.book.values()) {
    const ends = rows.filter((r) => r.job === series.key && r.end !== null && !r.failed && r.end >= countFrom! && r.start >= countFrom! - options.primeLookbackMs).map((r) => r.end!);
    if (ends.length > 0) expect(series.lastSuccessEnd).toBe(Math.max(...ends));
  }
  // bounded memory: after two quiet hours nothing counted is remembered, only rows that never end stay open
  expect(tracker.rememberedEntries).toBe(0);
  expect(tracker.openEntries).toBeLessThanOrEqual(rows.filter((r) => r.end === null).length);

  coverage.histories++;
  coverage.rows += rows.length;
  coverage.lateRows += late;
  coverage.longRows += long;
  coverage.outages += outages.length;
  coverage.rechecks += model.byIdRequests;
}

describe('history engine against a model of JOC history (property)', () => {
  it(`counts what ended exactly once over ${HISTORIES} random histories`, async () => {
    const coverage: Coverage = {
      histories: 0, rows: 0, lateRows: 0, longRows: 0, outages: 0, outageMinutes: 0,
      missedPolls: 0, failedPolls: 0, extraPages: 0, rechecks: 0, counted: 0,
    };
    for (let seed = 1; seed <= HISTORIES; seed++) await runHistory(seed, coverage);
    // the run must have exercised what it claims to cover
    expect(coverage.histories).toBe(HISTORIES);
    expect(coverage.lateRows).toBeGreaterThan(1000);
    expect(coverage.outages).toBeGreaterThan(30);
    expect(coverage.extraPages).toBeGreaterThan(100);
    expect(coverage.rechecks).toBeGreaterThan(100);
    expect(coverage.failedPolls).toBeGreaterThan(100);
    // printed for the record
    console.log(`history property coverage: ${JSON.stringify(coverage)}`);
  });
});
