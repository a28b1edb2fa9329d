import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecureVersion, TLSSocket } from 'node:tls';
import bcrypt from 'bcryptjs';
import { makeTestPki, type TestPki } from '../support/certs';
import { startStack, type Stack } from '../support/stack';
import { describeWithTools } from '../support/tools';

// /metrics protection by an exporter-toolkit web config (CONTRACT §3), against the real server
// with real clients: node:http(s) with client certificates, TLS versions and basic auth.

/** What a client brings: PEM file paths and the TLS versions it allows. */
interface Client {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
}

type Answer =
  | { readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: string; readonly protocol: string | null; readonly peer: string | null }
  | { readonly error: string };

type ClientName = 'none' | 'right' | 'foreign';

const pem = (path: string | undefined): Buffer | undefined => (path === undefined ? undefined : readFileSync(path));

/**
 * One request on a fresh connection (no agent, so no connection or TLS session is reused between
 * clients). A failed handshake or a reset connection is an `{ error }`, not a rejection.
 */
function fetchUrl(url: string, options: { client?: Client; headers?: Record<string, string>; method?: string } = {}): Promise<Answer> {
  const { client = {}, headers = {}, method = 'GET' } = options;
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method,
        headers,
        agent: false,
        timeout: 5_000,
        ca: pem(client.ca),
        cert: pem(client.cert),
        key: pem(client.key),
        minVersion: client.minVersion,
        maxVersion: client.maxVersion,
      },
      (res) => {
        const socket = res.socket as Partial<TLSSocket>;
        const protocol = socket.getProtocol?.() ?? null;
        const cn = socket.getPeerCertificate?.().subject?.CN;
        const peer = typeof cn === 'string' ? cn : null;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, protocol, peer }));
        res.on('error', (err) => resolve({ error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: `${err.code ?? 'error'}: ${err.message}` }));
    req.end();
  });
}

const statusOf = (answer: Answer): number | string => ('status' in answer ? answer.status : 'no answer');

/** Refused: the handshake failed, the connection was reset, or the server answered 403. Never a 2xx. */
function expectRefused(answer: Answer): void {
  if ('error' in answer) expect(answer.error).toMatch(/alert|certificate|ECONNRESET/i);
  else expect(answer.status).toBe(403);
}

const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`,
});

/** Polled once by the test, never by the schedule; the stack captures the log at debug level. */
const EXPORTER_YAML = (webConfig: string): string => `listen: { host: 127.0.0.1, port: 0, webConfigFile: ${webConfig} }
poll: { schedule: "0 0 1 1 *" }
joc: [{ name: sim, url: "\${SIM_URL}", user: exporter, password: "\${SIM_PASSWORD}" }]
`;

/** The exporter with the web config `text`, written as `name` in `dir` (its cert paths are relative to `dir`). */
async function exporterWith(dir: string, name: string, text: string): Promise<Stack> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const stack = await startStack({ start: true, yaml: EXPORTER_YAML(file) });
  await stack.poll();
  return stack;
}

// Cost 4: the cheapest bcrypt, so the tests stay fast; the server reads the cost from the hash.
const USERS = {
  prometheus: { password: 'Scrape-Pw-7c1d', hash: bcrypt.hashSync('Scrape-Pw-7c1d', 4) },
  // htpasswd writes $2y$; exporter-toolkit accepts it.
  grafana: { password: 'Graf-Pw-93ab', hash: bcrypt.hashSync('Graf-Pw-93ab', 4).replace(/^\$2b\$/, '$2y$') },
  // Everything after the first colon is the password.
  ops: { password: 'ops:Pw:with:colons', hash: bcrypt.hashSync('ops:Pw:with:colons', 4) },
} as const;

const BASIC_AUTH_YAML = `basic_auth_users:\n${Object.entries(USERS)
  .map(([user, { hash }]) => `  ${user}: "${hash}"\n`)
  .join('')}`;

const EVERY_PATH = ['/metrics', '/', '/-/healthy', '/-/ready', '/no-such-path'] as const;
const RIGHT_ANSWER: Readonly<Record<(typeof EVERY_PATH)[number], number>> = {
  '/metrics': 200,
  '/': 200,
  '/-/healthy': 200,
  '/-/ready': 200,
  '/no-such-path': 404,
};

describe('basic auth (plain HTTP)', () => {
  let dir: string;
  let stack: Stack;
  /** Every password a test offered, right or wrong: none may reach a log line or an answer. */
  const offered = new Set<string>();
  const as = (user: string, password: string): Record<string, string> => {
    offered.add(password);
    return basic(user, password);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-websec-'));
    stack = await exporterWith(dir, 'web.yml', BASIC_AUTH_YAML);
  });
  afterAll(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const refusals: ReadonlyArray<readonly [string, () => Record<string, string>]> = [
    ['no credentials', () => ({})],
    ['a wrong password', () => as('prometheus', 'Wrong-Pw-51f0')],
    ["another user's password", () => as('prometheus', USERS.grafana.password)],
    ['an unknown user', () => as('nobody', USERS.prometheus.password)],
    ['an empty user name', () => as('', USERS.prometheus.password)],
    ['the right password with the wrong case of user name', () => as('Prometheus', USERS.prometheus.password)],
    ['a truncated password', () => as('ops', 'ops:Pw:with')],
    ['a malformed header (not base64)', () => ({ authorization: 'Basic %%%' })],
    ['a malformed header (no colon)', () => ({ authorization: `Basic ${Buffer.from('prometheus').toString('base64')}` })],
    ['a malformed header (no space after Basic)', () => ({ authorization: `Basic${as('prometheus', USERS.prometheus.password).authorization!.slice(6)}` })],
    ['a Bearer token', () => ({ authorization: `Bearer ${USERS.prometheus.password}` })],
  ];

  test.each(refusals)('%s: 401 with WWW-Authenticate: Basic realm=..., on every path and method', async (_name, headers) => {
    for (const path of EVERY_PATH) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        const res = await fetchUrl(`${stack.exporter.url}${path}`, { headers: headers(), method });
        expect([path, method, statusOf(res)]).toEqual([path, method, 401]);
        if (!('status' in res)) continue;
        expect(res.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"/);
        expect(res.body).not.toContain('jobscheduler_');
        for (const password of offered) {
          expect(res.body).not.toContain(password);
          expect(JSON.stringify(res.headers)).not.toContain(password);
        }
      }
    }
  });

  test.each(Object.keys(USERS) as Array<keyof typeof USERS>)('user %s with the right password: 200 on every path, 404 on an unknown one', async (user) => {
    for (const path of EVERY_PATH) {
      const res = await fetchUrl(`${stack.exporter.url}${path}`, { headers: as(user, USERS[user].password) });
      expect([path, statusOf(res)]).toEqual([path, RIGHT_ANSWER[path]]);
      if (path === '/metrics' && 'status' in res) expect(res.body).toContain('jobscheduler_joc_up{joc="sim"} 1');
    }
  });

  test('the $2y$ hash is what the server checks: its right password passes, a wrong one does not', async () => {
    expect(USERS.grafana.hash.startsWith('$2y$')).toBe(true);
    const url = `${stack.exporter.url}/metrics`;
    expect(statusOf(await fetchUrl(url, { headers: as('grafana', USERS.grafana.password) }))).toBe(200);
    expect(statusOf(await fetchUrl(url, { headers: as('grafana', `${USERS.grafana.password}x`) }))).toBe(401);
  });

  test('a verified password is cached per user and password: a wrong password right after a right one is still 401', async () => {
    const url = `${stack.exporter.url}/metrics`;
    for (let i = 0; i < 3; i++) {
      expect(statusOf(await fetchUrl(url, { headers: as('prometheus', USERS.prometheus.password) }))).toBe(200);
      expect(statusOf(await fetchUrl(url, { headers: as('prometheus', 'Wrong-Pw-51f0') }))).toBe(401);
      expect(statusOf(await fetchUrl(url, { headers: as('grafana', USERS.prometheus.password) }))).toBe(401);
    }
  });

  test('no offered password, nor its base64 form, reaches a log line', () => {
    expect(offered.size).toBeGreaterThanOrEqual(5);
    const log = stack.logs.lines().join('\n');
    expect(log).toContain('jobscheduler-exporter listening'); // the log was captured at all
    for (const password of offered) {
      expect(log).not.toContain(password);
      expect(log).not.toContain(Buffer.from(password).toString('base64'));
    }
  });
});

describeWithTools('TLS with client certificates (certificates made by openssl at test time)', ['openssl'], (tools) => {
  let dir: string;
  let pki: TestPki;
  const stacks: Stack[] = [];
  const url = (stack: Stack, path = '/metrics'): string => `${stack.exporter.url}${path}`;
  /** A web config in `dir`, its certificate paths relative to it. */
  const start = async (name: string, text: string): Promise<Stack> => {
    const stack = await exporterWith(dir, name, text);
    stacks.push(stack);
    return stack;
  };
  const tlsYaml = (lines: Record<string, string>): string =>
    `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n${Object.entries(lines)
      .map(([key, value]) => `  ${key}: ${value}\n`)
      .join('')}`;

  /** Clients that trust the server's CA: without a certificate, with one of that CA, with one of another CA. */
  const clients: Record<ClientName, Client> = { none: {}, right: {}, foreign: {} };
  let trusted: Client;
  let right: Client;
  let foreign: Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-websec-tls-'));
    pki = await makeTestPki(tools.openssl!, dir);
    trusted = clients.none = { ca: pki.caCert };
    right = clients.right = { ...trusted, cert: pki.clientCert, key: pki.clientKey };
    foreign = clients.foreign = { ...trusted, cert: pki.otherClientCert, key: pki.otherClientKey };
  });
  afterAll(async () => {
    await Promise.all(stacks.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the server side', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await start('server.yml', tlsYaml({}));
    });

    test('serves HTTPS with the configured certificate (cert_file and key_file relative to the web config)', async () => {
      expect(stack.exporter.url).toMatch(/^https:/);
      const res = await fetchUrl(url(stack), { client: trusted });
      expect(res).toMatchObject({ status: 200, peer: 'server' });
      if ('status' in res) expect(res.body).toContain('jobscheduler_joc_up{joc="sim"} 1');
    });

    test('plain HTTP on the TLS port: 400, as Go answers it, never the metrics', async () => {
      const res = await fetchUrl(url(stack).replace(/^https:/, 'http:'));
      expect(res).toMatchObject({ status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' });
    });

    test('a client that does not trust the server CA refuses the server', async () => {
      expect(await fetchUrl(url(stack), { client: {} })).toEqual({ error: expect.stringMatching(/certificate/i) });
    });
  });

  /** Which client gets through under each client_auth_type (exporter-toolkit's, as Go's crypto/tls). */
  const CLIENT_AUTH: ReadonlyArray<readonly [string, Record<string, string>, ReadonlyArray<readonly [ClientName, 'served' | 'refused']>]> = [
    [
      'RequireAndVerifyClientCert',
      { client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: 'test-ca.crt' },
      [['right', 'served'], ['none', 'refused'], ['foreign', 'refused']],
    ],
    [
      'VerifyClientCertIfGiven',
      { client_auth_type: 'VerifyClientCertIfGiven', client_ca_file: 'test-ca.crt' },
      [['none', 'served'], ['right', 'served'], ['foreign', 'refused']],
    ],
    [
      'RequireAnyClientCert (no client CA: any certificate, unverified)',
      { client_auth_type: 'RequireAnyClientCert' },
      [['right', 'served'], ['foreign', 'served'], ['none', 'refused']],
    ],
    [
      'RequestClientCert (asked for, never required nor verified)',
      { client_auth_type: 'RequestClientCert' },
      [['none', 'served'], ['foreign', 'served']],
    ],
  ];

  describe.each(CLIENT_AUTH)('client_auth_type %s', (_mode, lines, expectations) => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await start(`${lines.client_auth_type}.yml`, tlsYaml(lines));
    });

    test.each(expectations)('client certificate %s: %s, on every path', async (name, outcome) => {
      for (const path of EVERY_PATH) {
        const res = await fetchUrl(url(stack, path), { client: clients[name] });
        if (outcome === 'refused') expectRefused(res);
        else expect([path, statusOf(res)]).toEqual([path, RIGHT_ANSWER[path]]);
      }
    });
  });

  describe('TLS versions', () => {
    test('min_version TLS13: a client capped at TLS 1.2 fails the handshake; a TLS 1.3 client gets 200', async () => {
      const stack = await start('tls13.yml', tlsYaml({ min_version: 'TLS13' }));
      expect(await fetchUrl(url(stack), { client: { ...trusted, maxVersion: 'TLSv1.2' } })).toEqual({
        error: expect.stringMatching(/alert|version|protocol/i),
      });
      expect(await fetchUrl(url(stack), { client: trusted })).toMatchObject({ status: 200, protocol: 'TLSv1.3' });
    });

    test('max_version TLS12: a client that insists on TLS 1.3 fails; others get TLS 1.2', async () => {
      const stack = await start('tls12.yml', tlsYaml({ max_version: 'TLS12' }));
      expect(await fetchUrl(url(stack), { client: { ...trusted, minVersion: 'TLSv1.3' } })).toEqual({
        error: expect.stringMatching(/alert|version|protocol/i),
      });
      expect(await fetchUrl(url(stack), { client: trusted })).toMatchObject({ status: 200, protocol: 'TLSv1.2' });
    });
  });

  describe('RequireAndVerifyClientCert and basic auth together', () => {
    let stack: Stack;
    const credentials = basic('prometheus', USERS.prometheus.password);
    beforeAll(async () => {
      stack = await start(
        'both.yml',
        tlsYaml({ client_auth_type: 'RequireAndVerifyClientCert', client_ca_file: 'test-ca.crt' }) + BASIC_AUTH_YAML,
      );
    });

    test('the right certificate and the right password: 200', async () => {
      expect(statusOf(await fetchUrl(url(stack), { client: right, headers: credentials }))).toBe(200);
    });

    test('the right certificate without or with wrong credentials: 401 with WWW-Authenticate', async () => {
      for (const headers of [{}, basic('prometheus', 'Wrong-Pw-51f0')]) {
        const res = await fetchUrl(url(stack), { client: right, headers });
        expect(res).toMatchObject({ status: 401, headers: { 'www-authenticate': expect.stringMatching(/^Basic realm=/) } });
      }
    });

    test('the right password without a certificate, or with one of another CA: refused', async () => {
      expectRefused(await fetchUrl(url(stack), { client: trusted, headers: credentials }));
      expectRefused(await fetchUrl(url(stack), { client: foreign, headers: credentials }));
    });

    test('no password reaches a log line', () => {
      const log = stack.logs.lines().join('\n');
      expect(log).toContain('"address":"https://127.0.0.1:');
      expect(log).not.toContain(USERS.prometheus.password);
      expect(log).not.toContain('Wrong-Pw-51f0');
    });
  });
});
