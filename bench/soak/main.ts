/**
 * `npm run soak`: the exporter under random JOC faults for a while (default 10 minutes), with
 * its memory, sockets and event-loop delay printed at intervals. Exit 0 when it held up, 1 when
 * it did not (the findings say what), 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { findings, growth, mb, runSoak, socketGrowth, type SoakReading } from './soak';

const USAGE = `Usage: npm run soak -- [--duration 10m] [--report 30s] [--fault-rate 0.3] [--seed 1] [--plan random]

Runs the compiled exporter against the JOC Cockpit simulator, polling every second, while
random faults (delays past the timeout, HTML 500, malformed JSON, truncated and oversize
answers, 434, 420 JOC-402 and JOC-409, connection resets and refusals, expired sessions, a JOC
restart) come and go. Prints a reading of the exporter's own metrics every --report, then clears
the faults, waits for recovery and stops the exporter with SIGTERM.

  --duration    how long faults are injected: 90s, 10m, 1h (default 10m)
  --report      interval of the readings (default 30s)
  --fault-rate  chance per second that a new fault starts, 0 to 1 (default 0.3)
  --seed        seed of the fault sequence (default 1)
  --plan        random (default), or every-kind: each fault kind once, one a second, after a
                quiet start (the short soak of npm test)

Open sockets are compared on quiet readings only (no fault active or just ended, JOC up; marked
with * below) and on one more reading after recovery: during an outage the connections to JOC
are gone, so such a reading is no baseline.

The environment variables MALLOC_ARENA_MAX and NODE_OPTIONS are passed on to the exporter, to
compare memory settings.
`;

function duration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`${what}: expected a duration such as 90s, 10m or 1h, got "${text}"`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

const HEADER = ' elapsed  polls  faults  rss_MB  heap_MB  sockets  fds  loop_p99_ms  loop_max_ms  joc_up  quiet';

function row(r: SoakReading): string {
  return [
    `${r.elapsedSeconds.toFixed(0)}s`.padStart(8),
    String(r.polls).padStart(6),
    String(r.faults).padStart(7),
    mb(r.rssBytes).padStart(7),
    mb(r.heapUsedBytes).padStart(8),
    String(r.sockets).padStart(8),
    String(r.openFds).padStart(4),
    r.loopDelayP99Ms.toFixed(1).padStart(12),
    r.loopDelayMaxMs.toFixed(1).padStart(12),
    String(r.jocUp).padStart(7),
    (r.quiet ? '*' : '').padStart(6),
  ].join(' ');
}

async function main(argv: string[]): Promise<number> {
  let options: { durationMs: number; reportMs: number; faultRate: number; seed: number; plan: 'random' | 'every-kind' };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string', default: '10m' },
        report: { type: 'string', default: '30s' },
        'fault-rate': { type: 'string', default: '0.3' },
        seed: { type: 'string', default: '1' },
        plan: { type: 'string', default: 'random' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const faultRate = Number(values['fault-rate']);
    if (!(faultRate >= 0 && faultRate <= 1)) throw new Error(`--fault-rate: expected 0 to 1, got "${values['fault-rate']}"`);
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got "${values.seed}"`);
    const plan = values.plan;
    if (plan !== 'random' && plan !== 'every-kind') throw new Error(`--plan: expected random or every-kind, got "${plan}"`);
    options = { durationMs: duration(values.duration, '--duration'), reportMs: duration(values.report, '--report'), faultRate, seed, plan };
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const what = options.plan === 'every-kind' ? 'each fault kind once' : `faults at rate ${options.faultRate}/s, seed ${options.seed}`;
  process.stdout.write(`soak: ${options.durationMs / 1000} s, ${what}\n${HEADER}\n`);
  const report = await runSoak({ ...options, onReading: (r) => process.stdout.write(`${row(r)}\n`) });
  const rss = growth(report.readings, (r) => r.rssBytes);
  const sockets = socketGrowth(report.readings);
  const worstLoop = Math.max(...report.readings.map((r) => r.loopDelayMaxMs));
  const problems = findings(report);
  process.stdout.write(
    [
      '',
      `polls that reached JOC: ${report.polls}; faults injected: ${report.faultsInjected} (${report.faultKindsSeen.join(', ')})`,
      `scrapes: ${report.scrapes}, failed: ${report.failedScrapes.length}`,
      `RSS: ${mb(report.readings[0]?.rssBytes ?? Number.NaN)} MB at the first reading; after warm-up ${mb(rss.start)} MB, ` +
        `at the end ${mb(rss.end)} MB (${((rss.ratio - 1) * 100).toFixed(1)} %)`,
      (sockets
        ? `open sockets on the ${sockets.quietReadings} quiet readings: ${sockets.start} in the first half, ${sockets.end} in the second; `
        : `open sockets not judged: fewer than two quiet readings (run longer, or report more often); `) +
        `worst event-loop delay: ${worstLoop.toFixed(1)} ms`,
      `logins: ${report.logins}, logouts: ${report.logouts}, warn/error log lines: ${report.warnLines}`,
      `recovery after the faults cleared: ${report.recoverySeconds === null ? 'NONE' : `${report.recoverySeconds.toFixed(1)} s`}`,
      `SIGTERM: exit ${report.exitCode} after ${report.shutdownSeconds.toFixed(2)} s`,
      problems.length === 0 ? 'result: held up' : `result: FAILED\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      '',
    ].join('\n'),
  );
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
