import { Writable } from 'node:stream';
import { parseCli, runCli, type CliIo } from '../../../src/simulator/main';
import { basic, call } from './http';

function io(): CliIo & { logs: () => Record<string, unknown>[]; codes: number[]; err: string[] } {
  const lines: string[] = [];
  const codes: number[] = [];
  const err: string[] = [];
  return {
    codes, err,
    stdout: () => undefined,
    stderr: (t) => void err.push(t),
    exit: (c) => void codes.push(c),
    log: new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } }),
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('simulator CLI with --api js7', () => {
  test('parses the JS7 options; 1.x stays the default and refuses the JS7-only options', () => {
    const cli = parseCli(['--api', 'js7', '--joc-version', '2.7', '--workflows', '500', '--orders', '20000', '--login-delay-ms', '10', '--static']);
    expect(cli.js7).toMatchObject({
      version: '2.7', demo: false, sessionTimeoutMs: 1_800_000, port: 4446,
      size: { workflowsPerController: 500, ordersPerController: 20_000 }, loginDelay: { firstMs: 10, maxMs: 30_000 },
    });
    expect(parseCli([]).js7).toBeUndefined();
    expect(() => parseCli(['--joc-version', '2.8'])).toThrow(/--joc-version needs --api js7/);
    expect(() => parseCli(['--api', 'js8'])).toThrow(/--api expects v1 or js7/);
    expect(() => parseCli(['--api', 'js7', '--joc-version', '1.13'])).toThrow(/unsupported JOC version/);
    expect(() => parseCli(['--api', 'js7', '--orders', '-5'])).toThrow(/must not be negative/);
  });

  test('runs the JS7 simulator: one startup line naming version and Controller IDs, requests at debug without tokens', async () => {
    const x = io();
    const running = await runCli(['--api', 'js7', '--port', '0', '--static', '--password', 'Pw-123', '--log-level', 'debug', '--joc-version', '2.5'], x);
    const sim = running!.simulator;
    try {
      const login = await call(sim, 'authentication/login', {}, { headers: { Authorization: basic('root', 'Pw-123') } });
      expect(login.status).toBe(200);
      expect((await call(sim, 'orders/overview/snapshot', { controllerId: 'controller' }, { token: login.json.accessToken })).status).toBe(200);
      const [start, ...rest] = x.logs();
      expect(start).toMatchObject({ msg: 'JS7 JOC Cockpit simulator listening', api: 'js7', version: '2.5.3', controllerIds: ['controller', 'controller-ha'], url: `${sim.url}/joc/api` });
      expect(rest.map((l) => [l.endpoint, l.status])).toEqual([['authentication/login', 200], ['orders/overview/snapshot', 200]]);
      const all = JSON.stringify(x.logs());
      expect(all).not.toContain('Pw-123');
      expect(all).not.toContain(login.json.accessToken);
    } finally {
      await running!.stop('SIGTERM');
    }
    expect(x.codes).toEqual([0]);
  });
});
