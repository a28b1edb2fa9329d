import { Counter, Gauge, Registry } from 'prom-client';
import { Exposition } from '../../src/metrics/exposition';
import { DATA_FAMILIES, JOB_STATE, JOC_UP, ORDERS, type DataFamily, type Sample } from '../../src/metrics/families';
import { TASKS_COMPLETED } from '../../src/metrics/outcome-families';
import { toOpenMetrics } from '../../src/metrics/openmetrics';
import { SelfMetrics } from '../../src/metrics/self';

/** Job state samples of `jobs` jobs, three states each: enough bytes for a part of its own. */
function jobStates(joc: string, jobs: number): Sample[] {
  return Array.from({ length: jobs * 3 }, (_, i) => ({
    family: JOB_STATE,
    labels: { joc, jobscheduler_id: 'js', job_path: `/folder/job-${Math.floor(i / 3)}`, state: ['pending', 'running', 'stopped'][i % 3]! },
    value: i % 3 === 0 ? 1 : 0,
  }));
}

/**
 * What prom-client renders for the same samples with its own Gauge and Counter objects in one
 * registry (the reference the kept text must equal, byte for byte).
 */
async function reference(samples: readonly Sample[], self: SelfMetrics): Promise<string> {
  const registry = new Registry();
  const metrics = new Map<DataFamily, Gauge | Counter>();
  for (const family of DATA_FAMILIES) {
    if (!samples.some((s) => s.family === family)) continue;
    const options = { name: family.name, help: family.help, labelNames: family.labelNames, registers: [registry] };
    metrics.set(family, family.type === 'counter' ? new Counter(options) : new Gauge(options));
  }
  for (const sample of samples) {
    const metric = metrics.get(sample.family)!;
    if (metric instanceof Counter) metric.inc(sample.labels, sample.value);
    else metric.set(sample.labels, sample.value);
  }
  return Registry.merge([registry, self.registry]).metrics();
}

describe('Exposition', () => {
  test('publishes that come while a render waits share that render, and it shows all of them', async () => {
    const self = new SelfMetrics();
    const exposition = new Exposition(self, { processMetrics: false, jocOrder: ['a', 'b', 'c'] });
    // Each render renders the self-metrics once, after the data families.
    const renders = jest.spyOn(self.registry, 'metrics');
    await exposition.publish('a', [{ family: JOC_UP, labels: { joc: 'a' }, value: 1 }]);
    expect(renders).toHaveBeenCalledTimes(1);
    const second = exposition.publish('b', [{ family: JOC_UP, labels: { joc: 'b' }, value: 0 }]);
    const third = exposition.publish('c', [{ family: JOC_UP, labels: { joc: 'c' }, value: 1 }]);
    expect(third).toBe(second);
    await third;
    expect(renders).toHaveBeenCalledTimes(2);
    renders.mockRestore();
    expect(exposition.text).toContain('jobscheduler_joc_up{joc="a"} 1\njobscheduler_joc_up{joc="b"} 0\njobscheduler_joc_up{joc="c"} 1\n');
  });

  test('scrapes within a second share one collection of the process metrics, in each format', async () => {
    // Only performance.now() (the cache's clock) is faked, so the second passes without waiting.
    jest.useFakeTimers({
      doNotFake: ['Date', 'hrtime', 'nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    });
    const exposition = new Exposition(new SelfMetrics());
    await exposition.render();
    const collections = jest.spyOn(Registry.prototype, 'metrics');
    try {
      const pages = await Promise.all([exposition.page(), exposition.page(), exposition.page({ openMetrics: false, gzip: true })]);
      expect(collections).toHaveBeenCalledTimes(1);
      expect(pages[0]!.body).toContain('process_resident_memory_bytes ');
      expect(pages[2]!.body).toBe(pages[0]!.body);
      await exposition.page({ openMetrics: true, gzip: false });
      expect(collections).toHaveBeenCalledTimes(2);
      jest.advanceTimersByTime(999);
      await exposition.page();
      expect(collections).toHaveBeenCalledTimes(2);
      jest.advanceTimersByTime(1);
      await exposition.page();
      expect(collections).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
      collections.mockRestore();
    }
  });

  test('the kept text is what prom-client renders for the same series, in both formats, plain and gzipped', async () => {
    const self = new SelfMetrics();
    const exposition = new Exposition(self, { processMetrics: false, jocOrder: ['a', 'b'] });
    const a: Sample[] = [
      { family: JOC_UP, labels: { joc: 'a' }, value: 1 },
      { family: ORDERS, labels: { joc: 'a', jobscheduler_id: 'js', state: 'pending' }, value: 3 },
      ...jobStates('a', 2_000),
      { family: TASKS_COMPLETED, labels: { joc: 'a', jobscheduler_id: 'js', job_path: '/x', result: 'failed' }, value: 4 },
    ];
    // Label values that need escaping: a backslash, a double quote, a newline.
    const b: Sample[] = [
      { family: JOC_UP, labels: { joc: 'b' }, value: 0 },
      { family: ORDERS, labels: { joc: 'b', jobscheduler_id: 'a\\b"c\nd', state: 'suspended' }, value: 1.5 },
    ];
    await exposition.publish('a', a);
    await exposition.publish('b', b);
    const expected = await reference([...a, ...b], self);
    expect(expected).toContain('jobscheduler_tasks_completed_total{');
    expect(exposition.text).toBe(expected);
    for (const gzip of [false, true]) {
      expect((await exposition.page({ openMetrics: false, gzip })).body).toBe(expected);
      expect((await exposition.page({ openMetrics: true, gzip })).body).toBe(`${toOpenMetrics(expected)}# EOF\n`);
    }
  });

  test('a gauge family large enough for a part of its own is kept once for both formats', async () => {
    const exposition = new Exposition(new SelfMetrics(), { processMetrics: false });
    await exposition.publish('a', jobStates('a', 2_000));
    const text = (await exposition.page({ openMetrics: false, gzip: false })).parts;
    const openMetrics = (await exposition.page({ openMetrics: true, gzip: false })).parts;
    const shared = text.filter((part) => openMetrics.includes(part) && part.length > 64 * 1024);
    expect(shared).toHaveLength(1);
    expect(shared[0]!.toString()).toMatch(/^jobscheduler_job_state\{joc="a",[^\n]+\n(jobscheduler_job_state\{[^\n]+\n){5999}$/);
  });

  test("a render renders again only the JOCs published since the last one; the others' bytes are kept as they are", async () => {
    const exposition = new Exposition(new SelfMetrics(), { processMetrics: false, jocOrder: ['a', 'b'] });
    await exposition.publish('a', jobStates('a', 2_000));
    await exposition.publish('b', jobStates('b', 2_000));
    const large = async () => (await exposition.page()).parts.filter((part) => part.length > 64 * 1024);
    const [a, b] = await large();
    expect(a!.toString()).toContain('{joc="a",');
    expect(b!.toString()).toContain('{joc="b",');
    const renders = jest.spyOn(Registry.prototype, 'metrics');
    await exposition.publish('b', jobStates('b', 2_001));
    // b's 6,003 series in slices of 500, and the self-metrics once; none of a's.
    expect(renders).toHaveBeenCalledTimes(13 + 1);
    renders.mockRestore();
    const [a2, b2] = await large();
    expect(a2).toBe(a);
    expect(b2).not.toBe(b);
    expect(b2!.toString()).toContain('job_path="/folder/job-2000"');
  });

  test('a label set that comes twice is one series with the later value, where it first came', async () => {
    const exposition = new Exposition(new SelfMetrics(), { processMetrics: false });
    const labels = (state: string) => ({ joc: 'a', jobscheduler_id: 'js', state });
    await exposition.publish('a', [
      { family: ORDERS, labels: labels('pending'), value: 1 },
      { family: ORDERS, labels: labels('running'), value: 2 },
      { family: ORDERS, labels: { state: 'pending', jobscheduler_id: 'js', joc: 'a' }, value: 3 },
    ]);
    const lines = exposition.text.split('\n').filter((line) => line.startsWith('jobscheduler_orders{'));
    expect(lines).toEqual(['jobscheduler_orders{joc="a",jobscheduler_id="js",state="pending"} 3', 'jobscheduler_orders{joc="a",jobscheduler_id="js",state="running"} 2']);
  });

  test('before the first render a page is empty but valid', async () => {
    const exposition = new Exposition(new SelfMetrics(), { processMetrics: false });
    expect((await exposition.page({ openMetrics: true, gzip: true })).body).toBe('# EOF\n');
    expect((await exposition.page()).body).toBe('');
  });
});
