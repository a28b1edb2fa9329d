import { generateInventory } from '../../src/simulator';
import { select, value } from '../support/exposition';
import { stacksPerTest } from '../support/stack';

// Bad input loses nothing: a JOC that is down, a Master that is unreachable, a bad answer, a
// missing permission each leave their own series out and nothing else; nothing crashes.

describe('failures', () => {
  const stack = stacksPerTest();

  /** `jobschedulers:` with one job chain and one job of each id of the simulator's default inventory. */
  const configured = (): string =>
    `    jobschedulers:\n${generateInventory({ seed: 1 }).schedulers
      .map((x) => `      - id: ${x.jobschedulerId}\n        jobChains: [${x.jobChains[0]!.path}]\n        jobs: [${x.jobs[0]!.path}]`)
      .join('\n')}\n`;

  test('JOC Cockpit unreachable: joc_up 0, no data series, self-metrics stay', async () => {
    const s = await stack();
    const before = await s.poll();
    expect(select(before, 'jobscheduler_orders').length).toBeGreaterThan(0);
    await s.sim.close();
    const after = await s.poll();
    expect(value(after, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(0);
    for (const name of ['jobscheduler_up', 'jobscheduler_orders', 'jobscheduler_jobs', 'jobscheduler_master_state', 'jobscheduler_job_chain_orders']) {
      expect(select(after, name)).toHaveLength(0);
    }
    expect(select(after, 'jobscheduler_exporter_last_poll_success_timestamp_seconds').length).toBeGreaterThan(0);
    expect(value(after, 'jobscheduler_exporter_build_info')).toBe(1);
    expect(select(after, 'jobscheduler_exporter_requests_total', { code: 'error' }).length).toBeGreaterThan(0);
  });

  test('Master unreachable: jobscheduler_up 0 for that id only, its members UNREACHABLE, JOC up', async () => {
    const s = await stack();
    const [first, second] = s.sim.inventory.schedulers.map((x) => x.jobschedulerId) as [string, string];
    await s.poll();
    const lastSuccess = value(s.samples(), 'jobscheduler_exporter_last_poll_success_timestamp_seconds', { jobscheduler_id: first });
    s.sim.setMasterReachable(first, false);
    await new Promise((r) => setTimeout(r, 20));
    const samples = await s.poll();
    expect(value(samples, 'jobscheduler_joc_up')).toBe(1);
    expect(value(samples, 'jobscheduler_up', { jobscheduler_id: first })).toBe(0);
    expect(value(samples, 'jobscheduler_up', { jobscheduler_id: second })).toBe(1);
    expect(select(samples, 'jobscheduler_orders', { jobscheduler_id: first })).toHaveLength(0);
    expect(select(samples, 'jobscheduler_orders', { jobscheduler_id: second })).toHaveLength(6);
    const members = select(samples, 'jobscheduler_master_state', { jobscheduler_id: first }).filter((m) => m.value === 1);
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((m) => m.labels.state === 'unreachable')).toBe(true);
    // the id's poll was not complete: its last-success timestamp did not move
    expect(value(samples, 'jobscheduler_exporter_last_poll_success_timestamp_seconds', { jobscheduler_id: first })).toBe(lastSuccess);
    expect(value(samples, 'jobscheduler_exporter_last_poll_success_timestamp_seconds', { jobscheduler_id: second })).toBeGreaterThan(lastSuccess);
  });

  test.each([
    ['not JSON', { status: 200, body: '<html>proxy error</html>', contentType: 'text/html' }],
    ['JSON of the wrong shape', { status: 200, body: { orders: { pending: 'many' } } }],
    ['an empty body', { status: 200 }],
  ])('a 200 answer that is %s is counted and logged, its series left out, the rest served', async (_name, reply) => {
    const s = await stack();
    await s.poll();
    s.sim.failNext('orders/overview/snapshot', reply);
    const samples = await s.poll();
    expect(value(samples, 'jobscheduler_exporter_invalid_answers_total', { endpoint: 'orders/overview/snapshot' })).toBe(1);
    expect(select(samples, 'jobscheduler_up').filter((u) => u.value === 0)).toHaveLength(1);
    expect(select(samples, 'jobscheduler_orders')).toHaveLength(6);
    expect(select(samples, 'jobscheduler_jobs').length).toBeGreaterThan(0);
    expect(s.logs.lines().some((l) => l.includes('unusable answer from JOC Cockpit'))).toBe(true);
    const next = await s.poll();
    expect(select(next, 'jobscheduler_up').every((u) => u.value === 1)).toBe(true);
  });

  test('403 on jobs: not retried, logged once, job series absent, the rest served', async () => {
    const withConfig = await stack({ sim: { seed: 1 }, jocYaml: configured() });
    withConfig.sim.deny('jobs');
    for (let i = 0; i < 3; i++) await withConfig.poll();
    const ids = withConfig.sim.inventory.schedulers.length;
    expect(withConfig.sim.stats.perEndpoint['jobs']).toBe(3 * ids);
    expect(withConfig.sim.stats.logins).toBe(1);
    const samples = withConfig.samples();
    expect(select(samples, 'jobscheduler_job_state')).toHaveLength(0);
    expect(select(samples, 'jobscheduler_job_chain_state').length).toBeGreaterThan(0);
    expect(select(samples, 'jobscheduler_up').every((u) => u.value === 1)).toBe(true);
    const denials = withConfig.logs.records().filter((r) => r.level === 'error' && String(r.msg).includes('denies jobs'));
    expect(denials).toHaveLength(1);
    expect(String(denials[0]!.jocMessage)).toMatch(/permission/i);
  });

  test('a JOC error 420 on one request leaves only its series out', async () => {
    const s = await stack();
    await s.poll();
    s.sim.failNext('jobs/overview/snapshot', { status: 420, body: { deliveryDate: new Date().toISOString(), error: { code: 'JOC-409', message: 'DBConnectionRefusedException: database down' } } });
    const samples = await s.poll();
    expect(select(samples, 'jobscheduler_jobs')).toHaveLength(4); // one id of two lost its jobs snapshot
    expect(select(samples, 'jobscheduler_up').every((u) => u.value === 1)).toBe(true);
    expect(value(samples, 'jobscheduler_exporter_requests_total', { endpoint: 'jobs/overview/snapshot', code: '420' })).toBe(1);
    expect(s.logs.lines().some((l) => l.includes('JOC-409'))).toBe(true);
  });

  test('a request that times out is counted as code "error" and does not block the poll', async () => {
    const s = await stack({
      sim: { latencyMs: 1_500 },
      yaml: `joc:
  - name: sim
    url: \${SIM_URL}
    user: exporter
    password: \${SIM_PASSWORD}
poll: { timeoutSeconds: 0.5 }
`,
    });
    const started = Date.now();
    const samples = await s.poll();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(value(samples, 'jobscheduler_joc_up')).toBe(0);
    expect(value(samples, 'jobscheduler_exporter_requests_total', { endpoint: 'security/login', code: 'error' })).toBe(1);
  });
});
