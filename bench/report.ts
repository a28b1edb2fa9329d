/**
 * The bench's text output: a table of figures with one column per inventory size, and the goals
 * of the performance issue next to the figures they judge, each "met" or "NOT met (by how much)".
 * Pure functions of the results, so they can be tested without running anything.
 */
import type { ProfileResult } from './row';
import type { RowResult } from './results';
import type { RssResult } from './rss';
import type { Variant } from './scrape';

/** The goals; `perSeries` and `atOrders` say at which sizes a goal applies. */
export const GOALS = {
  requestsPerPoll: 6,
  scrapeRatio: 0.8,
  p99Ms: 5,
  /** The p99 goal is set for about this many series; it is judged at rows with up to twice as many. */
  p99Series: 5_000,
  rssBytes: 100e6,
  /** The RSS goal is set at this many orders; it is judged at rows with up to 10 % more. */
  rssOrders: 20_000,
  rssGrowthPercent: 5,
  /** A small inventory (up to this many orders, default orderStates): RSS below rssSmallBytes. */
  rssSmallOrders: 1_100,
  rssSmallBytes: 70e6,
  /** 100,000 orders (from this many), all six order states configured: RSS below rssLargeAllBytes. */
  rssLargeAllOrders: 90_000,
  rssLargeAllBytes: 160e6,
} as const;

/** What a `--quick` run says instead of a verdict on a time or memory figure. */
export const NOT_JUDGED = 'not judged (--quick: a smoke run, too few iterations)';

/** Left-aligned first column, right-aligned others, two spaces apart, indented by two. */
export function table(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`.trimEnd() + '\n')
    .join('');
}

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
export const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
export const bytes = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;
const mb = (n: number | null): string => (n === null ? '-' : `${(n / 1e6).toFixed(1)}`);
const percent = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)} %`;

/** Judges `value` against an upper bound (`value < limit`, or `<=` when `inclusive`). */
export function atMost(value: number, limit: number, unit: string, inclusive = false): string {
  const met = inclusive ? value <= limit : value < limit;
  if (met) return 'met';
  const over = value - limit;
  return `NOT met (by ${formatAmount(over, unit)}, ${percent((100 * over) / limit)} of the limit)`;
}

/** Judges `value` against a lower bound (`value >= limit`). */
export function atLeast(value: number, limit: number, unit: string): string {
  if (value >= limit) return 'met';
  const short = limit - value;
  return `NOT met (by ${formatAmount(short, unit)}, ${percent((-100 * short) / limit)} of the limit)`;
}

function formatAmount(n: number, unit: string): string {
  if (unit === 'B') return bytes(n);
  if (unit === '') return n.toFixed(2);
  return `${unit === 'requests' ? String(n) : n.toFixed(2)} ${unit}`;
}

/**
 * RSS growth over the timed polls (from the reading after warm-up, or from the one half-way), %,
 * from the readings after a forced GC when there are some.
 */
export function rssGrowth(row: RowResult, from: 'afterWarmup' | 'midway' = 'afterWarmup'): { percent: number; afterGc: boolean } {
  const { [from]: before, afterPolls: after } = row.memory;
  if (before.rssAfterGcBytes !== null && after.rssAfterGcBytes !== null) {
    return { percent: (100 * (after.rssAfterGcBytes - before.rssAfterGcBytes)) / before.rssAfterGcBytes, afterGc: true };
  }
  return { percent: (100 * (after.rssBytes - before.rssBytes)) / before.rssBytes, afterGc: false };
}

/** The RSS the goal is judged on: the larger reading after the polls (the OS sees the one without GC). */
export function rssAfterPolls(row: RowResult): number {
  return Math.max(row.memory.afterPolls.rssBytes, row.memory.afterPolls.rssAfterGcBytes ?? 0);
}

export interface Verdict {
  readonly goal: string;
  readonly size: string;
  readonly figure: string;
  readonly verdict: string;
}

/**
 * Each goal at each size where it applies. `quick`: the time and memory figures of a smoke run
 * are not judged (NOT_JUDGED); the requests per poll, a count, still are.
 */
export function verdicts(rows: readonly RowResult[], options: { quick?: boolean } = {}): Verdict[] {
  const judged = verdictsOf(rows);
  if (!options.quick) return judged;
  return judged.map((v) => (v.goal.includes('JOC requests') || v.goal.startsWith('... the same') || v.verdict.startsWith('n/a') ? v : { ...v, verdict: NOT_JUDGED }));
}

function verdictsOf(rows: readonly RowResult[]): Verdict[] {
  const out: Verdict[] = [];
  const add = (goal: string, size: string, figure: string, verdict: string): void => void out.push({ goal, size, figure, verdict });
  const requestsGoal = `JOC requests per poll per JobScheduler <= ${GOALS.requestsPerPoll}`;
  for (const row of rows) {
    add(requestsGoal, row.size.name, String(row.requests.total), atMost(row.requests.total, GOALS.requestsPerPoll, 'requests', true));
  }
  const totals = [...new Set(rows.map((r) => r.requests.total))];
  if (rows.length > 1) {
    add('... the same at every size', 'all', totals.join(', '), totals.length === 1 ? 'met' : `NOT met (${Math.min(...totals)} to ${Math.max(...totals)})`);
  }
  for (const row of rows) {
    for (const run of row.scrape) {
      const ratio = run.exporter.perSecond / run.plain.perSecond;
      add(`/metrics req/s, exporter / plain server >= ${GOALS.scrapeRatio} (${run.variant})`, row.size.name,
        `${ratio.toFixed(2)} (${int(run.exporter.perSecond)} / ${int(run.plain.perSecond)})`, atLeast(ratio, GOALS.scrapeRatio, ''));
    }
  }
  for (const row of rows) {
    for (const run of row.scrape) {
      const p99 = run.exporter.latencyMs.p99;
      const applies = row.exposition.series <= 2 * GOALS.p99Series;
      add(`/metrics p99 < ${GOALS.p99Ms} ms at ~${int(GOALS.p99Series)} series (${run.variant})`, row.size.name,
        `${ms(p99)} ms at ${int(row.exposition.series)} series (plain server ${ms(run.plain.latencyMs.p99)} ms)`,
        applies ? atMost(p99, GOALS.p99Ms, 'ms') : `n/a (more than ${int(2 * GOALS.p99Series)} series)`);
    }
  }
  for (const row of rows) {
    const rss = rssAfterPolls(row);
    const figure = `${mb(rss)} MB at ${int(row.inventory.orders)} orders`;
    if (row.inventory.orders <= GOALS.rssSmallOrders && !row.size.allStates) {
      add(`RSS < ${GOALS.rssSmallBytes / 1e6} MB, small inventory`, row.size.name, figure, atMost(rss, GOALS.rssSmallBytes, 'B'));
    }
    const applies = row.inventory.orders <= GOALS.rssOrders * 1.1;
    add(`RSS < ${GOALS.rssBytes / 1e6} MB at ${int(GOALS.rssOrders)} orders`, row.size.name, figure,
      applies ? atMost(rss, GOALS.rssBytes, 'B') : `n/a (more than ${int(GOALS.rssOrders * 1.1)} orders)`);
    if (row.inventory.orders >= GOALS.rssLargeAllOrders && row.size.allStates) {
      add(`RSS < ${GOALS.rssLargeAllBytes / 1e6} MB at 100,000 orders, all six states`, row.size.name, figure, atMost(rss, GOALS.rssLargeAllBytes, 'B'));
    }
  }
  for (const row of rows) {
    const growth = rssGrowth(row);
    const secondHalf = rssGrowth(row, 'midway');
    add(`RSS growth < ${GOALS.rssGrowthPercent} % over ${row.memory.polls} polls`, row.size.name,
      `${percent(growth.percent)}${growth.afterGc ? ' after GC' : ' (no forced GC)'}; 2nd half ${percent(secondHalf.percent)}`,
      atMost(growth.percent, GOALS.rssGrowthPercent, '%'));
  }
  return out;
}

function scrapeRows(rows: readonly RowResult[], variant: Variant): string[][] {
  const run = (row: RowResult) => row.scrape.find((s) => s.variant === variant);
  const cell = (f: (r: NonNullable<ReturnType<typeof run>>) => string) => rows.map((row) => { const r = run(row); return r ? f(r) : '-'; });
  return [
    [`/metrics, ${variant}, ${rows[0]?.scrape[0]?.connections ?? '-'} connections, ${rows[0]?.scrape[0]?.exporter.seconds.toFixed(0) ?? '-'} s each`],
    ['  bytes per answer', ...cell((r) => bytes(r.bytes))],
    ['  exporter req/s', ...cell((r) => int(r.exporter.perSecond))],
    ['  plain server req/s (same bytes)', ...cell((r) => int(r.plain.perSecond))],
    ['  ratio exporter / plain', ...cell((r) => (r.exporter.perSecond / r.plain.perSecond).toFixed(2))],
    ['  exporter p50 / p99 ms', ...cell((r) => `${ms(r.exporter.latencyMs.p50)} / ${ms(r.exporter.latencyMs.p99)}`)],
    ['  plain server p50 / p99 ms', ...cell((r) => `${ms(r.plain.latencyMs.p50)} / ${ms(r.plain.latencyMs.p99)}`)],
    ['  failed requests (exporter, plain)', ...cell((r) => `${r.exporter.failures}, ${r.plain.failures}`)],
  ];
}

/** The figures, one column per size. */
export function figures(rows: readonly RowResult[]): string {
  const each = (f: (row: RowResult) => string): string[] => rows.map(f);
  return table([
    ['', ...each((r) => r.size.name)],
    ['inventory (1 JobScheduler)'],
    ['  jobs / job chains, all configured', ...each((r) => `${int(r.inventory.jobs)} / ${int(r.inventory.jobChains)}`)],
    ['  orders', ...each((r) => int(r.inventory.orders))],
    ['  orderStates configured', ...each((r) => String(r.inventory.orderStates.length))],
    ['  orders in the /orders answer', ...each((r) => int(r.inventory.ordersAnswered))],
    ['  /orders answer size', ...each((r) => bytes(r.inventory.ordersAnswerBytes))],
    ['  /metrics series (text, process metrics incl.)', ...each((r) => int(r.exposition.series))],
    ['  /metrics bytes (text)', ...each((r) => bytes(r.exposition.bytes))],
    ['JOC requests in one poll', ...each((r) => String(r.requests.total))],
    ['poll (after warm-up)'],
    ['  timed polls', ...each((r) => String(r.polls.polls))],
    ['  wall time p50 / p95 ms', ...each((r) => `${ms(r.polls.wallMs.p50)} / ${ms(r.polls.wallMs.p95)}`)],
    ['  exporter CPU p50 / p95 ms', ...each((r) => `${ms(r.polls.cpuMs.p50)} / ${ms(r.polls.cpuMs.p95)}`)],
    ['  exporter CPU per 1,000 orders answered ms', ...each((r) => (r.inventory.ordersAnswered > 0 ? ms((1000 * r.polls.cpuMs.p50) / r.inventory.ordersAnswered) : '-'))],
    ['  simulator CPU, not counted above, ms', ...each((r) => ms(r.polls.simulatorCpuMsPerPoll))],
    ...scrapeRows(rows, 'text'),
    ...scrapeRows(rows, 'openmetrics gzip'),
    ['memory of the exporter process, MB'],
    ['  RSS after warm-up / after GC', ...each((r) => `${mb(r.memory.afterWarmup.rssBytes)} / ${mb(r.memory.afterWarmup.rssAfterGcBytes)}`)],
    ['  RSS after the polls / after GC', ...each((r) => `${mb(r.memory.afterPolls.rssBytes)} / ${mb(r.memory.afterPolls.rssAfterGcBytes)}`)],
    ['  RSS at half of the polls / after GC', ...each((r) => `${mb(r.memory.midway.rssBytes)} / ${mb(r.memory.midway.rssAfterGcBytes)}`)],
    ['  RSS growth over the polls, of it in the 2nd half', ...each((r) => `${percent(rssGrowth(r).percent)}, ${percent(rssGrowth(r, 'midway').percent)}`)],
    ['  V8 heap used after GC, warm-up / polls', ...each((r) => `${mb(r.memory.afterWarmup.heapUsedAfterGcBytes)} / ${mb(r.memory.afterPolls.heapUsedAfterGcBytes)}`)],
    ['  V8 heap reserved, warm-up / polls', ...each((r) => `${mb(r.memory.afterWarmup.heapTotalBytes)} / ${mb(r.memory.afterPolls.heapTotalBytes)}`)],
    ['  outside the heap (external), warm-up / polls', ...each((r) => `${mb(r.memory.afterWarmup.externalBytes)} / ${mb(r.memory.afterPolls.externalBytes)}`)],
  ]);
}

export function goals(rows: readonly RowResult[], options: { quick?: boolean } = {}): string {
  return table([['goal', 'size', 'figure', 'verdict'], ...verdicts(rows, options).map((v) => [v.goal, v.size, v.figure, v.verdict])]);
}

export function profileReport(p: ProfileResult): string {
  const per = `ms/${p.what}`;
  const line = (t: { name: string; ms: number; percent: number }): string[] => [t.name, ms(t.ms / p.count), `${t.percent.toFixed(1)} %`];
  const what = p.what === 'poll' ? `${p.count} polls` : `${int(p.count)} scrapes (GET /metrics, text, 16 connections)`;
  return [
    `Where the exporter's CPU time goes: ${what} at ${p.size.name}, ${ms(p.busyMs / p.count)} ms busy per ${p.what} (sampled; idle left out)\n`,
    `profile written to ${p.file}\n\n`,
    table([['self time by area', per, 'share'], ...p.areas.map(line)]),
    '\n',
    table([['self time by function (top)', per, 'share'], ...p.functions.map(line)]),
  ].join('');
}

/** The --rss floors: a bare node process, and node with the binary's libraries loaded (bench/rss.ts). */
export interface RssFloors {
  readonly bareBytes: number;
  readonly librariesBytes?: number;
  readonly libraries?: readonly string[];
}

/**
 * The --rss table: per size the binary's RSS at the end and at its highest, the growth over the
 * run, the floors beside it, and the memory goals that apply (not judged with --quick).
 */
export function rssReport(results: readonly RssResult[], floors: RssFloors, options: { quick?: boolean } = {}): string {
  const floorBytes = floors.bareBytes;
  const floor = `${mb(floorBytes)} MB`;
  const libraries = floors.librariesBytes === undefined ? '' : `, the libraries alone ${mb(floors.librariesBytes)} MB`;
  const rows = results.map((r) => [
    r.size.name,
    int(r.orders),
    String(r.polls),
    `${mb(r.endBytes)} / ${mb(r.maxBytes)}`,
    percent(r.growthPercent),
    floor,
    `${mb(r.endBytes - floorBytes)}`,
  ]);
  const verdict = (value: number, limit: number): string => (options.quick ? NOT_JUDGED : atMost(value, limit, 'B'));
  const judged: string[][] = [];
  for (const r of results) {
    const figure = `${mb(r.maxBytes)} MB (floor ${floor}${libraries})`;
    if (r.orders <= GOALS.rssSmallOrders && !r.size.allStates) judged.push([`RSS < ${GOALS.rssSmallBytes / 1e6} MB, small inventory`, r.size.name, figure, verdict(r.maxBytes, GOALS.rssSmallBytes)]);
    if (Math.abs(r.orders - GOALS.rssOrders) <= GOALS.rssOrders * 0.1 && !r.size.allStates) {
      judged.push([`RSS < ${GOALS.rssBytes / 1e6} MB at ${int(GOALS.rssOrders)} orders`, r.size.name, figure, verdict(r.maxBytes, GOALS.rssBytes)]);
      judged.push([`RSS growth < ${GOALS.rssGrowthPercent} % over ${r.polls} polls`, r.size.name, percent(r.growthPercent),
        options.quick ? NOT_JUDGED : atMost(r.growthPercent, GOALS.rssGrowthPercent, '%')]);
    }
    if (r.orders >= GOALS.rssLargeAllOrders && r.size.allStates) {
      judged.push([`RSS < ${GOALS.rssLargeAllBytes / 1e6} MB at 100,000 orders, all six states`, r.size.name, figure, verdict(r.maxBytes, GOALS.rssLargeAllBytes)]);
    }
  }
  const librariesLine =
    floors.librariesBytes === undefined
      ? ''
      : `\nnode with the binary's libraries loaded and nothing of its own (${(floors.libraries ?? []).join(', ')}; node-cron ticking every second): ${mb(floors.librariesBytes)} MB, ${mb(floors.librariesBytes - floorBytes)} MB above a bare node\n`;
  return [
    'RSS of the binary, polled and scraped every second, MB\n',
    table([['size', 'orders', 'polls', 'RSS end / max', 'growth', 'bare node', 'end above it'], ...rows]),
    librariesLine,
    options.quick ? '\nGoals (--quick: not judged; run without --quick for that)\n' : '\nGoals\n',
    table([['goal', 'size', 'figure', 'verdict'], ...judged]),
  ].join('');
}
