import { requestsPerPoll } from '../../src/bench/scenarios';
import { percentile, summarise } from '../../src/bench/stats';

describe('bench statistics (nearest rank)', () => {
  const oneToTen = [7, 3, 10, 1, 9, 2, 8, 5, 4, 6];

  test('percentiles are observed values, whatever the order of the input', () => {
    expect([10, 50, 90, 95, 100].map((p) => percentile(oneToTen, p))).toEqual([1, 5, 9, 10, 10]);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([42], 1)).toBe(42);
    expect(oneToTen[0]).toBe(7); // the input is not sorted in place
  });

  test('the rank is exact where p / 100 * n is not (0.07 * 100 = 7.000000000000001)', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 7)).toBe(7);
    expect(percentile(hundred, 99)).toBe(99);
  });

  test('a summary', () => {
    expect(summarise([4, 1, 3, 2])).toEqual({ count: 4, min: 1, mean: 2.5, p50: 2, p95: 4, p99: 4, max: 4 });
  });

  test('no values, or a percentile out of (0, 100], is an error', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => summarise([])).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('requests per poll (CONTRACT §5)', () => {
  const always = { 'orders/overview/snapshot': 1, orders: 1, 'jobs/overview/snapshot': 1, 'jobscheduler/cluster/members': 1 };

  test('do not grow with the configured jobs and job chains: one call per endpoint and JobScheduler', async () => {
    const [none, one, many] = await requestsPerPoll();
    expect([none, one, many].map((row) => [row!.jobs, row!.jobChains])).toEqual([[0, 0], [1, 1], [300, 100]]);
    // With jobs and job chains configured: one `jobs` and one `job_chains` call, however many.
    expect(one!.perEndpoint).toEqual({ ...always, jobs: 1, job_chains: 1 });
    expect(many!.perEndpoint).toEqual(one!.perEndpoint);
    expect(many!.total).toBe(6);
    // With none configured those two calls are left out; no login, touch or jobscheduler/ids in any row.
    expect(none!.perEndpoint).toEqual(always);
  });
});
