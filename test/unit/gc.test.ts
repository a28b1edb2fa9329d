import { exposedGc } from '../../src/util/gc';

test("the collection after a render is node's gc() when node exposes it, and nothing otherwise", () => {
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
