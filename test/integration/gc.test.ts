/** The exporter asks for a full collection once per render of its polls (src/util/gc.ts). */
import type { Exporter } from '../../src/exporter';
import { startMixedStack } from '../support/stack';

test('one collection per render, after its text is kept, and none without polls', async () => {
  let exporter: Exporter | undefined;
  const keptWhenCollected: boolean[] = [];
  const collectGarbage = jest.fn(() => {
    keptWhenCollected.push(/jobscheduler_joc_up\{joc="js7"\}/.test(exporter!.exposition.text));
  });
  const stack = await startMixedStack({ deps: { collectGarbage } });
  exporter = stack.exporter;
  try {
    expect(collectGarbage).not.toHaveBeenCalled();
    // Each render renders the self-metrics once, after the data families.
    const renders = jest.spyOn(stack.exporter.metrics.registry, 'metrics');
    await stack.poll();
    expect(renders.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(collectGarbage).toHaveBeenCalledTimes(renders.mock.calls.length);
    await stack.poll();
    expect(collectGarbage).toHaveBeenCalledTimes(renders.mock.calls.length);
    // The last collection came after the render that shows both JOCs was kept.
    expect(keptWhenCollected.at(-1)).toBe(true);
  } finally {
    await stack.close();
  }
});
