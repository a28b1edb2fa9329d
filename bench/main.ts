/**
 * `npm run bench`: what the exporter costs, by inventory size. For each size a fresh process
 * (row.ts) runs the exporter against the JOC Cockpit simulator in a child process and loads its
 * /metrics with autocannon from another; this one prints the figures and the goals. It prints
 * figures only: no threshold fails the run.
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { NAME, VERSION } from '../src/version';
import { Child } from './ipc';
import { figures, goals, profileReport, rssReport } from './report';
import { bareNodeFloor, binaryEnv, binaryFlags, binaryLibraries, librariesFloor, runRss, type RssResult } from './rss';
import type { RowPlan, RowResult } from './results';
import type { RowApi } from './row';
import { parseSizes, QUICK_SIZES, SIZES, type Size } from './sizes';
import { JS7_PLAN, js7Report, runJs7Bench, type Js7Result } from './js7';
import type { HistoryResult, HistoryRowApi } from './history-row';
import { HISTORY_PLANS, historyReport } from './history-report';

/** The sizes of the memory goals: a small inventory, 20,000 orders over 500 job chains, 100,000 in all six states. */
const RSS_SIZES = ['small', '500/20000', 'large-all'];

const USAGE = `Usage: npm run bench -- [options]   (node dist/bench/main.js [options])

Measures ${NAME} against the JOC Cockpit simulator, for inventories of increasing
size (one JobScheduler; every job and job chain configured):
${SIZES.map((s) => `  ${s.name.padEnd(10)} ${s.configured} jobs and ${s.configured} job chains, about ${s.orders.toLocaleString('en-US')} orders, ${s.allStates ? 'all six' : 'the default three'} orderStates`).join('\n')}

For each, in a fresh process: JOC requests per poll, poll wall time and the exporter's CPU
time per poll (the simulator runs in a child process), RSS after warm-up and after many
polls, and GET /metrics from 16 connections (autocannon, in a child process) against the
exporter and against a plain node:http server sending the same bytes. Then the goals,
each met or not.

Then JS7: requests per poll per Controller ID at ${JS7_PLAN.workflows} workflows and
${JS7_PLAN.orders.toLocaleString('en-US')} orders (the goal: at most 6).

Then the history (CONTRACT §8.1): 500 jobs with 5,000 tasks in the 6 h window, and 5,000
jobs with 50,000; requests per poll (the goal: the same, at most 6, whatever the number of
jobs), the engine's CPU time per poll, RSS.

Options:
  --js7-only      only the JS7 row
  --history-only  only the history rows
  --quick         a smoke run of about 20 s (${QUICK_SIZES.join(', ')}; few polls, 1 s loads): not for figures
  --sizes LIST    comma-separated names above, or JOBS/ORDERS[/all], e.g. small,500/50000/all
  --warmup N      polls before the first memory reading (default 5; --quick 2)
  --polls N       timed polls per size (default 100, 15 above 20,000 orders; --quick 10)
  --seconds S     each load run (default 4; --quick 1)
  --profile poll  instead: profile --polls polls (default 10) of the last size (default
                  large-all) and print where the exporter's CPU time goes
  --profile scrape  the same for --seconds (default 5) of /metrics load, text, 16 connections
                  (default size: medium)
  --rss           instead: the memory a user sees. The compiled binary (with the Node flags it
                  sets itself) polls the simulator every second and is scraped every second for
                  --rss-seconds (default 60; --quick 10) at each size (default ${RSS_SIZES.join(', ')}),
                  its RSS beside two floors: a bare node process, and node with the libraries
                  the binary loads and nothing of its own (node-cron ticking every second)
  --rss-seconds S how long each --rss run lasts
  --node-flags=F  extra node flags for the exporter's process, e.g. --node-flags="--max-semi-space-size=2"
  --json          one JSON document on stdout instead of text
  --help          show this text
`;

interface Options {
  readonly quick: boolean;
  readonly rss: boolean;
  readonly rssSeconds: number;
  readonly js7Only: boolean;
  readonly historyOnly: boolean;
  readonly json: boolean;
  readonly profile: 'poll' | 'scrape' | null;
  readonly sizes: Size[];
  readonly warmup: number | null;
  readonly polls: number | null;
  readonly seconds: number;
  readonly nodeFlags: string[];
}

function options(argv: string[]): Options | string {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      rss: { type: 'boolean' },
      'rss-seconds': { type: 'string' },
      'js7-only': { type: 'boolean' },
      'history-only': { type: 'boolean' },
      json: { type: 'boolean' },
      profile: { type: 'string' },
      sizes: { type: 'string' },
      warmup: { type: 'string' },
      polls: { type: 'string' },
      seconds: { type: 'string' },
      'node-flags': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return USAGE;
  const number = (name: string, text: string | undefined, min: number): number | null => {
    if (text === undefined) return null;
    const n = Number(text);
    if (!(n >= min)) throw new Error(`--${name} must be a number >= ${min}, got ${text}`);
    return n;
  };
  const quick = values.quick ?? false;
  const profile = values.profile ?? null;
  if (profile !== null && profile !== 'poll' && profile !== 'scrape') throw new Error(`--profile takes poll or scrape, got ${profile}`);
  const rss = values.rss ?? false;
  const defaultSizes = profile === 'scrape' ? ['medium'] : rss ? RSS_SIZES : quick ? QUICK_SIZES : SIZES.map((s) => s.name);
  const sizes = parseSizes(values.sizes ?? defaultSizes.join(','));
  return {
    quick,
    rss,
    rssSeconds: number('rss-seconds', values['rss-seconds'], 4) ?? (quick ? 10 : 60),
    js7Only: values['js7-only'] ?? false,
    historyOnly: values['history-only'] ?? false,
    json: values.json ?? false,
    profile,
    sizes: profile ? sizes.slice(-1) : sizes,
    warmup: number('warmup', values.warmup, 1),
    polls: number('polls', values.polls, 1),
    seconds: number('seconds', values.seconds, 0.5) ?? (quick ? 1 : profile === 'scrape' ? 5 : 4),
    nodeFlags: (values['node-flags'] ?? '').split(/\s+/).filter((flag) => flag !== ''),
  };
}

function plan(o: Options, size: Size): RowPlan {
  return {
    size,
    warmupPolls: o.warmup ?? (o.quick ? 2 : 5),
    polls: o.polls ?? (o.quick ? 10 : size.orders > 20_000 ? 15 : 100),
    scrape: { connections: 16, seconds: o.seconds, warmupSeconds: o.quick ? 0 : 0.5 },
  };
}

/**
 * Runs `body` against a fresh row process, then ends it. The process runs with --expose-gc, the
 * Node flags the binary sets itself (its shebang line), so that the figures are those of the
 * exporter as users run it, and `nodeFlags`.
 */
async function inRowProcess<T>(nodeFlags: readonly string[], body: (row: Child<RowApi>) => Promise<T>): Promise<T> {
  const row = new Child<RowApi>('row', ['--expose-gc', ...binaryFlags(), ...nodeFlags], binaryEnv());
  try {
    return await body(row);
  } finally {
    await row.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    const parsed = options(argv);
    if (typeof parsed === 'string') {
      process.stdout.write(parsed);
      return 0;
    }
    o = parsed;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const environment = {
    exporter: VERSION,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryBytes: totalmem(),
  };
  const heading =
    `${NAME} ${VERSION} bench${o.quick ? ' (--quick: a smoke run, too few iterations for figures)' : ''}\n` +
    `Node.js ${environment.node}, ${environment.platform}, ${environment.cpus} x ${environment.cpu}, ${(environment.memoryBytes / 2 ** 30).toFixed(1)} GiB` +
    `; exporter process: ${Object.entries(binaryEnv()).map(([name, value]) => `${name}=${value} `).join('')}node ${[...binaryFlags(), ...o.nodeFlags].join(' ')} (the binary's own flags first)\n\n`;

  if (o.profile) {
    const size = o.sizes[0]!;
    const units = o.profile === 'poll' ? (o.polls ?? 10) : o.seconds;
    process.stderr.write(`profiling ${o.profile === 'poll' ? `${units} polls` : `${units} s of /metrics load`} at ${size.name} ...\n`);
    const plan = { what: o.profile, size, warmupPolls: o.warmup ?? 3, units, top: 20 };
    const result = await inRowProcess(o.nodeFlags, (row) => row.call('profile', plan));
    process.stdout.write(o.json ? `${JSON.stringify({ environment, profile: result }, null, 2)}\n` : heading + profileReport(result));
    return 0;
  }

  if (o.rss) {
    process.stderr.write('floor: a bare node process ...');
    const floor = await bareNodeFloor();
    process.stderr.write(` ${(floor / 1e6).toFixed(1)} MB\n`);
    const libraries = binaryLibraries();
    process.stderr.write(`floor: the binary's libraries alone (${libraries.join(', ')}) ...`);
    const librariesBytes = await librariesFloor(libraries);
    process.stderr.write(` ${(librariesBytes / 1e6).toFixed(1)} MB\n`);
    const floors = { bareBytes: floor, librariesBytes, libraries };
    const results: RssResult[] = [];
    for (const size of o.sizes) {
      process.stderr.write(`${size.name}: ${o.rssSeconds} s polled and scraped every second ...`);
      results.push(await runRss({ size, seconds: o.rssSeconds, nodeFlags: o.nodeFlags }));
      process.stderr.write(' done\n');
    }
    process.stdout.write(o.json ? `${JSON.stringify({ environment, quick: o.quick, nodeFlags: o.nodeFlags, floorBytes: floor, librariesFloorBytes: librariesBytes, libraries, rss: results }, null, 2)}\n` : heading + rssReport(results, floors, { quick: o.quick }));
    return 0;
  }

  const rows: RowResult[] = [];
  for (const size of o.js7Only || o.historyOnly ? [] : o.sizes) {
    const p = plan(o, size);
    const started = Date.now();
    process.stderr.write(`${size.name}: ${p.warmupPolls} + ${p.polls + 1} polls, ${4 * p.scrape.seconds + 2 * p.scrape.warmupSeconds} s of load ...`);
    rows.push(await inRowProcess(o.nodeFlags, (row) => row.call('run', p)));
    process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  let js7: Js7Result | null = null;
  if (!o.historyOnly) {
    process.stderr.write(`js7 ${JS7_PLAN.workflows} workflows, ${JS7_PLAN.orders} orders ...`);
    const js7Started = Date.now();
    js7 = await runJs7Bench({ ...JS7_PLAN, polls: o.quick ? 2 : JS7_PLAN.polls });
    process.stderr.write(` ${((Date.now() - js7Started) / 1000).toFixed(0)} s\n`);
  }
  const history: HistoryResult[] = [];
  for (const plan of o.js7Only ? [] : HISTORY_PLANS) {
    const p = { ...plan, polls: o.quick ? 3 : plan.polls };
    const started = Date.now();
    process.stderr.write(`history ${p.jobs} jobs, ${p.entries} tasks: 1 + ${p.polls} polls ...`);
    const row = new Child<HistoryRowApi>('history-row', ['--expose-gc', ...o.nodeFlags]);
    try {
      history.push(await row.call('run', p));
    } finally {
      await row.close();
    }
    process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ environment, quick: o.quick, nodeFlags: o.nodeFlags, rows, js7, history }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(heading);
  if (rows.length > 0) {
    process.stdout.write(figures(rows));
    process.stdout.write(o.quick ? '\nGoals (--quick: time and memory figures are not judged; run without --quick for that)\n' : '\nGoals\n');
    process.stdout.write(goals(rows, { quick: o.quick }));
  }
  if (js7) process.stdout.write(`\n${js7Report(js7)}`);
  if (history.length > 0) process.stdout.write(`\n${historyReport(history)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`\nbench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
