import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseExposition, select, value } from '../support/exposition';

// `npm run demo` as a newcomer runs it: the compiled dist/src/demo.js, a simulated JOC 1.x named
// `demo` and a simulated JS7 JOC named `demo-js7`, polled every 5 seconds by one exporter; here
// on a free port.

const DEMO = join(__dirname, '..', '..', 'dist', 'src', 'demo.js');

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('the demo serves live metrics of both simulators, and logs out and exits 0 on SIGTERM', async () => {
  if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: build first (npm test does, or npm run build)`);
  const child = spawn(process.execPath, [DEMO, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const base = await until(() => /metrics: +(http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1], 10_000, 'the metrics URL on stderr');
    expect(stderr).toMatch(/simulator: +http:\/\/127\.0\.0\.1:\d+\/joc\/api/);
    expect(stderr).toMatch(/JS7: +http:\/\/127\.0\.0\.1:\d+\/joc\/api \(JOC 2\.8\.4\)/);
    // The Prometheus snippet is YAML that scrapes the exporter as often as it polls (every 5 s).
    const snippet = /Prometheus: +(.*)$/m.exec(stderr)?.[1];
    expect(parse(snippet ?? '')).toEqual({
      scrape_configs: [{ job_name: 'jobscheduler', scrape_interval: '5s', static_configs: [{ targets: [base.slice('http://'.length)] }] }],
    });
    expect(stderr).toContain('polled every 5 s');

    const scrape = async (): Promise<ReturnType<typeof parseExposition>> => parseExposition(await fetchText(`${base}/metrics`));
    const requests = (samples: ReturnType<typeof parseExposition>): number =>
      select(samples, 'jobscheduler_exporter_requests_total', { joc: 'demo' }).reduce((sum, s) => sum + s.value, 0);
    const first = await until(async () => {
      const samples = await scrape();
      const both = select(samples, 'jobscheduler_orders', { joc: 'demo' }).length > 0 && select(samples, 'jobscheduler_orders', { joc: 'demo-js7' }).length > 0;
      return both ? samples : undefined;
    }, 10_000, 'jobscheduler_orders samples of both JOCs');
    expect(value(first, 'jobscheduler_joc_up', { joc: 'demo' })).toBe(1);
    expect(value(first, 'jobscheduler_joc_up', { joc: 'demo-js7' })).toBe(1);
    expect(select(first, 'jobscheduler_workflow_state', { joc: 'demo-js7' }).length).toBeGreaterThan(0);
    expect(select(first, 'jobscheduler_controller_component_state', { joc: 'demo-js7' }).length).toBeGreaterThan(0);
    expect(select(first, 'jobscheduler_job_chain_orders').length).toBeGreaterThan(0);
    expect(select(first, 'jobscheduler_job_state').length).toBeGreaterThan(0);

    // The schedule polls every 5 s: the next poll adds to the request counters.
    const before = requests(first);
    await until(async () => (requests(await scrape()) > before ? true : undefined), 12_000, 'a later poll');
    expect(await fetchText(`${base}/`)).toContain('demo');
  } finally {
    child.kill('SIGTERM');
  }
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([exit, new Promise<string>((resolve) => (timer = setTimeout(resolve, 5_000, 'still running after 5 s')))]);
  clearTimeout(timer);
  if (code !== 0) child.kill('SIGKILL');
  expect(code).toBe(0);
  expect(stderr).toContain('"msg":"logged out of JOC Cockpit"');
  expect(stderr).toMatch(/the simulators saw 2 logout\(s\)\n$/);
}, 40_000);

test('a port in use ends the demo with a message that names --port', async () => {
  if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: build first (npm test does, or npm run build)`);
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as AddressInfo).port;
  try {
    const child = spawn(process.execPath, [DEMO, '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is in use; choose another with --port PORT`);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});
