import { request } from 'undici';
import type { Fault } from '../../src/simulator';
import { generateInventory } from '../../src/simulator';
import { select, value, type ParsedSample } from '../support/exposition';
import { stacksPerTest, type Stack } from '../support/stack';

/**
 * Every fault the simulator can inject, as the running exporter meets it: /metrics keeps
 * answering 200, the affected series are absent and the up-gauges say 0, the failure is counted
 * in jobscheduler_exporter_requests_total and logged once (not once per poll), and everything
 * comes back by itself on the first poll after the fault clears.
 */

const LIMIT = 64 * 1024;
const [FIRST, SECOND] = generateInventory({ seed: 1 }).schedulers as unknown as [{ jobschedulerId: string }, { jobschedulerId: string }];
const ID = FIRST.jobschedulerId;

const YAML = `listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "0 0 1 1 *", timeoutSeconds: 2, maxResponseBytes: ${LIMIT} }
log: { level: debug }
joc:
  - name: sim
    url: \${SIM_URL}
    user: exporter
    password: \${SIM_PASSWORD}
    jobschedulers:
      - id: ${ID}
      - id: ${SECOND.jobschedulerId}
`;

/** A fault, and the `code` its request is counted under. */
const FAULTS: ReadonlyArray<[string, Fault, string]> = [
  // 2 s of timeout leave the requests without a fault room on a machine busy with other tests.
  ['delay past poll.timeoutSeconds', { kind: 'delay', ms: 2_500 }, 'error'],
  ['HTTP 500 with an HTML body', { kind: 'html500' }, '500'],
  ['malformed JSON', { kind: 'malformedJson' }, '200'],
  ['a truncated body', { kind: 'truncated' }, 'error'],
  ['HTTP 434', { kind: 'status434' }, '434'],
  ['420 JOC-402 Master unreachable', { kind: 'masterUnreachable' }, '420'],
  ['420 JOC-409 database unreachable', { kind: 'databaseUnreachable' }, '420'],
  ['a connection reset', { kind: 'reset' }, 'error'],
  ['an answer larger than maxResponseBytes', { kind: 'oversize', bytes: LIMIT * 4 }, 'error'],
];

function count(samples: readonly ParsedSample[], name: string, labels: Record<string, string>): number {
  return select(samples, name, labels).reduce((sum, s) => sum + s.value, 0);
}

/** GET /metrics of the running exporter: status and parsed-enough body. */
async function scrape(s: Stack): Promise<{ status: number; text: string }> {
  const res = await request(`${s.exporter.url}/metrics`);
  return { status: res.statusCode, text: await res.body.text() };
}

function warnings(s: Stack, msg: string, endpoint?: string): number {
  return s.logs
    .records()
    .filter((r) => ['warn', 'error', 'fatal'].includes(r.level as string) && r.msg === msg && (endpoint === undefined || r.endpoint === endpoint)).length;
}

describe('faults on one endpoint: the series of its requests are absent, nothing else', () => {
  const stack = stacksPerTest();

  test.each(FAULTS)('%s on orders/overview/snapshot', async (_name, fault, code) => {
    const s = await stack({ yaml: YAML, start: true });
    await s.poll();
    s.sim.setFault('orders/overview/snapshot', fault);
    for (let i = 0; i < 3; i++) await s.poll();

    const during = s.samples();
    const res = await scrape(s);
    expect(res.status).toBe(200);
    expect(res.text).toContain('jobscheduler_up{joc="sim",jobscheduler_id="');
    expect(value(during, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(1);
    for (const id of [ID, SECOND.jobschedulerId]) {
      expect(value(during, 'jobscheduler_up', { jobscheduler_id: id })).toBe(0);
      expect(select(during, 'jobscheduler_orders', { jobscheduler_id: id })).toHaveLength(0);
      // The other requests of the same JobScheduler are untouched.
      expect(select(during, 'jobscheduler_jobs', { jobscheduler_id: id }).length).toBeGreaterThan(0);
      expect(select(during, 'jobscheduler_master_state', { jobscheduler_id: id }).length).toBeGreaterThan(0);
    }
    const counted = count(during, 'jobscheduler_exporter_requests_total', { endpoint: 'orders/overview/snapshot', code });
    expect(counted).toBeGreaterThanOrEqual(6);
    if (fault.kind === 'malformedJson') {
      expect(count(during, 'jobscheduler_exporter_invalid_answers_total', { endpoint: 'orders/overview/snapshot' })).toBe(6);
    }
    // Three failed polls, one warning per JobScheduler.
    expect(warnings(s, 'request failed; its series are left out of /metrics until it succeeds', 'orders/overview/snapshot')).toBe(2);

    s.sim.setFault('orders/overview/snapshot', null);
    const after = await s.poll();
    expect(select(after, 'jobscheduler_up').map((x) => x.value)).toEqual([1, 1]);
    expect(select(after, 'jobscheduler_orders')).toHaveLength(12);
    expect(s.logs.records().some((r) => r.msg === 'request recovered' && r.jobscheduler_id === ID)).toBe(true);
  });
});

/** The collectors of CONTRACT §8 (history, Agents, daily plan): each fails, and warns, once more per JobScheduler. */
const OUTCOME_COLLECTORS = 3;

describe('faults on every request: JOC down, only the self-metrics stay', () => {
  const stack = stacksPerTest();

  test.each(FAULTS.filter(([, fault]) => fault.kind !== 'malformedJson'))('%s everywhere', async (_name, fault) => {
    const s = await stack({ yaml: YAML, start: true });
    await s.poll();
    const logins = s.sim.stats.logins;
    s.sim.setFault('*', fault);
    for (let i = 0; i < 3; i++) await s.poll();

    const during = s.samples();
    expect((await scrape(s)).status).toBe(200);
    // 420s and 434s are JOC's answers: it is up, the JobSchedulers are not.
    const answered = ['status434', 'masterUnreachable', 'databaseUnreachable', 'html500', 'oversize'].includes(fault.kind);
    expect(value(during, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(answered ? 1 : 0);
    expect(select(during, 'jobscheduler_up').every((x) => x.value === 0)).toBe(true);
    for (const name of ['jobscheduler_orders', 'jobscheduler_jobs', 'jobscheduler_tasks', 'jobscheduler_master_state']) {
      expect(select(during, name)).toHaveLength(0);
    }
    expect(value(during, 'jobscheduler_exporter_build_info')).toBe(1);
    expect(
      warnings(s, 'JOC Cockpit poll failed; its data series are left out of /metrics') +
        warnings(s, 'request failed; its series are left out of /metrics until it succeeds'),
    ).toBeLessThanOrEqual(answered ? 2 * (5 + OUTCOME_COLLECTORS) : 1);
    // The session was not the problem: no new login while the fault lasted.
    expect(s.sim.stats.logins).toBe(logins);

    s.sim.clearFaults();
    const after = await s.poll();
    expect(value(after, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(1);
    expect(select(after, 'jobscheduler_up').map((x) => x.value)).toEqual([1, 1]);
  });

  test('connection refused: JOC down, then back on the next poll with the same session', async () => {
    const s = await stack({ yaml: YAML, start: true });
    await s.poll();
    await s.sim.refuseConnections(true);
    for (let i = 0; i < 3; i++) await s.poll();
    const during = s.samples();
    expect((await scrape(s)).status).toBe(200);
    expect(value(during, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(0);
    expect(select(during, 'jobscheduler_orders')).toHaveLength(0);
    expect(count(during, 'jobscheduler_exporter_requests_total', { code: 'error' })).toBeGreaterThanOrEqual(3);
    expect(warnings(s, 'JOC Cockpit poll failed; its data series are left out of /metrics')).toBe(1);

    await s.sim.refuseConnections(false);
    const after = await s.poll();
    expect(value(after, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(1);
    expect(s.sim.stats.logins).toBe(1);
    expect(s.logs.records().some((r) => r.msg === 'JOC Cockpit answers again')).toBe(true);
  });
});

describe('log lines follow state changes', () => {
  const stack = stacksPerTest();

  test('a request failing before and after a JOC outage is warned about again when JOC is back', async () => {
    const s = await stack({ yaml: YAML });
    await s.poll();
    s.sim.setFault('orders/overview/snapshot', { kind: 'html500' });
    await s.poll();
    await s.poll();
    const requestFailed = 'request failed; its series are left out of /metrics until it succeeds';
    expect(warnings(s, requestFailed)).toBe(2);
    await s.sim.refuseConnections(true);
    await s.poll();
    await s.poll();
    expect(warnings(s, 'JOC Cockpit poll failed; its data series are left out of /metrics')).toBe(1);
    // While JOC is down, no warning per request.
    expect(warnings(s, requestFailed)).toBe(2);
    await s.sim.refuseConnections(false);
    await s.poll();
    await s.poll();
    expect(warnings(s, requestFailed)).toBe(4);
  });
});

describe('faults on security/login: back off, never more than one attempt per step', () => {
  const stack = stacksPerTest();

  test('with polls every second, a failed login is tried again by the next polls, not after the 5 s backoff', async () => {
    const s = await stack({ yaml: YAML.replace('"0 0 1 1 *"', '"* * * * * *"') });
    s.sim.setFault('security/login', { kind: 'reset' });
    await s.exporter.start();
    const attempts = (): number => s.sim.stats.perEndpoint['security/login'] ?? 0;
    const deadline = Date.now() + 4_000;
    while (attempts() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // The default backoff alone would wait 5 s after the first failure.
    expect(attempts()).toBeGreaterThanOrEqual(3);
    s.sim.setFault('security/login', null);
    const back = Date.now() + 4_000;
    while (s.sim.stats.logins === 0 && Date.now() < back) await new Promise((r) => setTimeout(r, 50));
    expect(s.sim.stats.logins).toBe(1);
  });

  test.each(FAULTS.filter(([, fault]) => fault.kind !== 'oversize'))('%s on login', async (_name, fault) => {
    const s = await stack({ yaml: YAML, deps: { loginBackoff: { initialMs: 400, authMaxMs: 10_000, transientMaxMs: 10_000 } } });
    s.sim.setFault('security/login', fault);
    await s.poll();
    // Polls and requests during the backoff make no login attempt.
    for (let i = 0; i < 5; i++) await s.poll();
    // A delayed login is recorded by the simulator when it answers, after the exporter gave up.
    if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    const during = s.samples();
    expect(s.sim.stats.perEndpoint['security/login']).toBe(1);
    expect(value(during, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(0);
    expect(value(during, 'jobscheduler_exporter_logins_total', { result: 'failure' })).toBe(1);
    expect(select(during, 'jobscheduler_up')).toHaveLength(0);

    s.sim.setFault('security/login', null);
    await new Promise((r) => setTimeout(r, 450));
    const after = await s.poll();
    expect(value(after, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(1);
    expect(value(after, 'jobscheduler_exporter_logins_total', { result: 'success' })).toBe(1);
    expect(s.sim.stats.perEndpoint['security/login']).toBe(2);
  });
});
