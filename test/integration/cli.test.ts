import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator';
import { CLI, runBinary, until, type BinaryRun } from '../support/binary';
import { parseExposition, select, value } from '../support/exposition';

const PASSWORD = 'cli-test-password';

describe('the jobscheduler-exporter binary', () => {
  let sim: Simulator;
  let dir: string;
  let children: ChildProcess[] = [];
  const config = (body: string): string => {
    const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, body);
    return file;
  };
  /** A config polling `url` (default: the shared simulator) on `schedule`, password from JOC_PASSWORD. */
  const daemonConfig = (schedule = '* * * * * *', url = sim.url): string =>
    config(`listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "${schedule}", timeoutSeconds: 5 }
joc:
  - name: sim
    url: ${url}
    user: exporter
    password: \${JOC_PASSWORD}
`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-cli-'));
    sim = await startSimulator({ users: { exporter: PASSWORD } });
  });
  afterEach(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    children = [];
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (args: readonly string[], env: NodeJS.ProcessEnv = {}): BinaryRun => {
    const r = runBinary(args, env);
    children.push(r.child);
    return r;
  };

  test.each(['SIGTERM', 'SIGINT'] as const)('%s: stops polling, logs out of JOC Cockpit, exits 0 within 5 s', async (signal) => {
    sim.resetStats();
    const r = start(['--config', daemonConfig()], { JOC_PASSWORD: PASSWORD });
    await until(() => sim.stats.perEndpoint['orders/overview/snapshot'] !== undefined, 10_000, 'the first poll');
    const port = Number(/"address":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(r.stderr())?.[1]);
    expect(port).toBeGreaterThan(0);
    const sent = Date.now();
    r.child.kill(signal);
    const exit = await r.exit;
    expect(exit.code).toBe(0);
    expect(exit.at - sent).toBeLessThan(5_000);
    expect(sim.stats.logins).toBe(1);
    expect(sim.stats.logouts).toBe(1);
    expect(sim.activeSessions()).toHaveLength(0);
    expect(r.stderr()).toContain('logged out of JOC Cockpit');
    expect(r.stderr()).not.toContain(PASSWORD);
    const lines = r.stderr().trim().split('\n');
    expect(lines.every((l) => JSON.parse(l) !== null)).toBe(true); // pino JSON lines only
  });

  test("node-cron's own messages (a tick skipped while a poll runs) come out as pino JSON lines, nothing on the console", async () => {
    const slow = await startSimulator({ users: { exporter: PASSWORD }, latencyMs: 1_300 });
    try {
      const r = start(['--config', daemonConfig('* * * * * *', slow.url)], { JOC_PASSWORD: PASSWORD });
      await until(() => r.stderr().includes('"component":"node-cron"') && slow.stats.logins === 1, 15_000, 'a node-cron message');
      r.child.kill('SIGTERM');
      expect((await r.exit).code).toBe(0);
      expect(r.stdout()).toBe('');
      const records = r.stderr().trim().split('\n').map((l) => JSON.parse(l) as { component?: string; msg: string });
      expect(records.filter((x) => x.component === 'node-cron').map((x) => x.msg)).toContain(
        'task still running, new execution blocked by overlap prevention!',
      );
      expect(slow.stats.logins).toBe(1);
      expect(slow.stats.logouts).toBe(1);
    } finally {
      await slow.close();
    }
  });

  test('--once: polls, prints /metrics to stdout, logs out, exits 0', async () => {
    sim.resetStats();
    const r = start(['--config', daemonConfig('0 0 1 1 *'), '--once'], { JOC_PASSWORD: PASSWORD });
    const exit = await r.exit;
    expect(exit.code).toBe(0);
    const samples = parseExposition(r.stdout());
    expect(value(samples, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(1);
    expect(select(samples, 'jobscheduler_orders')).toHaveLength(6 * sim.inventory.schedulers.length);
    expect(sim.stats.logins).toBe(1);
    expect(sim.stats.logouts).toBe(1);
  });

  test('--once with an unreachable JOC Cockpit exits 1 and still prints /metrics', async () => {
    const file = config(`joc:
  - name: nowhere
    url: http://127.0.0.1:9
    user: exporter
    password: x
poll: { timeoutSeconds: 2 }
`);
    const r = start(['--config', file, '--once']);
    const exit = await r.exit;
    expect(exit.code).toBe(1);
    const samples = parseExposition(r.stdout());
    expect(value(samples, 'jobscheduler_joc_up', { joc: 'nowhere' })).toBe(0);
    // No promise of a retry it will not make, and no nonsense process metrics of a short process.
    expect(r.stderr()).toContain('"msg":"login to JOC Cockpit failed"');
    expect(r.stderr()).not.toMatch(/backing off|retryInMs/);
    expect(r.stdout()).not.toMatch(/ (NaN|Nan|\+Inf|-Inf)$/m);
    for (const s of samples.filter((x) => x.name.startsWith('nodejs_eventloop_lag_'))) expect(s.value).toBeLessThan(60);
  });

  test('the binary sets its memory flags itself: the shebang and npm start run node with the same ones', async () => {
    const shebang = readFileSync(CLI, 'utf8').split('\n')[0];
    expect(shebang).toBe('#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=1 --liftoff-only --optimize-for-size --expose-gc');
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('MALLOC_ARENA_MAX=2 node --max-semi-space-size=1 --liftoff-only --optimize-for-size --expose-gc dist/src/cli.js');
    // The command line of the shebang, as the kernel runs it, with this node first on PATH.
    const env = { PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
    const run = spawnSync('/usr/bin/env', ['-S', shebang!.slice('#!/usr/bin/env -S '.length), CLI, '--version'], { env, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^jobscheduler-exporter \d/);
  });

  test('--check-config: a one-line summary, exit 0', async () => {
    const r = start(['--config', daemonConfig(), '--check-config'], { JOC_PASSWORD: PASSWORD });
    expect((await r.exit).code).toBe(0);
    expect(r.stdout().trim().split('\n')).toHaveLength(1);
    expect(r.stdout()).toContain('is valid');
    expect(r.stdout()).not.toContain(PASSWORD);
  });

  test('a bad config exits 2 naming every bad key, one line each, no stack trace', async () => {
    const file = config(`listen: { port: 70000, hots: x }
poll: { schedule: "every minute", timeoutSeconds: 0 }
joc:
  - url: joc.example.com
    user: root
    password: \${UNSET_PASSWORD_VARIABLE}
    jobschedulers:
      - id: a/b
        orderStates: [SUSPENDED, LOST]
        jobChains: [relative/chain]
`);
    const r = start(['--config', file]);
    expect((await r.exit).code).toBe(2);
    const problems = r
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim().split(':')[0]);
    expect(problems.sort()).toEqual(
      [
        'listen.port',
        'listen.hots',
        'poll.schedule',
        'poll.timeoutSeconds',
        'joc[0].url',
        'joc[0].password',
        'joc[0].jobschedulers[0].id',
        'joc[0].jobschedulers[0].orderStates[1]',
        'joc[0].jobschedulers[0].jobChains[0]',
      ].sort(),
    );
    expect(r.stderr()).not.toMatch(/\n\s+at /);
  });

  test('a missing config file exits 2 with a clear message', async () => {
    const r = start(['--config', join(dir, 'nope.yaml')]);
    expect((await r.exit).code).toBe(2);
    expect(r.stderr()).toMatch(/nope\.yaml/);
    expect(r.stderr()).not.toMatch(/\n\s+at /);
  });

  test.each([
    [['--version'], 0, /^jobscheduler-exporter \d+\.\d+\.\d+ \(Node\.js v20/],
    [['--help'], 0, /^Usage: jobscheduler-exporter/],
    [['--bogus'], 2, /Unknown option '--bogus'/],
    [['--once', '--check-config'], 2, /exclude each other/],
  ])('%j exits %i', async (args, code, pattern) => {
    const r = start(args);
    expect((await r.exit).code).toBe(code);
    expect(code === 0 ? r.stdout() : r.stderr()).toMatch(pattern);
  });

  test('a port in use is a fatal runtime error: exit 1 with a plain line naming listen.port and the address', async () => {
    const first = start(['--config', daemonConfig('0 0 1 1 *')], { JOC_PASSWORD: PASSWORD });
    await until(() => first.stderr().includes('listening'), 10_000, 'the first exporter to listen');
    const port = /"address":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(first.stderr())![1];
    const file = config(`listen: { host: 127.0.0.1, port: ${port} }
joc:
  - url: ${sim.url}
    user: exporter
    password: ${PASSWORD}
`);
    const second = start(['--config', file]);
    expect((await second.exit).code).toBe(1);
    expect(second.stderr()).toContain('EADDRINUSE');
    const plain = second.stderr().split('\n').filter((line) => !line.startsWith('{'));
    expect(plain).toEqual([
      `jobscheduler-exporter: cannot listen on 127.0.0.1:${port}: listen.port ${port} is in use by another process (EADDRINUSE); stop that process or set listen.port to a free port`,
      '',
    ]);
    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);
  });
});
