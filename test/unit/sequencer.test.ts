/* eslint-disable @typescript-eslint/no-require-imports */
/** test/support/sequencer.js: the longest files first, with estimates where jest has no timings (a fresh clone). */
const Sequencer = require('../support/sequencer.js') as {
  new (options: object): { sort(tests: { path: string }[]): { path: string }[]; _getCache(test: object): Record<string, [number, number]> };
  estimate(path: string): number;
};

const make = (cache: Record<string, [number, number]>) => {
  const sequencer = Object.create(Sequencer.prototype) as InstanceType<typeof Sequencer>;
  sequencer._getCache = () => cache;
  return sequencer;
};

const files = ['/r/test/unit/a.test.ts', '/r/test/integration/cli.test.ts', '/r/test/integration/soak.test.ts', '/r/test/e2e/prometheus.test.ts'];

test('without timings (a fresh clone): the soak, then e2e, then the other integration files, then the rest', () => {
  expect(make({}).sort(files.map((path) => ({ path }))).map((t) => t.path)).toEqual([
    '/r/test/integration/soak.test.ts',
    '/r/test/e2e/prometheus.test.ts',
    '/r/test/integration/cli.test.ts',
    '/r/test/unit/a.test.ts',
  ]);
});

test("with jest's timings of the last run: those decide, and a failed file comes first", () => {
  const cache: Record<string, [number, number]> = {
    '/r/test/unit/a.test.ts': [1, 90_000],
    '/r/test/integration/cli.test.ts': [0, 1_000],
    '/r/test/integration/soak.test.ts': [1, 2_000],
    '/r/test/e2e/prometheus.test.ts': [1, 3_000],
  };
  expect(make(cache).sort(files.map((path) => ({ path }))).map((t) => t.path)).toEqual([
    '/r/test/integration/cli.test.ts',
    '/r/test/unit/a.test.ts',
    '/r/test/e2e/prometheus.test.ts',
    '/r/test/integration/soak.test.ts',
  ]);
});
