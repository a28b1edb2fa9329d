import { coalesced, exposedGc } from '../../src/util/gc';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the collection after a render', () => {
  test('asked for several times in one turn of the event loop, it collects once, on the next turn', async () => {
    const collect = jest.fn();
    const afterRender = coalesced(collect);
    afterRender();
    afterRender();
    afterRender();
    expect(collect).not.toHaveBeenCalled();
    await nextTurn();
    expect(collect).toHaveBeenCalledTimes(1);
    afterRender();
    await nextTurn();
    expect(collect).toHaveBeenCalledTimes(2);
  });

  test("it is node's gc() when node exposes it, and nothing otherwise", () => {
    const global = globalThis as { gc?: unknown };
    const saved = global.gc;
    try {
      delete global.gc;
      expect(exposedGc()).toBeNull();
      const gc = jest.fn();
      global.gc = gc;
      exposedGc()!();
      expect(gc).toHaveBeenCalledTimes(1);
    } finally {
      if (saved === undefined) delete global.gc;
      else global.gc = saved;
    }
  });
});
