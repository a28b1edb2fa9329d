/** The exporter asks for a full collection once its polls are rendered (src/util/gc.ts). */
import { startMixedStack } from '../support/stack';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('after the polls of both JOCs are rendered, one collection per render, and none without polls', async () => {
  const collectGarbage = jest.fn();
  const stack = await startMixedStack({ deps: { collectGarbage } });
  try {
    await nextTurn();
    expect(collectGarbage).not.toHaveBeenCalled();
    const renders = jest.spyOn(stack.exporter.metrics.registry, 'metrics');
    await stack.poll();
    await nextTurn();
    expect(collectGarbage.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(collectGarbage.mock.calls.length).toBeLessThanOrEqual(renders.mock.calls.length);
    const before = collectGarbage.mock.calls.length;
    await stack.poll();
    await nextTurn();
    expect(collectGarbage.mock.calls.length).toBeGreaterThan(before);
  } finally {
    await stack.close();
  }
});
