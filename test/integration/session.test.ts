import { select, value } from '../support/exposition';
import { SIM_PASSWORD, stacksPerTest, type Stack } from '../support/stack';

// The session against the simulator, which expires sessions the way JOC 1.13 does (NOTES §2, §3).

const counter = (stack: Stack, name: string, labels: Record<string, string> = {}): number => value(stack.samples(), name, { joc: 'sim', ...labels });

describe('session with JOC Cockpit', () => {
  const stack = stacksPerTest();

  test('N polls without expiry make exactly one login', async () => {
    const s = await stack();
    for (let i = 0; i < 12; i++) await s.poll();
    expect(s.sim.stats.logins).toBe(1);
    expect(counter(s, 'jobscheduler_exporter_logins_total', { result: 'success' })).toBe(1);
    expect(counter(s, 'jobscheduler_exporter_logins_total', { result: 'failure' })).toBe(0);
    expect(counter(s, 'jobscheduler_exporter_session_renewals_total')).toBe(0);
  });

  test.each(['401', '440', '420'] as const)('session gone with HTTP %s: exactly one re-login and the metrics stay up', async (shape) => {
    const s = await stack();
    await s.poll();
    const requestsPerPoll = s.sim.stats.requests.length - 1; // minus the login
    s.sim.expireSessions(shape);
    s.sim.resetStats();
    const samples = await s.poll();
    expect(s.sim.stats.logins).toBe(1);
    expect(counter(s, 'jobscheduler_exporter_session_renewals_total')).toBe(1);
    expect(counter(s, 'jobscheduler_exporter_logins_total', { result: 'success' })).toBe(2);
    expect(value(samples, 'jobscheduler_joc_up')).toBe(1);
    for (const id of s.sim.inventory.schedulers.map((x) => x.jobschedulerId)) {
      expect(value(samples, 'jobscheduler_up', { jobscheduler_id: id })).toBe(1);
    }
    // every request of the poll failed once with the old token and was retried once with the new one
    const statuses = s.sim.stats.requests.filter((r) => r.endpoint !== 'security/login').map((r) => r.status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(requestsPerPoll);
    expect(statuses.filter((st) => st !== 200).every((st) => String(st) === shape)).toBe(true);
    await s.poll();
    expect(s.sim.stats.logins).toBe(1);
  });

  test('a JOC restart (token forgotten, 440) is one re-login', async () => {
    const s = await stack();
    await s.poll();
    s.sim.restart();
    await s.poll();
    await s.poll();
    expect(s.sim.stats.logins).toBe(2);
    expect(counter(s, 'jobscheduler_exporter_session_renewals_total')).toBe(1);
  });

  test('with sessionTimeout shorter than the poll interval, touch keeps the one session alive', async () => {
    const s = await stack({ sim: { sessionTimeoutMs: 1_200 } });
    await s.poll();
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1_500)); // longer than the idle timeout
      const samples = await s.poll();
      expect(value(samples, 'jobscheduler_joc_up')).toBe(1);
    }
    expect(s.sim.stats.logins).toBe(1);
    expect(s.sim.stats.touches).toBeGreaterThanOrEqual(6);
    expect(counter(s, 'jobscheduler_exporter_session_renewals_total')).toBe(0);
  });

  test('the node-cron schedule polls on its own, one login, no overlapping polls', async () => {
    const s = await stack({
      start: true,
      sim: { latencyMs: 300 },
      yaml: `listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "* * * * * *", timeoutSeconds: 5 }
joc:
  - name: sim
    url: \${SIM_URL}
    user: exporter
    password: \${SIM_PASSWORD}
    # the timing below counts the snapshot requests only: the outcome groups are off
    history: { enabled: false }
    agents: { enabled: false }
    dailyPlan: { enabled: false }
`,
    });
    await new Promise((r) => setTimeout(r, 3_500));
    const snapshots = s.sim.stats.requests.filter((r) => r.endpoint === 'orders/overview/snapshot');
    // each poll takes about 3 x 300 ms (login/ids, then the snapshots): with a 1 s schedule some ticks are skipped
    expect(snapshots.length).toBeGreaterThanOrEqual(2 * s.sim.inventory.schedulers.length);
    expect(s.sim.stats.logins).toBe(1);
    const overlapWarnings = s.logs.lines().filter((l) => l.includes('node-cron') || l.includes('previous poll still running'));
    expect(overlapWarnings.every((l) => !l.includes('"level":"error"'))).toBe(true);
  });

  test('a poll asked for while one is running joins it instead of overlapping', async () => {
    const s = await stack({ sim: { latencyMs: 100 } });
    await s.poll();
    s.sim.resetStats();
    await Promise.all([s.exporter.pollAll(), s.exporter.pollAll(), s.exporter.pollAll()]);
    expect(s.sim.stats.perEndpoint['orders/overview/snapshot']).toBe(s.sim.inventory.schedulers.length);
  });

  test('a wrong password: login failure counted, JOC down, backoff, password never logged', async () => {
    const s = await stack({
      yaml: `listen: { host: 127.0.0.1, port: 0 }
joc:
  - name: sim
    url: \${SIM_URL}
    user: exporter
    password: wrong-\${SIM_PASSWORD}
`,
    });
    for (let i = 0; i < 3; i++) await s.poll();
    expect(s.sim.stats.failedLogins).toBe(1); // the next attempts wait for the backoff
    expect(counter(s, 'jobscheduler_exporter_logins_total', { result: 'failure' })).toBe(1);
    expect(value(s.samples(), 'jobscheduler_joc_up')).toBe(0);
    expect(select(s.samples(), 'jobscheduler_up')).toHaveLength(0);
    const log = s.logs.lines().join('\n');
    expect(log).toContain('login to JOC Cockpit refused');
    expect(log).not.toContain(SIM_PASSWORD);
  });

  test('no password or token reaches a log line, even at debug level with re-logins', async () => {
    const s = await stack();
    await s.poll();
    s.sim.expireSessions('401');
    await s.poll();
    s.sim.expireSessions('420');
    await s.poll();
    const tokens = new Set(
      s.sim.stats.requests.map((r) => r.headers['x-access-token']).filter((t): t is string => typeof t === 'string'),
    );
    expect(tokens.size).toBeGreaterThanOrEqual(3);
    const log = s.logs.lines().join('\n');
    expect(log).not.toContain(SIM_PASSWORD);
    expect(log).not.toContain(Buffer.from(`exporter:${SIM_PASSWORD}`).toString('base64'));
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
