import { everyKindEvents, findings, growth, socketGrowth, type SoakReading, type SoakReport } from '../../bench/soak/soak';
import { FAULT_KINDS } from '../../src/simulator';

/** The soak's verdict on made-up readings, so that each finding is shown to fire. */
const MB = 1024 * 1024;

function reading(elapsedSeconds: number, rssMb: number, heapMb: number, sockets = 5, quiet = true): SoakReading {
  return {
    elapsedSeconds,
    rssBytes: rssMb * MB,
    heapUsedBytes: heapMb * MB,
    sockets,
    openFds: sockets + 20,
    loopDelayP99Ms: 10,
    loopDelayMaxMs: 12,
    polls: elapsedSeconds,
    faults: 0,
    jocUp: quiet ? 1 : 0,
    quiet,
  };
}

const healthy: SoakReport = {
  readings: [0, 10, 20, 30, 40, 50, 60, 70, 80].map((t, i) => reading(t, 100 + (i % 3) * 3, 20 + (i % 2) * 6)),
  scrapes: 80,
  failedScrapes: [],
  faultsInjected: 30,
  faultKindsSeen: ['delay'],
  polls: 80,
  recoverySeconds: 0.3,
  exitCode: 0,
  exitSignal: null,
  shutdownSeconds: 0.05,
  logins: 3,
  logouts: 1,
  warnLines: 10,
  strayLines: [],
  secretLeaked: false,
};

test('growth compares the lows of the two parts of the second half of the run (the first half is warm-up)', () => {
  const rss = [50, 70, 90, 100, 104, 100, 120, 102, 118];
  const g = growth(rss.map((mb, i) => reading(i * 10, mb, 20)), (r) => r.rssBytes);
  // Settled from 40 s: [104, 100] against [102, 118] (the middle reading, 120 at 60 s, in neither part).
  expect(g.start).toBe(100 * MB);
  expect(g.end).toBe(102 * MB);
  expect(g.ratio).toBeCloseTo(1.02);
});

test('a healthy run has no findings', () => {
  expect(findings(healthy)).toEqual([]);
});

test.each([
  ['RSS growth', { readings: healthy.readings.map((r, i) => ({ ...r, rssBytes: r.rssBytes + i * 5 * MB })) }, /^RSS grew/],
  ['heap growth', { readings: healthy.readings.map((r, i) => ({ ...r, heapUsedBytes: r.heapUsedBytes + i * 3 * MB })) }, /^heap grew/],
  ['socket growth', { readings: healthy.readings.map((r, i) => ({ ...r, sockets: 5 + i })) }, /^open sockets grew/],
  ['a failed scrape', { failedScrapes: ['HTTP 500'] }, /scrapes failed/],
  ['no recovery', { recoverySeconds: null }, /did not recover/],
  ['a bad exit', { exitCode: 1 }, /exit code 1/],
  ['a slow shutdown', { shutdownSeconds: 6 }, /shutdown took 6 s/],
  ['a leaked secret', { secretLeaked: true }, /password or an access token/],
  ['a stray line', { strayLines: ['Error: boom'] }, /not JSON log lines/],
] as const)('%s is a finding', (_what, change, pattern) => {
  const problems = findings({ ...healthy, ...change });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(pattern);
});

test('open sockets are compared on quiet readings only: a reading inside a JOC outage is no baseline', () => {
  // At 40 s JOC was refusing connections: the exporter held only its own sockets.
  const readings = [0, 10, 20, 30, 40, 50, 60, 70, 80].map((t) => reading(t, 100, 20, t === 40 ? 4 : 7, t !== 40));
  expect(findings({ ...healthy, readings })).toEqual([]);
  expect(socketGrowth(readings)).toEqual({ start: 7, end: 7, quietReadings: 8 });
});

test('open sockets that grow between quiet readings are a finding, whatever the readings in outages show', () => {
  const readings = [0, 10, 20, 30, 40, 50, 60, 70, 80].map((t, i) => reading(t, 100, 20, i % 2 === 0 ? 5 + i : 2, i % 2 === 0));
  expect(findings({ ...healthy, readings })).toEqual(['open sockets grew from 5 to 11 (quiet readings)']);
});

test('fewer than two quiet readings are too few to judge open sockets', () => {
  const readings = [0, 10, 20].map((t, i) => reading(t, 100, 20, 5 + i * 5, i === 2));
  expect(socketGrowth(readings)).toBeNull();
  expect(findings({ ...healthy, readings })).toEqual([]);
});

test('the every-kind plan brings every fault kind of the simulator once, and the session and connection events', () => {
  const events = everyKindEvents();
  const kinds = events.flatMap((e) => (e.kind === 'fault' ? [e.fault.kind] : []));
  for (const kind of FAULT_KINDS) expect(kinds).toContain(kind);
  expect(events.filter((e) => e.kind === 'expire').map((e) => (e.kind === 'expire' ? e.shape : ''))).toEqual(['401', '440', '420']);
  expect(events.some((e) => e.kind === 'restart')).toBe(true);
  expect(events.some((e) => e.kind === 'refuse')).toBe(true);
  expect(everyKindEvents()).toEqual(events);
});

test('a tolerance lets more growth pass', () => {
  const grown = { ...healthy, readings: healthy.readings.map((r, i) => ({ ...r, rssBytes: r.rssBytes + i * 4 * MB })) };
  expect(findings(grown)).toHaveLength(1);
  expect(findings(grown, { heap: 0.2, rss: 0.5 })).toEqual([]);
});
