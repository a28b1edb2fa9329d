import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { requestsOfOnePoll, pollOk } from '../../bench/poll';
import { binaryEnv, binaryFlags, binaryLibraries, type RssResult } from '../../bench/rss';
import { areaOf, summariseProfile, type CpuProfile } from '../../bench/profile';
import { atLeast, atMost, NOT_JUDGED, rssGrowth, rssReport, table, verdicts } from '../../bench/report';
import type { RowResult } from '../../bench/results';
import { ALL_ORDER_STATES, inventoryOptions, JOBSCHEDULER_ID, parseSizes, SIZES } from '../../bench/sizes';
import { benchExporter, localJoc } from '../../bench/stack';
import { percentile, summarise } from '../../bench/stats';
import { DEFAULT_ORDER_STATES } from '../../src/config/types';
import { generateInventory, startSimulator } from '../../src/simulator';

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

describe('bench sizes', () => {
  test('names and JOBS/ORDERS[/all]', () => {
    expect(parseSizes('small, large-all').map((s) => s.name)).toEqual(['small', 'large-all']);
    expect(parseSizes('50/5000/all,7/700')).toEqual([
      { name: '50/5000/all', configured: 50, orders: 5000, allStates: true },
      { name: '7/700', configured: 7, orders: 700, allStates: false },
    ]);
    expect(() => parseSizes('huge')).toThrow(/neither one of small/);
    expect(() => parseSizes('0/100')).toThrow(/no job/);
  });

  test('each preset generates about the orders it names, with as many standalone jobs and job chains as configured', () => {
    for (const size of SIZES.filter((s) => s.orders <= 20_000)) {
      const scheduler = generateInventory(inventoryOptions(size)).schedulers[0]!;
      expect(scheduler.jobs.filter((j) => !j.isOrderJob)).toHaveLength(size.configured);
      expect(scheduler.jobChains).toHaveLength(size.configured);
      expect(Math.abs(scheduler.orders.length - size.orders) / size.orders).toBeLessThan(0.02);
    }
  });
});

describe('requests per poll (CONTRACT §5)', () => {
  const always = { 'orders/overview/snapshot': 1, orders: 1, 'jobs/overview/snapshot': 1, 'jobscheduler/cluster/members': 1 };

  test('do not grow with the configured jobs and job chains: one call per endpoint and JobScheduler', async () => {
    const inventory = generateInventory({ ...inventoryOptions({ name: 't', configured: 100, orders: 1000, allStates: false }), jobsPerChain: 3 });
    const sim = await startSimulator({ users: { bench: 'bench-password' }, inventory });
    try {
      const scheduler = inventory.schedulers.find((s) => s.jobschedulerId === JOBSCHEDULER_ID)!;
      const rows = [];
      for (const [jobs, jobChains] of [[0, 0], [1, 1], [300, 100]] as const) {
        const watch = {
          jobs: scheduler.jobs.slice(0, jobs).map((j) => j.path),
          jobChains: scheduler.jobChains.slice(0, jobChains).map((c) => c.path),
          orderStates: jobs === 0 ? DEFAULT_ORDER_STATES : ALL_ORDER_STATES,
        };
        expect([watch.jobs.length, watch.jobChains.length]).toEqual([jobs, jobChains]);
        const exporter = await benchExporter(sim.url, watch, false);
        try {
          await pollOk(exporter);
          rows.push(await requestsOfOnePoll(exporter, localJoc(sim)));
        } finally {
          await exporter.close();
        }
      }
      const [none, one, many] = rows;
      // With jobs and job chains configured: one `jobs` and one `job_chains` call, however many.
      expect(one!.perEndpoint).toEqual({ ...always, jobs: 1, job_chains: 1 });
      expect(many!.perEndpoint).toEqual(one!.perEndpoint);
      expect(many!.total).toBe(6);
      // With none configured those two calls are left out; no login, touch or jobscheduler/ids in any row.
      expect(none!.perEndpoint).toEqual(always);
    } finally {
      await sim.close();
    }
  });
});

describe('bench report', () => {
  test('a table: first column left-aligned, the others right-aligned; short rows are headings', () => {
    expect(table([['', 'a', 'bbb'], ['heading'], ['x', '10', '2']])).toBe(
      ['            a  bbb', '  heading', '  x        10    2', ''].join('\n'),
    );
  });

  test('goals: met, or NOT met by how much', () => {
    expect(atMost(6, 6, 'requests', true)).toBe('met');
    expect(atMost(8, 6, 'requests', true)).toBe('NOT met (by 2 requests, +33.3 % of the limit)');
    expect(atMost(5, 5, 'ms')).toBe('NOT met (by 0.00 ms, +0.0 % of the limit)');
    expect(atMost(110e6, 100e6, 'B')).toBe('NOT met (by 10.0 MB, +10.0 % of the limit)');
    expect(atLeast(0.8, 0.8, '')).toBe('met');
    expect(atLeast(0.6, 0.8, '')).toBe('NOT met (by 0.20, -25.0 % of the limit)');
  });

  const load = (perSecond: number, p99: number) => ({
    requests: perSecond * 5, seconds: 5, perSecond, bytesPerSecond: 0, failures: 0,
    latencyMs: { count: 1, min: 0, mean: 0, p50: 0, p95: 0, p99, max: p99 },
  });
  const memory = (rss: number, rssAfterGc: number | null) => ({
    rssBytes: rss, rssAfterGcBytes: rssAfterGc, heapUsedAfterGcBytes: null, heapTotalBytes: 0, externalBytes: 0,
  });
  const row = (name: string, orders: number, series: number, total: number): RowResult => ({
    size: { name, configured: 10, orders, allStates: false },
    inventory: { jobs: 10, jobChains: 10, orders, orderStates: DEFAULT_ORDER_STATES, ordersAnswered: 0, ordersAnswerBytes: 0 },
    exposition: { series, bytes: 0 },
    requests: { perEndpoint: {}, total },
    polls: {
      polls: 10,
      wallMs: summarise([1]),
      cpuMs: summarise([1]),
      simulatorCpuMsPerPoll: 0,
    },
    memory: { warmupPolls: 5, polls: 11, afterWarmup: memory(50e6, 40e6), midway: memory(100e6, 42e6), afterPolls: memory(120e6, 44e6) },
    scrape: [{ variant: 'text', connections: 16, bytes: 1, exporter: load(700, 4), plain: load(1000, 1) }],
  });

  test('RSS growth is read after a forced GC when there was one', () => {
    const r = row('a', 1000, 100, 6);
    expect(rssGrowth(r)).toEqual({ percent: 10, afterGc: true });
    expect(rssGrowth(r, 'midway').percent).toBeCloseTo(4.76, 2);
    expect(rssGrowth({ ...r, memory: { ...r.memory, afterPolls: memory(60e6, null) } })).toEqual({ percent: 20, afterGc: false });
  });

  test('verdicts per size; goals set for one size are n/a at sizes far from it', () => {
    const v = verdicts([row('small', 1000, 4000, 6), row('large', 100_000, 30_000, 7)]);
    const of = (goal: RegExp, size: string) => v.find((x) => goal.test(x.goal) && x.size === size)!;
    expect(of(/^JOC requests/, 'small').verdict).toBe('met');
    expect(of(/^JOC requests/, 'large').verdict).toMatch(/^NOT met \(by 1 requests/);
    expect(of(/the same at every size/, 'all')).toMatchObject({ figure: '6, 7', verdict: 'NOT met (6 to 7)' });
    expect(of(/exporter \/ plain/, 'small')).toMatchObject({ figure: '0.70 (700 / 1,000)', verdict: 'NOT met (by 0.10, -12.5 % of the limit)' });
    expect(of(/p99/, 'small')).toMatchObject({ figure: '4.00 ms at 4,000 series (plain server 1.00 ms)', verdict: 'met' });
    expect(of(/p99/, 'large').verdict).toMatch(/^n\/a/);
    // RSS is judged on the larger reading, the one the OS sees.
    expect(of(/^RSS < 100 MB/, 'small')).toMatchObject({ figure: '120.0 MB at 1,000 orders', verdict: 'NOT met (by 20.0 MB, +20.0 % of the limit)' });
    expect(of(/^RSS < 100 MB/, 'large').verdict).toMatch(/^n\/a/);
    expect(of(/^RSS growth/, 'small')).toMatchObject({ figure: '+10.0 % after GC; 2nd half +4.8 %', verdict: 'NOT met (by 5.00 %, +100.0 % of the limit)' });
    expect(of(/^RSS < 70 MB, small/, 'small').verdict).toBe('NOT met (by 50.0 MB, +71.4 % of the limit)');
    expect(v.filter((x) => /^RSS < 160 MB/.test(x.goal))).toEqual([]);
  });

  test('the 160 MB goal applies at 100,000 orders with all six states', () => {
    const large = row('large-all', 100_000, 30_000, 6);
    const v = verdicts([{ ...large, size: { ...large.size, allStates: true } }]);
    expect(v.find((x) => /^RSS < 160 MB at 100,000 orders, all six states$/.test(x.goal))).toMatchObject({ size: 'large-all', verdict: 'met' });
  });

  test('--quick: time and memory figures are not judged, the requests per poll are', () => {
    const v = verdicts([row('small', 1000, 4000, 7), row('medium', 20_000, 4000, 7)], { quick: true });
    const notJudged = v.filter((x) => x.verdict === NOT_JUDGED);
    expect(notJudged.map((x) => x.goal)).toEqual(expect.arrayContaining([expect.stringMatching(/p99/), expect.stringMatching(/^RSS </), expect.stringMatching(/^RSS growth/)]));
    expect(v.filter((x) => /NOT met/.test(x.verdict)).map((x) => x.goal)).toEqual([
      'JOC requests per poll per JobScheduler <= 6',
      'JOC requests per poll per JobScheduler <= 6',
    ]);
  });
});

describe('bench profile summary', () => {
  const root = '/repo';
  const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });
  const p: CpuProfile = {
    startTime: 0,
    endTime: 10_000, // 10 ms, 10 samples: 1 ms each
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), hitCount: 0 },
      { id: 2, callFrame: frame('(idle)', ''), hitCount: 5 },
      { id: 3, callFrame: frame('parse', ''), hitCount: 2 },
      { id: 4, callFrame: frame('toSamples', 'file:///repo/dist/src/collectors/job-chain-orders.js', 27), hitCount: 2 },
      { id: 5, callFrame: frame('', 'file:///repo/node_modules/zod/v4/core/schemas.cjs', 9), hitCount: 1 },
    ],
  };

  test('self time per function and per area, idle time left out', () => {
    const s = summariseProfile(p, root);
    expect(s.busyMs).toBe(5);
    expect(s.functions.map((f) => [f.name, f.ms, f.percent])).toEqual([
      ['parse', 2, 40],
      ['toSamples dist/src/collectors/job-chain-orders.js:28', 2, 40],
      ['(anonymous) node_modules/zod/v4/core/schemas.cjs:10', 1, 20],
    ]);
    expect(s.areas.map((a) => a.name)).toEqual(['native (V8 built-ins, Node.js bindings)', 'exporter: collectors', 'zod']);
  });

  test('areas', () => {
    expect(areaOf('x', 'file:///repo/node_modules/@scope/pkg/a.js', root)).toBe('@scope/pkg');
    expect(areaOf('x', 'file:///repo/dist/src/exporter.js', root)).toBe('exporter: src');
    expect(areaOf('x', 'file:///repo/dist/src/joc/v1/enums.js', root)).toBe('exporter: joc');
    expect(areaOf('x', 'file:///repo/dist/bench/poll.js', root)).toBe('bench harness');
    expect(areaOf('x', 'node:internal/streams/readable', root)).toBe('node internals');
    expect(areaOf('(garbage collector)', '', root)).toBe('(garbage collector)');
  });
});

describe('bench --rss', () => {
  test('runs the binary with the Node flags of its shebang line, as the kernel would', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
    try {
      const file = join(dir, 'cli.js');
      writeFileSync(file, '#!/usr/bin/env -S node --max-semi-space-size=1  --foo\n"use strict";\n');
      expect(binaryFlags(file)).toEqual(['--max-semi-space-size=1', '--foo']);
      expect(binaryEnv(file)).toEqual({});
      writeFileSync(file, '#!/usr/bin/env -S MALLOC_ARENA_MAX=2 A=b=c node --foo\n');
      expect(binaryEnv(file)).toEqual({ MALLOC_ARENA_MAX: '2', A: 'b=c' });
      expect(binaryFlags(file)).toEqual(['--foo']);
      writeFileSync(file, '#!/usr/bin/env -S X=1 node\n');
      expect(binaryFlags(file)).toEqual([]);
      writeFileSync(file, '#!/usr/bin/env node\n');
      expect(binaryFlags(file)).toEqual([]);
      expect(binaryEnv(file)).toEqual({});
      expect(binaryFlags(join(__dirname, '..', '..', 'src', 'cli.ts'))).toEqual(['--max-semi-space-size=1', '--liftoff-only', '--optimize-for-size', '--expose-gc']);
      expect(binaryEnv(join(__dirname, '..', '..', 'src', 'cli.ts'))).toEqual({ MALLOC_ARENA_MAX: '2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the libraries floor loads what the shipped modules require, by package, and not what the package leaves out', () => {
    const root = mkdtempSync(join(tmpdir(), 'bench-libraries-'));
    try {
      const write = (path: string, text: string): void => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      write('package.json', JSON.stringify({ files: ['dist/src/**/*.js', '!dist/src/simulator/', '!dist/src/demo.js', 'README.md'] }));
      write('dist/src/cli.js', 'const a = require("alpha");\nconst b = __importDefault(require("@scope/beta/lib/x"));\nrequire("./local");\nrequire("node:fs"); require("zlib");');
      write('dist/src/server.js', '// listens only from "listening" on\nconst s = "require(\\"not-a-module\\")";');
      write('dist/src/joc/http.js', 'async function f() { return Promise.resolve().then(() => __importStar(require("gamma"))); }');
      write('dist/src/joc/http.d.ts', 'import "delta";');
      write('src/cli.ts', "import cron from 'node-cron';\nimport { x } from './x';\nconst y = await import('epsilon');");
      write('src/simulator/main.ts', "import Ajv from 'ajv';");
      write('dist/src/simulator/main.js', 'require("simulator-only");');
      write('dist/src/demo.js', 'require("demo-only");');
      write('dist/src/demo.js.map', '{"sources":["require(\\"map-only\\")"]}');
      expect(binaryLibraries(root)).toEqual(['@scope/beta', 'alpha', 'gamma']);
      expect(binaryLibraries(root, 'src')).toEqual(['epsilon', 'node-cron']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // The project's own modules (their source, so that no build is needed): the kept
    // libraries, not the simulator's schema validator.
    const libraries = binaryLibraries(join(__dirname, '..', '..'), 'src');
    expect(libraries).toEqual(expect.arrayContaining(['node-cron', 'pino', 'prom-client', 'undici', 'yaml', 'zod']));
    expect(libraries).not.toContain('ajv');
    expect(libraries).not.toContain('typescript');
  });

  test('the report shows both floors and judges the small goal on the highest reading', () => {
    const result = (name: string, orders: number, maxBytes: number): RssResult => ({
      size: parseSizes(name)[0]!,
      orders,
      seconds: 60,
      polls: 60,
      readings: [maxBytes - 1e6, maxBytes],
      maxBytes,
      endBytes: maxBytes - 1e6,
      growthPercent: 0.5,
    });
    const text = rssReport([result('small', 997, 82.6e6)], { bareBytes: 41.3e6, librariesBytes: 74.0e6, libraries: ['pino', 'undici'] });
    expect(text).toContain("node with the binary's libraries loaded and nothing of its own (pino, undici; node-cron ticking every second): 74.0 MB, 32.7 MB above a bare node");
    expect(text).toMatch(/RSS < 70 MB, small inventory +small +82\.6 MB \(floor 41\.3 MB, the libraries alone 74\.0 MB\) +NOT met/);
    const without = rssReport([result('small', 997, 65e6)], { bareBytes: 41.3e6 });
    expect(without).not.toContain('libraries');
    expect(without).toMatch(/65\.0 MB \(floor 41\.3 MB\) +met/);
  });
});
