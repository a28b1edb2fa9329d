import { Writable } from 'node:stream';
import { parseCli, runCli, type CliIo } from '../../src/simulator/main';
import { createLogger } from '../../src/logger';
import { basic, call } from './http';

function io(): CliIo & { out: string[]; err: string[]; logs: () => Record<string, unknown>[]; codes: number[] } {
  const lines: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const codes: number[] = [];
  const log = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  return {
    out, err, codes,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    exit: (c) => void codes.push(c),
    log,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('simulator CLI', () => {
  test('defaults: 127.0.0.1:4446, root/root, demo on, 15 min sessions', () => {
    expect(parseCli([])).toEqual({
      help: false, user: 'root', passwordGiven: false, logLevel: 'info',
      options: { host: '127.0.0.1', port: 4446, users: { root: 'root' }, sessionTimeoutMs: 900_000, seed: 1, demo: true, tickMs: 5000 },
    });
  });

  test('options', () => {
    const cli = parseCli(['--host', '0.0.0.0', '--port', '0', '--user', 'ops', '--password', 'pw', '--session-timeout-ms', '-1', '--seed', '9', '--static']);
    expect(cli.options).toMatchObject({ host: '0.0.0.0', port: 0, users: { ops: 'pw' }, sessionTimeoutMs: -1, seed: 9, demo: false });
    expect(cli.passwordGiven).toBe(true);
    expect(() => parseCli(['--port', 'abc'])).toThrow(/--port expects an integer/);
    expect(() => parseCli(['--port', '70000'])).toThrow(/out of range/);
    expect(() => parseCli(['--bogus'])).toThrow();
  });

  test('--help prints the usage; a bad option exits 2', async () => {
    const a = io();
    expect(await runCli(['--help'], a)).toBeUndefined();
    expect(a.out.join('')).toMatch(/^Usage: /);
    const b = io();
    expect(await runCli(['--nope'], b)).toBeUndefined();
    expect(b.codes).toEqual([2]);
    expect(b.err.join('')).toMatch(/Usage: /);
  });

  test('logs one startup line without a user-given password, requests at debug without tokens, and stops on a signal', async () => {
    const x = io();
    const running = await runCli(['--port', '0', '--static', '--user', 'ops', '--password', 'S3cret-pw', '--log-level', 'debug'], x);
    expect(running).toBeDefined();
    const sim = running!.simulator;
    try {
      expect(process.listenerCount('SIGTERM')).toBeGreaterThan(0);
      const login = await call(sim, 'security/login', {}, { headers: { Authorization: basic('ops', 'S3cret-pw') } });
      expect(login.status).toBe(200);
      await call(sim, 'jobs', { jobschedulerId: 'scheduler' }, { token: login.json.accessToken });
      const [start, ...rest] = x.logs();
      expect(start).toMatchObject({ level: 'info', msg: 'JOC Cockpit simulator listening', url: `${sim.url}/joc/api` });
      expect(rest.map((l) => [l.level, l.endpoint, l.status])).toEqual([['debug', 'security/login', 200], ['debug', 'jobs', 200]]);
      const all = JSON.stringify(x.logs());
      expect(all).not.toContain('S3cret-pw');
      expect(all).not.toContain(login.json.accessToken);
    } finally {
      const before = process.listenerCount('SIGTERM');
      await running!.stop('SIGTERM');
      expect(process.listenerCount('SIGTERM')).toBe(before - 1);
    }
    expect(x.codes).toEqual([0]);
    expect(x.logs().at(-1)).toMatchObject({ msg: 'shutting down', signal: 'SIGTERM' });
  });

  test("log lines have the exporter's format: level as a word, ISO time, pid, name", async () => {
    const x = io();
    const running = await runCli(['--port', '0', '--static'], x);
    await running!.stop('SIGTERM');
    const exporterLine: Record<string, unknown> = {};
    createLogger('info', { write: (line: string) => Object.assign(exporterLine, JSON.parse(line)) }).info('x');
    for (const line of x.logs()) {
      expect(Object.keys(line).slice(0, 4)).toEqual(Object.keys(exporterLine).slice(0, 4));
      expect(line).toMatchObject({ level: 'info', pid: process.pid, name: 'joc-simulator', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    }
  });

  test('the default credentials may be named in the startup line', async () => {
    const x = io();
    const running = await runCli(['--port', '0', '--static'], x);
    await running!.stop('SIGINT');
    expect(x.logs()[0]!.credentials).toBe('root/root (default password)');
  });
});
