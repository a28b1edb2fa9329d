/** The exporter asks for a full collection as each render of its polls starts and after it (src/util/gc.ts). */
import type { Exporter } from '../../src/exporter';
import { startMixedStack } from '../support/stack';

test('two collections per render, one before it and one after its text is kept, and none without polls', async () => {
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
    expect(collectGarbage).toHaveBeenCalledTimes(2 * renders.mock.calls.length);
    // The first collection came before anything was rendered.
    expect(keptWhenCollected[0]).toBe(false);
    await stack.poll();
    expect(collectGarbage).toHaveBeenCalledTimes(2 * renders.mock.calls.length);
    // The last collection came after the render that shows both JOCs was kept.
    expect(keptWhenCollected.at(-1)).toBe(true);
  } finally {
    await stack.close();
  }
});
