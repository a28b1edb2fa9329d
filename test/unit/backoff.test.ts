import { DEFAULT_LOGIN_BACKOFF, LoginBackoff } from '../../src/joc/backoff';
import { shortestInterval } from '../../src/exporter';

const refused = new Error('login refused, HTTP 401');
const policy = { initialMs: 1_000, authMaxMs: 8_000, transientMaxMs: 3_000 };

describe('login backoff', () => {
  test('doubles with each failure up to the cap of its kind, and resets on success', () => {
    const backoff = new LoginBackoff(policy);
    expect([1, 2, 3, 4, 5].map(() => backoff.fail(0, 'auth', refused))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    backoff.succeed();
    expect([1, 2, 3].map(() => backoff.fail(0, 'transient', refused))).toEqual([1_000, 2_000, 3_000]);
    expect(backoff.failures).toBe(3);
    expect(backoff.lastError).toBe(refused);
  });

  test('no attempt before the wait has run out', () => {
    const backoff = new LoginBackoff(policy);
    backoff.fail(10_000, 'auth', refused);
    expect(backoff.remainingMs(10_000)).toBe(1_000);
    expect(backoff.remainingMs(10_600)).toBe(400);
    expect(backoff.remainingMs(11_000)).toBe(0);
  });

  test('jitter takes up to its share off each wait, never adds to it', () => {
    const low = new LoginBackoff({ ...policy, jitter: 0.2 }, () => 0.999_999);
    const high = new LoginBackoff({ ...policy, jitter: 0.2 }, () => 0);
    expect(low.fail(0, 'auth', refused)).toBe(800);
    expect(high.fail(0, 'auth', refused)).toBe(1_000);
    const real = new LoginBackoff({ ...policy, jitter: 0.2 });
    const waits = Array.from({ length: 50 }, () => {
      const wait = real.fail(0, 'auth', refused);
      real.succeed();
      return wait;
    });
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(800);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(1_000);
    // Fifty draws of Math.random are not all equal.
    expect(new Set(waits).size).toBeGreaterThan(1);
  });

  test('a cap given with the failure lowers that of transient failures only', () => {
    const backoff = new LoginBackoff(policy);
    expect([1, 2, 3].map(() => backoff.fail(0, 'transient', refused, 1_500))).toEqual([1_000, 1_500, 1_500]);
    expect([1, 2].map(() => backoff.fail(0, 'auth', refused, 1_500))).toEqual([8_000, 8_000]);
  });

  test('a jitter outside 0..1 is a programming error', () => {
    expect(() => new LoginBackoff({ ...policy, jitter: 1.5 })).toThrow(RangeError);
  });

  test('the default: 5 s doubling, 5 minutes after refused credentials, 30 s after other failures', () => {
    const auth = new LoginBackoff(DEFAULT_LOGIN_BACKOFF, () => 0);
    expect(Array.from({ length: 8 }, () => auth.fail(0, 'auth', refused))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
    const transient = new LoginBackoff(DEFAULT_LOGIN_BACKOFF, () => 0);
    expect(Array.from({ length: 4 }, () => transient.fail(0, 'transient', refused))).toEqual([5_000, 10_000, 20_000, 30_000]);
  });
});

describe('the poll interval of a schedule', () => {
  const at = (...isoTimes: string[]) => isoTimes.map((t) => new Date(t));

  test('is the shortest gap between its next runs', () => {
    expect(shortestInterval(at('2026-01-01T00:00:00Z', '2026-01-01T00:00:30Z', '2026-01-01T00:01:00Z'))).toBe(30_000);
    // "0 9,17 * * *": 8 h, then 16 h.
    expect(shortestInterval(at('2026-01-01T09:00:00Z', '2026-01-01T17:00:00Z', '2026-01-02T09:00:00Z'))).toBe(8 * 3_600_000);
  });

  test('is unknown (0) with fewer than two runs', () => {
    expect(shortestInterval(at('2026-01-01T09:00:00Z'))).toBe(0);
    expect(shortestInterval([])).toBe(0);
  });
});
