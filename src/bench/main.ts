/**
 * `npm run bench`: what the exporter costs, measured in this process against the JOC Cockpit
 * simulator. It prints figures only; there are no pass/fail thresholds.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { NAME, VERSION } from '../version';
import { memory, pollCost, requestsPerPoll, type Memory, type PollCost, type RequestsPerPoll } from './scenarios';
import { scrapeCost, type FormatCost } from './scrape';
import { LARGE_INVENTORY } from './stack';
import type { Summary } from './stats';

const USAGE = `Usage: node dist/src/bench/main.js [--quick] [--json]

Measures ${NAME} against an in-process JOC Cockpit simulator: one
JobScheduler with 100 job chains of 3 jobs, 3 more jobs and 975 orders; the exporter
watches 300 jobs and 100 job chains.

  a. requests per poll, by endpoint, for 0, 1 and 300 configured jobs / 0, 1 and 100 job chains
  b. poll cost: wall time of a poll and of a render, series and bytes of /metrics
  c. scrape cost: GET /metrics one at a time and from 10 connections, text and OpenMetrics
  d. memory after 100 polls (run with node --expose-gc to force a GC before each reading)

Options:
  --quick   fewer iterations (a smoke run, not for figures)
  --json    one JSON document on stdout instead of text
  --help    show this text
`;

const FULL = { polls: 30, memoryPolls: 100, scrape: { sequential: 2000, connections: 10, seconds: 5 } };
const QUICK = { polls: 5, memoryPolls: 10, scrape: { sequential: 100, connections: 10, seconds: 0.5 } };

interface Results {
  readonly requestsPerPoll: RequestsPerPoll[];
  readonly pollCost: PollCost;
  readonly scrapeCost: FormatCost[];
  readonly memory: Memory;
}

async function main(argv: string[]): Promise<number> {
  let values: { quick?: boolean; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { quick: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } } }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const plan = values.quick ? QUICK : FULL;
  const environment = {
    exporter: VERSION,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
  };
  process.stderr.write(`measuring (${values.quick ? 'about 10 seconds' : 'about a minute'}) ...\n`);
  const results: Results = {
    requestsPerPoll: await requestsPerPoll(),
    pollCost: await pollCost(plan.polls),
    scrapeCost: await scrapeCost(plan.scrape),
    memory: await memory(plan.memoryPolls),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ environment, quick: values.quick ?? false, inventory: LARGE_INVENTORY, ...results }, null, 2)}\n`);
  } else {
    process.stdout.write(`${NAME} ${VERSION} bench${values.quick ? ' (--quick: too few iterations for figures)' : ''}\n`);
    process.stdout.write(`Node.js ${environment.node}, ${environment.platform}, ${environment.cpus} x ${environment.cpu}\n\n`);
    process.stdout.write(report(results));
  }
  return 0;
}

const ms = (v: number): string => v.toFixed(2);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Left-aligned first column, right-aligned others, two spaces apart. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}\n`).join('');
}

const timing = (label: string, s: Summary): string[] => [label, ms(s.p50), ms(s.p95), ms(s.max), String(s.count)];

function report(r: Results): string {
  const out: string[] = [];
  out.push('a. Requests per poll (one JobScheduler; a poll after the first, so no login), per endpoint,\n');
  out.push('   by configured jobs / job chains\n');
  const endpoints = [...new Set(r.requestsPerPoll.flatMap((row) => Object.keys(row.perEndpoint)))];
  out.push(table([
    ['endpoint', ...r.requestsPerPoll.map((row) => `${row.jobs} / ${row.jobChains}`)],
    ...endpoints.map((e) => [e, ...r.requestsPerPoll.map((row) => String(row.perEndpoint[e] ?? 0))]),
    ['total', ...r.requestsPerPoll.map((row) => String(row.total))],
  ]));

  const p = r.pollCost;
  out.push(`\nb. Poll cost (300 jobs, 100 job chains; the simulator answers from another thread), ms\n`);
  out.push(table([
    ['', 'p50', 'p95', 'max', 'n'],
    timing('pollAll(), wall time', p.pollAllMs),
    timing('  of which the exporter was busy', p.exporterBusyMs),
    timing('exposition.render() alone', p.renderMs),
  ]));
  out.push(`  exposition: ${p.series} series, ${kib(p.textBytes)} text, ${kib(p.openMetricsBytes)} OpenMetrics (process metrics not included)\n`);

  out.push('\nc. Scrape cost (GET /metrics, process metrics included; the client runs on the exporter\'s thread)\n');
  out.push(table([
    ['format / run', 'conns', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'bytes', 'loop p99 ms', 'loop max ms'],
    ...r.scrapeCost.flatMap((c) => [
      [`${c.format} sequential`, String(c.sequential.connections), String(c.sequential.requests), c.sequential.perSecond.toFixed(0),
        ms(c.sequential.latencyMs.p50), ms(c.sequential.latencyMs.p95), ms(c.sequential.latencyMs.p99), String(c.bytesPerScrape), '', ''],
      [`${c.format} concurrent ${c.concurrent.seconds.toFixed(1)} s`, String(c.concurrent.connections), String(c.concurrent.requests),
        c.concurrent.perSecond.toFixed(0), ms(c.concurrent.latencyMs.p50), ms(c.concurrent.latencyMs.p95), ms(c.concurrent.latencyMs.p99),
        String(c.bytesPerScrape), ms(c.concurrent.eventLoopDelayMs.p99), ms(c.concurrent.eventLoopDelayMs.max)],
    ]),
  ]));
  out.push('  loop: event-loop delay of the exporter\'s thread during the concurrent run\n');

  const m = r.memory;
  out.push(`\nd. Memory, ${m.gcForced ? 'after a forced GC' : 'no forced GC (node --expose-gc forces one)'}\n`);
  out.push(table([
    ['', 'RSS (process)', 'heap used (exporter thread)'],
    ['after the first poll', mib(m.before.rssBytes), mib(m.before.heapUsedBytes)],
    [`after ${m.polls} more polls`, mib(m.after.rssBytes), mib(m.after.heapUsedBytes)],
  ]));
  return out.join('');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
