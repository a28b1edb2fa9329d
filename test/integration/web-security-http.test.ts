import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { loadWebConfigFile } from '../../src/config/web-config';
import { MetricsPage } from '../../src/metrics/exposition';
import { ExporterServer } from '../../src/server';
import { until } from '../support/binary';
import { captureLogger } from '../support/logs';

// HTTP hygiene of the server: malformed request targets, paths that look like URLs, a bound on
// connections that idle sockets cannot exhaust, request bodies that are never waited for.

const PAGE = new MetricsPage('text/plain; charset=utf-8', null, [Buffer.from('jobscheduler_up 1\n')]);

/** Writes `raw` on a fresh connection and resolves with everything the server sent until it closed or `ms` passed. */
function raw(port: number, text: string, ms = 3_000): Promise<{ answer: string; closed: boolean; after: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false, after: Date.now() - started });
    }, ms);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closed: true, after: Date.now() - started });
    });
    socket.write(text);
  });
}

function get(port: number, path: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: agent ?? false, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('timeout', function (this: import('node:http').ClientRequest) {
        this.destroy(new Error(`no answer to ${path} within 5 s`));
      })
      .on('error', reject)
      .end();
  });
}

describe('HTTP hygiene', () => {
  const logs = captureLogger('debug');
  let server: ExporterServer;
  let port: number;
  beforeAll(async () => {
    server = new ExporterServer({ host: '127.0.0.1', port: 0, web: null, maxConnections: 64, logger: logs.logger, metrics: () => Promise.resolve(PAGE), targets: () => [] });
    port = await server.listen();
  });
  afterAll(() => server.close());

  test('GET //[ is 400, without a log line', async () => {
    const before = logs.lines().length;
    const { answer } = await raw(port, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(logs.lines().slice(before)).toEqual([]);
  });

  test.each([
    ['//evil.example/metrics', 404],
    ['//metrics', 404],
    ['/metrics/', 404],
    ['/%6detrics', 404],
    ['/metrics?x=1', 200],
    ['http://anyhost/metrics', 200],
    ['/metrics#frag', 400],
    ['/met rics', 400],
    ['*', 400],
  ])('%s: %d', async (target, status) => {
    const { answer } = await raw(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    if (status !== 200) expect(answer).not.toContain('jobscheduler_up');
  });

  test('1,000 silent connections do not stop /metrics (maxConnections 64 here; the silent ones make room)', async () => {
    const idle: Socket[] = [];
    let closedByServer = 0;
    try {
      await Promise.all(
        Array.from({ length: 1_000 }, () => new Promise<void>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => resolve());
          socket.on('error', () => resolve());
          socket.on('close', () => (closedByServer += 1));
          idle.push(socket);
        })),
      );
      // The bound holds: all but the newest 64 were closed by the server.
      await until(() => closedByServer >= 1_000 - 64, 5_000, 'the server to close the oldest silent connections');
      for (let i = 0; i < 3; i++) expect(await get(port, '/metrics')).toEqual({ status: 200, body: 'jobscheduler_up 1\n' });
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  test('idle keep-alive connections beyond the bound are closed to make room for a scrape', async () => {
    const agents = Array.from({ length: 100 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    try {
      // Each agent makes a request and keeps its connection open, idle; past 64 the idle ones go.
      let closedByServer = 0;
      for (const agent of agents) {
        expect((await get(port, '/-/healthy', agent)).status).toBe(200);
        for (const socket of Object.values(agent.freeSockets).flat()) socket?.once('close', () => (closedByServer += 1));
      }
      expect(await get(port, '/metrics')).toEqual({ status: 200, body: 'jobscheduler_up 1\n' });
      // The server closed them (an HTTP server that never saw 'listening' would close none: see #createLayer).
      await until(() => closedByServer >= 100 - 64, 5_000, 'the server to close idle keep-alive connections');
    } finally {
      for (const agent of agents) agent.destroy();
    }
  });

  test('a request with a slow body is answered at once and its connection closed; the body is never waited for', async () => {
    const { answer, closed, after } = await raw(port, 'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nfirst bytes', 10_000);
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer).toMatch(/connection: close/i);
    expect(closed).toBe(true);
    expect(after).toBeLessThan(5_000);
  });
});

describe('HTTP hygiene with TLS', () => {
  let server: ExporterServer;
  let port: number;
  beforeAll(async () => {
    const dir = join(__dirname, '..', 'fixtures', 'tls');
    const tlsConfig = { cert: readFileSync(join(dir, 'server.crt'), 'utf8'), key: readFileSync(join(dir, 'server.key'), 'utf8') };
    const tls = { ...tlsConfig, clientCa: null, clientAuthType: 'NoClientCert', minVersion: 'TLSv1.2', maxVersion: null, ciphers: null, ecdhCurve: null, honorCipherOrder: true, clientAllowedSans: null } as const;
    const web = { tls, basicAuthUsers: new Map(), headers: {}, rateLimit: null };
    server = new ExporterServer({ host: '127.0.0.1', port: 0, web, maxConnections: 16, logger: captureLogger().logger, metrics: () => Promise.resolve(PAGE), targets: () => [] });
    port = await server.listen();
  });
  afterAll(() => server.close());

  test('200 connections stalled in their TLS handshake do not stop /metrics (maxConnections 16)', async () => {
    const stalled: Socket[] = [];
    let closedByServer = 0;
    try {
      for (let i = 0; i < 200; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('close', () => (closedByServer += 1));
        socket.write(Buffer.from([0x16, 0x03, 0x01])); // the start of a ClientHello, and nothing more
        stalled.push(socket);
      }
      // The bound holds: the oldest stalled handshakes were closed to make room.
      await until(() => closedByServer >= 200 - 16, 5_000, 'the server to close the oldest stalled handshakes');
      const answer = await new Promise<number | string>((resolve) => {
        httpsRequest({ host: '127.0.0.1', port, path: '/metrics', agent: false, rejectUnauthorized: false, timeout: 5_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
          .on('error', (err) => resolve(err.message))
          .end();
      });
      expect(answer).toBe(200);
    } finally {
      for (const socket of stalled) socket.destroy();
    }
  });
});

describe('basic auth header, as Go reads it', () => {
  let dir: string;
  let server: ExporterServer;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-basic-'));
    // "user:pw" is dXNlcjpwdw== in base64: canonical padding.
    writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  user: "${bcrypt.hashSync('pw', 4)}"\n`);
    const loaded = await loadWebConfigFile(join(dir, 'web.yml'));
    if (!loaded.ok) throw new Error('invalid');
    server = new ExporterServer({ host: '127.0.0.1', port: 0, web: loaded.web, logger: captureLogger().logger, metrics: () => Promise.resolve(PAGE), targets: () => [] });
    port = await server.listen();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['canonical base64', 'Basic dXNlcjpwdw==', 200],
    ['over-padded base64', 'Basic dXNlcjpwdw===', 401],
    ['base64 without its padding', 'Basic dXNlcjpwdw', 401],
    ['the scheme in lower case', 'basic dXNlcjpwdw==', 200],
  ])('%s (%s): %d', async (_what, authorization, status) => {
    const { answer } = await raw(port, `GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  });
});
