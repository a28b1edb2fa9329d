import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import { Agent, request } from 'undici';
import { parseExposition } from '../support/exposition';
import { startStack, type Stack } from '../support/stack';
import { describeWithTools } from '../support/tools';

const TLS_DIR = join(__dirname, '..', 'fixtures', 'tls');

async function get(url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' | 'POST' = 'GET', dispatcher?: Agent) {
  const res = await request(url, { method, headers, dispatcher });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

describe('HTTP endpoints', () => {
  let stack: Stack;
  let base: string;
  beforeAll(async () => {
    stack = await startStack({ start: true, deps: { processMetrics: true } });
    base = stack.exporter.url;
    await stack.poll();
  });
  afterAll(() => stack.close());

  test('GET /metrics: text format 0.0.4 with data, self and process metrics', async () => {
    const res = await get(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const names = new Set(parseExposition(res.body).map((s) => s.name));
    for (const name of ['jobscheduler_joc_up', 'jobscheduler_orders', 'jobscheduler_exporter_logins_total', 'process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes']) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('nodejs_active_handles_total');
    expect(res.body).not.toMatch(/^\S+(\{.*\})? \S+ \d+$/m); // no sample carries a timestamp
  });

  test('GET /metrics with an OpenMetrics Accept header: OpenMetrics 1.0, counter families without _total, # EOF once at the end', async () => {
    const res = await get(`${base}/metrics`, {
      accept: 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    });
    expect(res.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(res.body.endsWith('\n# EOF\n')).toBe(true);
    expect(res.body.match(/# EOF/g)).toHaveLength(1);
    expect(res.body).toContain('# TYPE jobscheduler_exporter_logins counter\n');
    expect(res.body).toMatch(/^jobscheduler_exporter_logins_total\{joc="sim",result="success"\} 1$/m);
    expect(res.body).toContain('# TYPE process_cpu_user_seconds counter\n');
    expect(res.body).not.toMatch(/\n\n/);
  });

  test('gzip when the scraper accepts it (as Prometheus does): the same exposition, far fewer bytes', async () => {
    const res = await request(`${base}/metrics`, {
      headers: { accept: 'application/openmetrics-text; version=1.0.0', 'accept-encoding': 'gzip' },
    });
    expect(res.headers['content-encoding']).toBe('gzip');
    const zipped = Buffer.from(await res.body.arrayBuffer());
    expect(Number(res.headers['content-length'])).toBe(zipped.length);
    const text = gunzipSync(zipped).toString('utf8');
    const plain = await get(`${base}/metrics`, { accept: 'application/openmetrics-text; version=1.0.0' });
    const dataLines = (body: string) => body.split('\n').filter((l) => l.startsWith('jobscheduler_') && !l.startsWith('jobscheduler_exporter_request'));
    expect(dataLines(text)).toEqual(dataLines(plain.body));
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    expect(zipped.length).toBeLessThan(Buffer.byteLength(plain.body) / 3);
    expect((await get(`${base}/metrics`, { 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding']).toBeUndefined();
  });

  test('the 0.0.4 text is unchanged by OpenMetrics scrapes in between', async () => {
    await get(`${base}/metrics`, { accept: 'application/openmetrics-text; version=1.0.0' });
    const res = await get(`${base}/metrics`);
    expect(res.body).toContain('# TYPE jobscheduler_exporter_logins_total counter\n');
    expect(res.body).toContain('# TYPE process_cpu_user_seconds_total counter\n');
  });

  test('HEAD /metrics answers headers only; POST is 405', async () => {
    const head = await get(`${base}/metrics`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const post = await get(`${base}/metrics`, {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  test('GET / is a landing page with name, version, a link to /metrics and the targets with their last poll', async () => {
    const res = await get(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<h1>jobscheduler-exporter</h1>');
    expect(res.body).toContain('href="metrics"');
    expect(res.body).toMatch(/version <code>\d+\.\d+\.\d+/);
    expect(res.body).toContain(`<td>sim</td><td>${stack.sim.url}</td>`);
    expect(res.body).toContain('<span class="up">up</span>');
  });

  test('/-/healthy and /-/ready answer 200; anything else 404', async () => {
    expect((await get(`${base}/-/healthy`)).status).toBe(200);
    expect((await get(`${base}/-/ready`)).status).toBe(200);
    for (const path of ['/nope', '/metrics/x', '/-/reload', '/favicon.ico']) expect((await get(`${base}${path}`)).status).toBe(404);
  });

  describeWithTools('promtool check metrics on the full /metrics output', ['promtool'], (tools) => {
    test('no finding', async () => {
      const res = await get(`${base}/metrics`);
      const result = await new Promise<{ code: number; out: string }>((resolve) => {
        const child = execFile(tools.promtool!, ['check', 'metrics'], (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        );
        child.stdin!.end(res.body);
      });
      expect(result).toEqual({ code: 0, out: '' });
    });
  });
});

describe('the landing page when JOC Cockpit is down', () => {
  test('shows the target down with the reason', async () => {
    const stack = await startStack({ start: true });
    try {
      await stack.sim.close();
      await stack.poll();
      const res = await get(`${stack.exporter.url}/`);
      expect(res.body).toContain('<span class="down">down</span>');
      expect(res.body).toContain('no answer from JOC Cockpit');
    } finally {
      await stack.close();
    }
  });
});

describe('web config: TLS and basic auth on every path', () => {
  let stack: Stack;
  let dir: string;
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  const trusting = new Agent({ connect: { ca: readFileSync(join(TLS_DIR, 'server.crt')) } });
  const auth = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-web-'));
    writeFileSync(
      join(dir, 'web.yml'),
      `tls_server_config:
  cert_file: ${join(TLS_DIR, 'server.crt')}
  key_file: ${join(TLS_DIR, 'server.key')}
basic_auth_users:
  prometheus: ${bcrypt.hashSync('scrape-secret', 4).replace(/^\$2b\$/, '$2y$')}
http_server_config:
  headers:
    X-Content-Type-Options: nosniff
`,
    );
    stack = await startStack({
      start: true,
      yaml: `listen: { host: 127.0.0.1, port: 0, webConfigFile: ${join(dir, 'web.yml')} }
poll: { schedule: "0 0 1 1 *" }
joc:
  - name: sim
    url: \${SIM_URL}
    user: exporter
    password: \${SIM_PASSWORD}
`,
    });
    await stack.poll();
  });
  afterAll(async () => {
    await stack.close();
    await insecure.close();
    await trusting.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves HTTPS with the configured certificate', async () => {
    expect(stack.exporter.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${stack.exporter.url}/metrics`, auth('prometheus', 'scrape-secret'), 'GET', trusting);
    expect(res.status).toBe(200);
    expect(res.body).toContain('jobscheduler_joc_up{joc="sim"} 1');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  test('answers plain HTTP with 400, as Go does, and never with the metrics', async () => {
    const res = await get(stack.exporter.url.replace('https:', 'http:') + '/metrics');
    expect(res.status).toBe(400);
    expect(res.body).toBe('Client sent an HTTP request to an HTTPS server.\n');
  });

  test.each([
    ['no credentials', {}],
    ['a wrong password', auth('prometheus', 'wrong')],
    ['an unknown user', auth('grafana', 'scrape-secret')],
    ['a malformed header', { authorization: 'Basic %%%' }],
  ])('401 with %s, on every path', async (_name, headers) => {
    for (const path of ['/metrics', '/', '/-/healthy', '/nope']) {
      const res = await get(`${stack.exporter.url}${path}`, headers as Record<string, string>, 'GET', insecure);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
    }
  });

  test('the right credentials open every path', async () => {
    for (const [path, status] of [['/', 200], ['/-/healthy', 200], ['/-/ready', 200], ['/nope', 404]] as const) {
      expect((await get(`${stack.exporter.url}${path}`, auth('prometheus', 'scrape-secret'), 'GET', insecure)).status).toBe(status);
    }
  });
});
