import { generateJs7Inventory } from '../../src/simulator/js7';
import { select, value, type ParsedSample } from '../support/exposition';
import { startJs7Stack, stacksPerTest, type Js7Stack } from '../support/stack';

// A JS7 JOC Cockpit (the JS7 simulator) polled by the in-process exporter: every family of
// CONTRACT §7.2 with the figures JOC answered, the requests of a poll, older JOC versions, the
// session, and the failures of §7.1.

const stack = stacksPerTest(startJs7Stack);

/** The exported value of each `state` of one family and id, as a record. */
function byState(samples: readonly ParsedSample[], name: string, match: Record<string, string>): Record<string, number> {
  return Object.fromEntries(select(samples, name, match).map((s) => [s.labels['state']!, s.value]));
}

/** The last answer the simulator gave to `endpoint` for `controllerId`. */
function lastAnswer(s: Js7Stack, endpoint: string, controllerId?: string): Record<string, unknown> {
  const entry = [...s.sim.stats.requests]
    .reverse()
    .find((r) => r.endpoint === endpoint && (controllerId === undefined || (r.body as { controllerId?: string }).controllerId === controllerId));
  if (!entry) throw new Error(`no ${endpoint} request logged`);
  return entry.answer as Record<string, unknown>;
}

/** The requests of CONTRACT §8 (history, Agents, daily plan): counted apart from those of §7. */
const OUTCOME_ENDPOINTS = new Set(['tasks/history', 'orders/history', 'agents', 'daily_plan/orders/summary']);

/** Requests per endpoint and Controller ID of one poll after the first; those of §8 only with `outcomes`. */
async function requestsOfOnePoll(s: Js7Stack, outcomes = false): Promise<Map<string, Record<string, number>>> {
  await s.poll();
  s.sim.resetStats();
  await s.poll();
  const per = new Map<string, Record<string, number>>();
  for (const r of s.sim.stats.requests) {
    if (OUTCOME_ENDPOINTS.has(r.endpoint) !== outcomes) continue;
    const body = r.body as { controllerId?: string; controllerIds?: string[] } | undefined;
    const id = body?.controllerId ?? body?.controllerIds?.[0] ?? '(none)';
    const counts = per.get(id) ?? {};
    counts[r.endpoint] = (counts[r.endpoint] ?? 0) + 1;
    per.set(id, counts);
  }
  return per;
}

describe('a JS7 JOC Cockpit (CONTRACT §7)', () => {
  test('every §7.2 family, with the figures JOC answered, for a standalone and a cluster Controller', async () => {
    const s = await stack();
    const samples = await s.poll();
    expect(value(samples, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(1);
    expect(select(samples, 'jobscheduler_joc_info')).toEqual([
      { name: 'jobscheduler_joc_info', labels: { joc: 'sim', api: 'js7', version: '2.8.4' }, value: 1 },
    ]);
    for (const id of ['controller', 'controller-ha']) {
      expect(value(samples, 'jobscheduler_up', { jobscheduler_id: id })).toBe(1);
      const buckets = (lastAnswer(s, 'orders/overview/snapshot', id)['orders'] ?? {}) as Record<string, number>;
      const exported = byState(samples, 'jobscheduler_orders', { jobscheduler_id: id });
      expect(Object.keys(exported).sort()).toEqual(
        ['blocked', 'failed', 'in_progress', 'pending', 'prompting', 'running', 'scheduled', 'suspended', 'terminated', 'waiting'],
      );
      expect(exported['in_progress']).toBe(buckets['inProgress'] ?? 0);
      expect(exported['failed']).toBe(buckets['failed'] ?? 0);
      expect(exported['scheduled']).toBe(buckets['scheduled'] ?? 0);
      expect(Object.values(exported).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      const wf = (lastAnswer(s, 'workflows/overview/snapshot', id)['workflows'] ?? {}) as Record<string, number>;
      expect(byState(samples, 'jobscheduler_workflows', { jobscheduler_id: id })).toEqual({
        synchronized: wf['synchronized'] ?? 0,
        not_synchronized: wf['notSynchronized'] ?? 0,
        suspended: wf['suspended'] ?? 0,
        outstanding: wf['outstanding'] ?? 0,
      });
      // One-hot: each Controller instance has exactly one state of each family.
      for (const family of ['jobscheduler_controller_component_state', 'jobscheduler_controller_connection_state']) {
        const instances = new Set(select(samples, family, { jobscheduler_id: id }).map((x) => x.labels['url']));
        expect(select(samples, family, { jobscheduler_id: id }).filter((x) => x.value === 1)).toHaveLength(instances.size);
      }
    }
    // The cluster Controller has cluster series, the standalone one none.
    expect(select(samples, 'jobscheduler_controller_component_state', { jobscheduler_id: 'controller' }).map((x) => x.labels['role'])).toContain('standalone');
    expect(select(samples, 'jobscheduler_controller_cluster_state', { jobscheduler_id: 'controller' })).toEqual([]);
    expect(select(samples, 'jobscheduler_controller_cluster_node_state', { jobscheduler_id: 'controller' })).toEqual([]);
    expect(select(samples, 'jobscheduler_controller_cluster_state', { jobscheduler_id: 'controller-ha', state: 'coupled' })[0]?.value).toBe(1);
    expect(new Set(select(samples, 'jobscheduler_controller_cluster_node_state', { jobscheduler_id: 'controller-ha' }).map((x) => x.labels['role']))).toEqual(
      new Set(['primary', 'backup']),
    );
    // The two JOC members, once each (not once per Controller ID), one active.
    const members = select(samples, 'jobscheduler_joc_member_state');
    expect(members).toHaveLength(2 * 3);
    expect(members.filter((m) => m.value === 1).map((m) => m.labels['state']).sort()).toEqual(['active', 'inactive']);
    // Discovery: no configured workflows, so no workflow_state; the default orderStates per workflow.
    expect(select(samples, 'jobscheduler_workflow_state')).toEqual([]);
    expect(new Set(select(samples, 'jobscheduler_workflow_orders').map((x) => x.labels['state']))).toEqual(
      new Set(['suspended', 'failed', 'blocked', 'prompting']),
    );
    expect(samples.some((x) => 'job' in x.labels || 'instance' in x.labels)).toBe(false);
  });

  test('workflow orders and states of configured workflows match the orders JOC lists', async () => {
    const inventory = generateJs7Inventory({ seed: 5 });
    const ha = inventory.controllers.find((c) => c.controllerId === 'controller-ha')!;
    const configured = ha.workflows.slice(0, 5).map((w) => w.path);
    const s = await stack({
      sim: { inventory },
      jocYaml: `    controllers:\n      - id: controller-ha\n        orderStates: [FAILED, SUSPENDED, WAITING]\n        workflows: [${configured.join(', ')}]\n`,
    });
    const samples = await s.poll();
    const listed = (lastAnswer(s, 'orders', 'controller-ha')['orders'] as Array<{ workflowId: { path: string }; state: { _text: string } }>);
    for (const path of configured) {
      const exported = byState(samples, 'jobscheduler_workflow_orders', { workflow: path });
      expect(Object.keys(exported).sort()).toEqual(['failed', 'suspended', 'waiting']);
      for (const state of ['FAILED', 'SUSPENDED', 'WAITING']) {
        expect(exported[state.toLowerCase()]).toBe(listed.filter((o) => o.workflowId.path === path && o.state._text === state).length);
      }
      expect(select(samples, 'jobscheduler_workflow_state', { workflow: path }).filter((x) => x.value === 1)).toHaveLength(1);
    }
    expect(value(samples, 'jobscheduler_exporter_configured_objects_missing', { jobscheduler_id: 'controller-ha', kind: 'workflow' })).toBe(0);
  });

  test('at most 6 requests per Controller ID and poll, whatever the number of configured workflows', async () => {
    const inventory = generateJs7Inventory({ seed: 3, workflowsPerController: 120, ordersPerController: 2000 });
    // Old versions of a workflow are entries of their own in the model: one path each.
    const paths = [...new Set(inventory.controllers[1]!.workflows.map((w) => w.path))];
    expect(paths.length).toBeGreaterThanOrEqual(100);
    const counts: Record<string, Map<string, Record<string, number>>> = {};
    for (const n of [1, paths.length]) {
      const s = await stack({
        sim: { inventory: generateJs7Inventory({ seed: 3, workflowsPerController: 120, ordersPerController: 2000 }) },
        jocYaml: `    controllers:\n      - id: controller\n      - id: controller-ha\n        workflows: [${paths.slice(0, n).join(', ')}]\n`,
      });
      counts[n] = await requestsOfOnePoll(s);
      if (n > 1) expect(select(s.samples(), 'jobscheduler_workflow_state', { jobscheduler_id: 'controller-ha' }).length).toBe(n * 6);
    }
    for (const per of Object.values(counts)) {
      expect(per.get('controller-ha')).toEqual({
        'orders/overview/snapshot': 1,
        orders: 1,
        workflows: 1,
        'workflows/overview/snapshot': 1,
        'controller/components': 1,
      });
      expect(per.get('controller')).toEqual({
        'orders/overview/snapshot': 1,
        orders: 1,
        'workflows/overview/snapshot': 1,
        'controller/components': 1,
      });
      // jocs once per poll (no controllerId), no login, no version detection after the first poll.
      expect(per.get('(none)')).toEqual({ jocs: 1 });
    }
  });

  test('the history, Agents and daily plan (§8) add at most 6 requests per Controller ID and poll', async () => {
    const s = await stack();
    const per = await requestsOfOnePoll(s, true);
    expect([...per.keys()].sort()).toEqual(['controller', 'controller-ha']);
    for (const counts of per.values()) {
      expect(counts).toMatchObject({ 'tasks/history': expect.any(Number), 'orders/history': expect.any(Number), agents: 1, 'daily_plan/orders/summary': 1 });
      // a window per kind, and a look-up by id while entries seen running have left the window
      expect(counts['tasks/history']).toBeLessThanOrEqual(2);
      expect(counts['orders/history']).toBeLessThanOrEqual(2);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(6);
    }
  });

  test('discovery asks controller/ids once per poll', async () => {
    const s = await stack();
    const per = await requestsOfOnePoll(s);
    expect(per.get('(none)')).toEqual({ 'controller/ids': 1, jocs: 1 });
    expect([...per.keys()].sort()).toEqual(['(none)', 'controller', 'controller-ha']);
  });

  test('a configured workflow JOC does not know: no series, a warning once, counted as missing', async () => {
    const s = await stack({ jocYaml: '    controllers:\n      - id: controller\n        workflows: [/no/such/workflow]\n' });
    await s.poll();
    const samples = await s.poll();
    expect(samples.filter((x) => x.labels['workflow'] === '/no/such/workflow')).toEqual([]);
    expect(value(samples, 'jobscheduler_exporter_configured_objects_missing', { jobscheduler_id: 'controller', kind: 'workflow' })).toBe(1);
    expect(s.logs.records().filter((l) => l.level === 'warn' && String(l.msg).includes('/no/such/workflow'))).toHaveLength(1);
  });

  test.each([
    ['2.7', '2.7.1', ['workflows/overview/snapshot']],
    ['2.5', '2.5.3', ['workflows/overview/snapshot', 'jocs']],
  ])('JOC %s: the endpoints it lacks are no error, the figures come from what it has, logged once', async (version, text, lacking) => {
    const s = await stack({ sim: { version } });
    await s.poll();
    const samples = await s.poll();
    expect(select(samples, 'jobscheduler_joc_info')[0]?.labels['version']).toBe(text);
    for (const id of ['controller', 'controller-ha']) {
      expect(value(samples, 'jobscheduler_up', { jobscheduler_id: id })).toBe(1);
      expect(select(samples, 'jobscheduler_workflows', { jobscheduler_id: id })).toHaveLength(4);
      expect(select(samples, 'jobscheduler_workflows', { jobscheduler_id: id }).reduce((a, x) => a + x.value, 0)).toBeGreaterThan(0);
    }
    expect(select(samples, 'jobscheduler_joc_member_state').filter((m) => m.value === 1)).toHaveLength(2);
    expect(s.logs.records().filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
    for (const endpoint of lacking) {
      expect(s.logs.records().filter((l) => l.level === 'info' && l['endpoint'] === endpoint && String(l.msg).includes('has no'))).toHaveLength(1);
    }
    // The second poll asks no endpoint the JOC lacks.
    s.sim.resetStats();
    await s.poll();
    for (const endpoint of lacking) expect(s.sim.stats.perEndpoint[endpoint]).toBeUndefined();
  });

  test('a JOC without jocs (2.5.3): the members from the controller/components answer the first Controller ID reads anyway, asked once per Controller ID and poll', async () => {
    const s = await stack({ sim: { version: '2.5' }, jocYaml: '    controllers:\n      - id: controller-ha\n      - id: controller\n' });
    await s.poll();
    const per = await requestsOfOnePoll(s);
    expect(per.get('(none)')).toBeUndefined();
    expect(per.get('controller-ha')?.['controller/components']).toBe(1);
    expect(per.get('controller')?.['controller/components']).toBe(1);
    const [result] = await s.exporter.pollAll();
    expect(result!.schedulers.map((x) => [x.id, x.complete])).toEqual([
      ['controller-ha', true],
      ['controller', true],
    ]);
    expect(select(s.samples(), 'jobscheduler_joc_member_state').filter((m) => m.value === 1)).toHaveLength(2);
    expect(s.logs.records().filter((r) => r['level'] === 'warn' || r['level'] === 'error')).toEqual([]);
  });

  test('same figures on 2.7 (derived) as on 2.8 (snapshot) for the same inventory', async () => {
    const figures: Record<string, number>[] = [];
    for (const version of ['2.7', '2.8']) {
      const s = await stack({ sim: { version, inventory: generateJs7Inventory({ seed: 9, now: 1_770_000_000_000 }) } });
      figures.push(byState(await s.poll(), 'jobscheduler_workflows', { jobscheduler_id: 'controller-ha' }));
    }
    expect(figures[0]).toEqual(figures[1]);
  });

  test('keep-alive: JS7 reads do not extend the session, touch does, so it outlives its idle timeout', async () => {
    const s = await stack({ sim: { sessionTimeoutMs: 1_000 } });
    await s.poll();
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const samples = await s.poll();
    expect(s.sim.stats.touches).toBeGreaterThanOrEqual(2);
    expect(s.sim.stats.logins).toBe(1);
    expect(value(samples, 'jobscheduler_exporter_session_renewals_total', { joc: 'sim' })).toBe(0);
    expect(select(samples, 'jobscheduler_up').map((x) => x.value)).toEqual([1, 1]);
  });

  test('session: one login with authentication/login, re-login after 440 counted, logout', async () => {
    const s = await stack();
    await s.poll();
    await s.poll();
    expect(s.sim.stats.logins).toBe(1);
    s.sim.expireSessions('440');
    const samples = await s.poll();
    expect(value(samples, 'jobscheduler_joc_up')).toBe(1);
    expect(s.sim.stats.logins).toBe(2);
    expect(value(samples, 'jobscheduler_exporter_session_renewals_total', { joc: 'sim' })).toBe(1);
    expect(s.sim.stats.requests.some((r) => r.endpoint === 'authentication/login')).toBe(true);
    await s.exporter.close();
    expect(s.sim.stats.logouts).toBe(1);
  });

  test.each(['401', '420'] as const)('session gone as %s (420: JOC 2.0/2.1 with a Shiro message): one re-login, the poll is whole', async (shape) => {
    const s = await stack();
    await s.poll();
    s.sim.expireSessions(shape);
    const samples = await s.poll();
    expect(select(samples, 'jobscheduler_up').map((x) => x.value)).toEqual([1, 1]);
    expect(s.sim.stats.logins).toBe(2);
    expect(value(samples, 'jobscheduler_exporter_session_renewals_total', { joc: 'sim' })).toBe(1);
  });

  test('a failed login that JS7 answers after a delay longer than poll.timeoutSeconds is a refusal, not a timeout', async () => {
    const s = await stack({
      sim: { loginDelay: { firstMs: 1_500, maxMs: 1_500 } },
      yaml: `listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "0 0 1 1 *", timeoutSeconds: 0.5 }
joc:
  - name: sim
    url: \${SIM_URL}
    apiVersion: js7
    user: exporter
    password: wrong-password
`,
    });
    const started = Date.now();
    const samples = await s.poll();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(value(samples, 'jobscheduler_joc_up')).toBe(0);
    expect(value(samples, 'jobscheduler_exporter_logins_total', { result: 'failure' })).toBe(1);
    expect(value(samples, 'jobscheduler_exporter_requests_total', { endpoint: 'authentication/login', code: '401' })).toBe(1);
    expect(s.sim.stats.failedLogins).toBe(1);
  });

  test('a Controller JOC cannot reach: instances unreachable, its order series absent, jobscheduler_up 0', async () => {
    const s = await stack();
    s.sim.setControllerReachable('controller-ha', false);
    const samples = await s.poll();
    expect(value(samples, 'jobscheduler_up', { jobscheduler_id: 'controller-ha' })).toBe(0);
    expect(select(samples, 'jobscheduler_orders', { jobscheduler_id: 'controller-ha' })).toEqual([]);
    expect(value(samples, 'jobscheduler_up', { jobscheduler_id: 'controller' })).toBe(1);
    const connection = select(samples, 'jobscheduler_controller_connection_state', { jobscheduler_id: 'controller-ha', state: 'unreachable' });
    expect(connection.map((x) => x.value)).toEqual([1, 1]);
  });

  test('a bad answer is counted and logged, never a crash', async () => {
    const s = await stack();
    s.sim.failNext('orders/overview/snapshot', { status: 200, body: { orders: { failed: 'many' } } }, 2);
    const samples = await s.poll();
    expect(value(samples, 'jobscheduler_joc_up')).toBe(1);
    expect(value(samples, 'jobscheduler_exporter_invalid_answers_total', { endpoint: 'orders/overview/snapshot' })).toBe(2);
    expect(select(samples, 'jobscheduler_up').map((x) => x.value)).toEqual([0, 0]);
  });
});
