import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import bcrypt from 'bcryptjs';
import { loadWebConfigFile } from '../../src/config/web-config';
import { MetricsPage } from '../../src/metrics/exposition';
import { ExporterServer } from '../../src/server';
import { WEB_CONFIG_RELOAD_MS } from '../../src/web-config-watch';
import { until } from '../support/binary';
import { makeTestPki, type TestPki } from '../support/certs';
import { captureLogger } from '../support/logs';
import { describeWithTools } from '../support/tools';

// Changes to the web config file take effect without a restart, as in exporter-toolkit; a file
// that becomes invalid keeps the last valid configuration and logs why.

const PAGE = new MetricsPage('text/plain; charset=utf-8', null, [Buffer.from('up 1\n')]);

interface Answer {
  readonly status: number | string;
  /** SHA-256 fingerprint of the server certificate (TLS only). */
  readonly serial: string | null;
}

describeWithTools('web config reload', ['openssl'], (tools) => {
  let dir: string;
  let pki: TestPki;
  let second: TestPki;
  const servers: ExporterServer[] = [];
  const web = (): string => join(dir, 'web.yml');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-reload-'));
    pki = await makeTestPki(tools.openssl!, dir);
    const other = join(dir, 'second');
    mkdirSync(other);
    second = await makeTestPki(tools.openssl!, other);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(text: string) {
    writeFileSync(web(), text);
    const loaded = await loadWebConfigFile(web());
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const logs = captureLogger('debug');
    const server = new ExporterServer({ host: '127.0.0.1', port: 0, web: loaded.web, webConfigFile: web(), logger: logs.logger, metrics: () => Promise.resolve(PAGE), targets: () => [] });
    servers.push(server);
    const port = await server.listen();
    /** Rewrites the file and waits for the server to say it applied it (or refused it). */
    const change = async (next: string, expectLog: string): Promise<void> => {
      const before = logs.lines().filter((l) => l.includes(expectLog)).length;
      writeFileSync(web(), next);
      await until(() => logs.lines().filter((l) => l.includes(expectLog)).length > before, 10 * WEB_CONFIG_RELOAD_MS, expectLog);
    };
    return { port, server, logs, change };
  }

  function get(port: number, options: { tls?: TestPki; client?: boolean; headers?: Record<string, string> } = {}): Promise<Answer> {
    return new Promise((resolve) => {
      const base = { host: '127.0.0.1', port, path: '/metrics', agent: false as const, timeout: 5_000, headers: options.headers };
      const done = (res: import('node:http').IncomingMessage): void => {
        const serial = (res.socket as Partial<TLSSocket>).getPeerCertificate?.().fingerprint256 ?? null;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, serial }));
      };
      const req = options.tls ? httpsRequest({ ...base, ca: [readFileSync(pki.caCert), readFileSync(second.caCert)], ...(options.client ? { cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) } : {}) }, done) : httpRequest(base, done);
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: `${err.code ?? 'error'}`, serial: null }));
      req.end();
    });
  }
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  const users = (entries: Record<string, string>): string =>
    `basic_auth_users:\n${Object.entries(entries).map(([u, p]) => `  ${u}: "${bcrypt.hashSync(p, 4)}"\n`).join('')}`;

  test('basic auth users: a user added is let in, a user removed is refused, without a restart', async () => {
    const s = await serve(users({ alice: 'alice-pw' }));
    expect((await get(s.port, { headers: basic('alice', 'alice-pw') })).status).toBe(200);
    expect((await get(s.port, { headers: basic('bob', 'bob-pw') })).status).toBe(401);
    await s.change(users({ bob: 'bob-pw' }), 'web config file reloaded');
    expect((await get(s.port, { headers: basic('bob', 'bob-pw') })).status).toBe(200);
    // alice was verified and cached before: the cache belongs to the old users, she is refused now.
    expect((await get(s.port, { headers: basic('alice', 'alice-pw') })).status).toBe(401);
  });

  test('a reload that keeps the users keeps their verified passwords (no second bcrypt check)', async () => {
    // Cost 14: a check takes about a second in bcryptjs, a cached answer a few milliseconds.
    const slowUsers = `basic_auth_users:\n  dora: "${bcrypt.hashSync('dora-pw', 14)}"\n`;
    const s = await serve(slowUsers);
    const timed = async (): Promise<{ status: number | string; ms: number }> => {
      const started = performance.now();
      const { status } = await get(s.port, { headers: basic('dora', 'dora-pw') });
      return { status, ms: performance.now() - started };
    };
    const first = await timed();
    expect(first.status).toBe(200);
    await s.change(`${slowUsers}http_server_config:\n  headers:\n    X-Frame-Options: deny\n`, 'web config file reloaded');
    const after = await timed();
    expect(after.status).toBe(200);
    expect(after.ms).toBeLessThan(first.ms / 4);
  });

  test('a file that becomes invalid keeps the last valid configuration and logs why, once', async () => {
    const s = await serve(users({ alice: 'alice-pw' }));
    await s.change('basic_auth_users:\n  alice: not-a-hash\n', 'web config file is invalid');
    expect((await get(s.port, { headers: basic('alice', 'alice-pw') })).status).toBe(200);
    expect((await get(s.port)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 3 * WEB_CONFIG_RELOAD_MS));
    const logged = s.logs.lines().filter((l) => l.includes('web config file is invalid'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('basic_auth_users.alice: must be a bcrypt hash');
    expect(logged[0]).not.toContain('alice-pw');
    // Valid again: applied.
    await s.change(users({ carol: 'carol-pw' }), 'web config file reloaded');
    expect((await get(s.port, { headers: basic('carol', 'carol-pw') })).status).toBe(200);
  });

  test('a renewed certificate (same file names, new content) is served to new connections', async () => {
    writeFileSync(join(dir, 'live.crt'), readFileSync(pki.serverCert));
    writeFileSync(join(dir, 'live.key'), readFileSync(pki.serverKey));
    const s = await serve('tls_server_config:\n  cert_file: live.crt\n  key_file: live.key\n');
    const first = await get(s.port, { tls: pki });
    expect(first.status).toBe(200);
    // Both files are rewritten; until both are, the pair does not match and the old one stays.
    const reloads = (): number => s.logs.lines().filter((l) => l.includes('web config file reloaded')).length;
    const before = reloads();
    writeFileSync(join(dir, 'live.crt'), readFileSync(second.serverCert));
    writeFileSync(join(dir, 'live.key'), readFileSync(second.serverKey));
    await until(() => reloads() > before, 10 * WEB_CONFIG_RELOAD_MS, 'the reload');
    const renewed = await get(s.port, { tls: pki });
    expect(renewed.status).toBe(200);
    expect(renewed.serial).not.toBe(first.serial);
  });

  test('plain HTTP to TLS and back, without a restart', async () => {
    const s = await serve(users({ alice: 'alice-pw' }));
    expect((await get(s.port, { headers: basic('alice', 'alice-pw') })).status).toBe(200);
    expect(s.server.scheme).toBe('http');
    await s.change(`tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n`, 'web config file reloaded');
    expect(s.server.scheme).toBe('https');
    expect((await get(s.port, { tls: pki })).status).toBe(200);
    expect((await get(s.port)).status).toBe(400); // plain HTTP on what is now the TLS port
    await s.change('', 'web config file reloaded');
    expect((await get(s.port)).status).toBe(200);
  });

  test('client_ca_file emptied while running: refused, the last valid CA stays in use', async () => {
    writeFileSync(join(dir, 'live-ca.pem'), readFileSync(pki.caCert));
    const s = await serve(`tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: live-ca.pem\n`);
    const before = s.logs.lines().length;
    writeFileSync(join(dir, 'live-ca.pem'), '');
    await until(() => s.logs.lines().slice(before).some((l) => l.includes('web config file is invalid')), 10 * WEB_CONFIG_RELOAD_MS, 'the refusal');
    expect(s.logs.lines().slice(before).join('\n')).toContain('tls_server_config.client_ca_file: holds no certificate');
    expect((await get(s.port, { tls: pki, client: true })).status).toBe(200);
    expect((await get(s.port, { tls: pki })).status).not.toBe(200);
  });
});
