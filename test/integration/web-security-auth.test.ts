import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { runBinary, until, type BinaryRun } from '../support/binary';

// bcrypt never blocks the event loop (it runs on worker threads): expensive hashes neither delay
// the port nor a signal, and a flood of wrong passwords does not starve a cached user. Timing
// goals are judged by `npm run bench:auth`; the bounds here are generous and only catch a
// server that blocks.

/** A well-formed bcrypt hash of `cost` that no password matches, made without hashing. */
const fakeHash = (cost: number): string => bcrypt.genSaltSync(cost) + 'x'.repeat(31);
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const LISTENING = /"address":"http:\/\/127\.0\.0\.1:(\d+)"/;

function get(url: string, headers: Record<string, string>, agent?: Agent): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(`${url}/metrics`, { headers, agent: agent ?? false, timeout: 20_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end();
  });
}

describe('expensive bcrypt costs, in the binary', () => {
  let dir: string;
  const runs: BinaryRun[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jse-auth-'));
  });
  afterAll(() => {
    for (const run of runs) run.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const config = (name: string, users: Record<string, string>): string => {
    const web = join(dir, `${name}.yml`);
    writeFileSync(web, `basic_auth_users:\n${Object.entries(users).map(([u, h]) => `  ${u}: "${h}"\n`).join('')}`);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `listen: { host: 127.0.0.1, port: 0, webConfigFile: ${web} }\npoll: { schedule: "0 0 1 1 *" }\njoc: [{ name: j, url: "http://127.0.0.1:9", user: u, password: p }]\n`);
    return file;
  };

  test('a cost-18 user: the port answers at once, and SIGTERM during its 20 s check ends the process cleanly', async () => {
    const run = runBinary(['--config', config('cost18', { bob: fakeHash(18).replace(/^\$2b\$/, '$2y$') })]);
    runs.push(run);
    const spawned = Date.now();
    await until(() => LISTENING.test(run.stderr()), 10_000, 'the exporter to listen');
    const url = `http://127.0.0.1:${LISTENING.exec(run.stderr())![1]}`;
    expect((await get(url, {})).status).toBe(401);
    expect(Date.now() - spawned).toBeLessThan(10_000); // 21 s when bcrypt ran on the main thread
    // A check of bob's hash starts (some 20 s of CPU on a worker); the server stays responsive.
    const slow = get(url, basic('bob', 'some-password'));
    await new Promise((r) => setTimeout(r, 300));
    // (Another new credential would wait for the worker; a request without one is answered.)
    expect((await get(url, {})).status).toBe(401);
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    const exit = await run.exit;
    expect(exit.code).toBe(0);
    expect(exit.at - signalled).toBeLessThan(4_500);
    await slow;
  });

  test('--check-config refuses a cost above 18, naming the user', async () => {
    const run = runBinary(['--config', config('cost24', { alice: fakeHash(24).replace(/^\$2b\$/, '$2y$') }), '--check-config']);
    const exit = await run.exit;
    expect(exit.code).toBe(2);
    expect(run.stderr()).toContain('listen.webConfigFile: basic_auth_users.alice: has cost 24, above the highest accepted (18)');
  });
});

describe('a flood of wrong passwords, against the binary', () => {
  let dir: string;
  let run: BinaryRun;
  let url: string;
  const PASSWORD = 'Flood-Test-Pw-2b7e';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-flood-'));
    const web = join(dir, 'web.yml');
    writeFileSync(web, `basic_auth_users:\n  prometheus: "${bcrypt.hashSync(PASSWORD, 10)}"\n`);
    const config = join(dir, 'config.yaml');
    writeFileSync(config, `listen: { host: 127.0.0.1, port: 0, webConfigFile: ${web} }\npoll: { schedule: "0 0 1 1 *" }\njoc: [{ name: j, url: "http://127.0.0.1:9", user: u, password: p }]\n`);
    run = runBinary(['--config', config]);
    await until(() => LISTENING.test(run.stderr()), 10_000, 'the exporter to listen');
    url = `http://127.0.0.1:${LISTENING.exec(run.stderr())![1]}`;
  });
  afterAll(() => {
    run.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('200 clients sending wrong passwords do not starve a valid, cached user', async () => {
    expect((await get(url, basic('prometheus', PASSWORD))).status).toBe(200); // verified once, cached
    let flooding = true;
    const statuses: number[] = [];
    const flood = Array.from({ length: 200 }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (flooding) statuses.push((await get(url, basic('prometheus', randomBytes(8).toString('hex')), agent)).status);
      agent.destroy();
    });
    const scrapes: Array<{ status: number; ms: number }> = [];
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 15; i++) {
      scrapes.push(await get(url, basic('prometheus', PASSWORD), agent));
      await new Promise((r) => setTimeout(r, 100));
    }
    flooding = false;
    await Promise.all(flood);
    agent.destroy();
    expect(scrapes.map((s) => s.status)).toEqual(Array(15).fill(200));
    expect(Math.max(...scrapes.map((s) => s.ms))).toBeLessThan(5_000);
    // The flood was refused: 401 for the passwords checked, 503 beyond the bounded queue; never 200.
    expect(statuses.length).toBeGreaterThan(200);
    expect(new Set(statuses)).toEqual(new Set([401, 503]));
  }, 60_000);
});
