import { Exposition } from '../../src/metrics/exposition';
import { SelfMetrics } from '../../src/metrics/self';

/**
 * The process metrics of a page collected right after the previous collection (within the event
 * loop monitor's 10 ms sampling interval), as `--once` against a JOC that is down does: no NaN,
 * no sentinel such as an event-loop delay minimum of 9223372036.85 s.
 */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    map.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return map;
}

/** Only performance.now() is faked: the page's one-second cache of the process metrics ends without waiting. */
const ALL_BUT_PERFORMANCE = [
  'Date', 'hrtime', 'nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate',
  'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout',
] as const;

afterEach(() => jest.useRealTimers());

test('a collection with no event-loop sample since the last one has no nonsense values', async () => {
  jest.useFakeTimers({ doNotFake: [...ALL_BUT_PERFORMANCE] });
  const exposition = new Exposition(new SelfMetrics());
  await exposition.render();
  const pages: string[] = [];
  for (let i = 0; i < 3; i++) {
    pages.push((await exposition.page()).body);
    jest.advanceTimersByTime(1_001);
  }
  for (const page of pages) {
    const values = samples(page);
    expect(values.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    for (const [name, value] of values) {
      expect({ name, finite: Number.isFinite(value) }).toEqual({ name, finite: true });
      if (name.startsWith('nodejs_eventloop_lag_')) expect({ name, value: value < 60 }).toEqual({ name, value: true });
    }
    const min = values.get('nodejs_eventloop_lag_min_seconds');
    const max = values.get('nodejs_eventloop_lag_max_seconds');
    if (min !== undefined) expect(min).toBeLessThanOrEqual(max!);
  }
  // The later collections came within microseconds of the previous one: the summaries are left out.
  expect(samples(pages[2]!).has('nodejs_eventloop_lag_mean_seconds')).toBe(false);
  expect(pages[2]).toContain('# TYPE nodejs_eventloop_lag_mean_seconds gauge');
});
