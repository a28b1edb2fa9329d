import { Registry } from 'prom-client';
import { Exposition } from '../../src/metrics/exposition';
import { JOC_UP } from '../../src/metrics/families';
import { SelfMetrics } from '../../src/metrics/self';

describe('Exposition', () => {
  test('publishes that come while a render waits share that render, and it shows all of them', async () => {
    const exposition = new Exposition(new SelfMetrics(), { processMetrics: false, jocOrder: ['a', 'b', 'c'] });
    const renders = jest.spyOn(Registry.prototype, 'metrics');
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

  test('before the first render a page is empty but valid', async () => {
    const exposition = new Exposition(new SelfMetrics(), { processMetrics: false });
    expect((await exposition.page({ openMetrics: true, gzip: true })).body).toBe('# EOF\n');
    expect((await exposition.page()).body).toBe('');
  });
});
