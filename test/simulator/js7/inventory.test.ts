/** The generated model and the answers derived from it (JS7-NOTES §2.3–§2.8). */
import { bucketOf, generateJs7Inventory, ORDER_BUCKETS, type Js7Simulator } from '../../../src/simulator/js7';
import { js7Login, manualClock, post, startFast } from './http';

const NOW = Date.parse('2026-03-02T12:00:00.000Z');

describe('generated JS7 inventory', () => {
  test('the same seed gives the same model; sizes are honoured (bench: 500 workflows, 20,000 orders)', () => {
    const a = generateJs7Inventory({ seed: 5, now: NOW });
    expect(generateJs7Inventory({ seed: 5, now: NOW })).toEqual(a);
    expect(generateJs7Inventory({ seed: 6, now: NOW })).not.toEqual(a);
    const big = generateJs7Inventory({ seed: 1, now: NOW, standaloneControllers: ['prod'], clusterControllers: [], workflowsPerController: 500, ordersPerController: 20_000 });
    const prod = big.controllers[0]!;
    expect(prod.workflows.filter((w) => w.current)).toHaveLength(500);
    expect(new Set(prod.workflows.filter((w) => w.current).map((w) => w.path)).size).toBe(500);
    expect(prod.orders).toHaveLength(20_000);
  });

  test('standalone and cluster Controllers, JOC cluster members, Agents with Subagents', () => {
    const inv = generateJs7Inventory({ seed: 1, now: NOW });
    expect(inv.controllers.map((c) => [c.controllerId, c.nodes.map((n) => n.role), c.clusterState])).toEqual([
      ['controller', ['STANDALONE'], undefined], ['controller-ha', ['PRIMARY', 'BACKUP'], 'Coupled'],
    ]);
    expect(inv.jocs.map((j) => [j.instanceId, j.active, j.current])).toEqual([['joc#0', true, true], ['joc#1', false, false]]);
    for (const c of inv.controllers) {
      expect(c.agents.filter((a) => a.url && !a.subagents)).toHaveLength(3);
      expect(c.agents.filter((a) => a.subagents).map((a) => a.subagents!.length)).toEqual([3]);
    }
  });

  test('orders in all ten buckets, workflows in every sync state, old versions that still hold orders', () => {
    for (const c of generateJs7Inventory({ seed: 2, now: NOW }).controllers) {
      const buckets = new Set(c.orders.map((o) => bucketOf(o.state)));
      expect([...ORDER_BUCKETS].filter((b) => !buckets.has(b))).toEqual([]);
      const old = c.workflows.filter((w) => !w.current);
      expect(old.length).toBeGreaterThan(0);
      for (const w of old) expect(c.orders.some((o) => o.workflowPath === w.path && o.versionId === w.versionId)).toBe(true);
      expect(c.workflows.some((w) => w.state !== 'IN_SYNC')).toBe(true);
    }
  });
});

describe('answers from the model', () => {
  const clock = manualClock(NOW);
  let sim: Js7Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startFast({ now: clock.now, seed: 3, size: { workflowsPerController: 40, ordersPerController: 1500 } });
    token = await js7Login(sim);
  });
  afterAll(() => sim.close());
  const ask = async (endpoint: string, body: unknown): Promise<any> => {
    const res = await post(sim, endpoint, body, token);
    expect([endpoint, res.status]).toEqual([endpoint, 200]);
    return res.json;
  };

  test('the snapshot buckets equal the orders of /orders grouped by state, per workflow path and version', async () => {
    const snapshot = (await ask('orders/overview/snapshot', { controllerId: 'controller' })).orders;
    expect(Object.keys(snapshot).sort()).toEqual([...ORDER_BUCKETS].sort());
    const orders = (await ask('orders', { controllerId: 'controller', compact: true, limit: -1 })).orders as any[];
    const counted = Object.fromEntries(ORDER_BUCKETS.map((b) => [b, 0]));
    for (const o of orders) counted[bucketOf(o.state._text)]!++;
    expect(snapshot).toEqual(counted);
    expect(orders.length).toBe(1500);
    const paths = new Set(orders.map((o) => o.workflowId.path));
    expect(paths.size).toBeGreaterThan(10);
    const oldVersions = sim.inventory.controllers[0]!.workflows.filter((w) => !w.current);
    expect(orders.some((o) => oldVersions.some((w) => w.versionId === o.workflowId.versionId))).toBe(true);
  });

  test('/orders: states filter, default limit 10000, orderIds, one workflow gets labels; WAITING has a reason, fresh orders scheduledFor', async () => {
    const failed = (await ask('orders', { controllerId: 'controller', compact: true, states: ['FAILED', 'SUSPENDED'] })).orders as any[];
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((o) => o.state._text))).toEqual(new Set(['FAILED', 'SUSPENDED']));
    expect((await ask('orders', { controllerId: 'controller', limit: 7 })).orders).toHaveLength(7);
    const one = sim.inventory.controllers[0]!.orders[5]!;
    const byId = (await ask('orders', { controllerId: 'controller', orderIds: [one.orderId], limit: 0 })).orders;
    expect(byId.map((o: any) => o.orderId)).toEqual([one.orderId]);
    const waiting = (await ask('orders', { controllerId: 'controller', states: ['WAITING'] })).orders as any[];
    expect(waiting.every((o) => typeof o.state._reason === 'string')).toBe(true);
    const scheduled = (await ask('orders', { controllerId: 'controller', states: ['SCHEDULED', 'BLOCKED'] })).orders as any[];
    expect(scheduled.every((o) => (o.state._text === 'SCHEDULED' ? o.scheduledFor > NOW : o.scheduledFor < NOW))).toBe(true);
    const path = one.workflowPath;
    const labelled = (await ask('orders', { controllerId: 'controller', workflowIds: [{ path }] })).orders as any[];
    expect(labelled.every((o) => o.workflowId.path === path && typeof o.label === 'string')).toBe(true);
  });

  test('/workflows lists old versions (isCurrentVersion false), newest first; the workflows snapshot counts current versions by state', async () => {
    const list = (await ask('workflows', { controllerId: 'controller', compact: true })).workflows as any[];
    expect(list.some((w) => w.isCurrentVersion === false)).toBe(true);
    const dates = list.map((w) => Date.parse(w.versionDate));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    expect(list[0]).not.toHaveProperty('instructions');
    const current = list.filter((w) => w.isCurrentVersion);
    const count = (text: string) => current.filter((w) => w.state._text === text).length;
    const snapshot = (await ask('workflows/overview/snapshot', { controllerId: 'controller' })).workflows;
    expect(snapshot).toEqual({ synchronized: count('IN_SYNC'), notSynchronized: count('NOT_IN_SYNC'), suspended: count('SUSPENDED'), outstanding: count('OUTSTANDING') });
    const full = (await ask('workflows', { controllerId: 'controller', workflowIds: [{ path: list[0].path }] })).workflows;
    expect(full[0].instructions.length).toBeGreaterThan(0);
    const counted = await ask('workflows/order_count', { controllerId: 'controller', workflowIds: [{ path: list[0].path }] });
    expect(counted.workflows.every((w: any) => w.path === list[0].path)).toBe(true);
  });

  test('/agents: standalone Agents with a state and runningTasks, the cluster Agent with healthState and Subagents', async () => {
    const controller = sim.inventory.controllers[0]!;
    const agents = (await ask('agents', { controllerId: 'controller', compact: true, onlyVisibleAgents: true, flat: true })).agents as any[];
    const standalone = agents.filter((a) => a.url);
    expect(standalone.map((a) => a.state._text)).toEqual(['COUPLED', 'COUPLED', 'COUPLED']);
    const running = controller.orders.filter((o) => o.state === 'RUNNING' && o.agentId === standalone[0].agentId);
    expect(standalone[0].runningTasks).toBe(running.length);
    expect(standalone[0]).not.toHaveProperty('orders');
    const full = (await ask('agents', { controllerId: 'controller', agentIds: [standalone[0].agentId] })).agents;
    expect(full[0].orders.map((o: any) => o.orderId)).toEqual(running.map((o) => o.orderId));
    const cluster = agents.find((a) => a.subagents);
    expect(cluster).not.toHaveProperty('state');
    expect(cluster.healthState._text).toBe('ALL_SUBAGENTS_ARE_COUPLED_AND_ENABLED');
    const model = controller.agents.find((a) => a.subagents)!;
    model.subagents![1]!.state = 'SHUTDOWN';
    expect((await ask('agents', { controllerId: 'controller' })).agents.find((a: any) => a.subagents).healthState._text).toBe('ONLY_SOME_SUBAGENTS_ARE_COUPLED_AND_ENABLED');
    for (const s of model.subagents!) s.state = 'SHUTDOWN';
    expect((await ask('agents', { controllerId: 'controller' })).agents.find((a: any) => a.subagents).healthState._text).toBe('NO_SUBAGENTS_ARE_COUPLED_AND_ENABLED');
    for (const s of model.subagents!) s.state = 'COUPLED';
    controller.agents[0]!.problem = { severity: 2, message: 'refused' };
    const flaky = (await ask('agents', { controllerId: 'controller', agentIds: [controller.agents[0]!.agentId] })).agents;
    expect(flaky).toEqual([expect.objectContaining({ state: { severity: 2, _text: 'COUPLED' }, errorMessage: 'refused' })]);
    delete controller.agents[0]!.problem;
  });

  test('history: newest start first, limit, date windows, ids; summaries count SUCCESSFUL and FAILED', async () => {
    const all = (await ask('tasks/history', { controllerId: 'controller', limit: -1 })).history as any[];
    expect(all.length).toBeGreaterThan(50);
    const starts = all.map((t) => Date.parse(t.startTime));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    expect(all.some((t) => t.endTime === undefined && t.state._text === 'INCOMPLETE')).toBe(true);
    expect(all.every((t) => typeof t.taskId === 'number')).toBe(true);
    expect((await ask('tasks/history', { controllerId: 'controller', limit: 4 })).history).toHaveLength(4);
    const lastHour = (await ask('tasks/history', { controllerId: 'controller', dateFrom: '-1h', limit: -1 })).history as any[];
    expect(lastHour.every((t) => Date.parse(t.startTime) >= NOW - 3_600_000)).toBe(true);
    const ended = (await ask('tasks/history', { controllerId: 'controller', completedDateFrom: new Date(NOW - 1_800_000).toISOString(), limit: -1 })).history as any[];
    expect(ended.every((t) => Date.parse(t.endTime) >= NOW - 1_800_000)).toBe(true);
    const ids = (await ask('tasks/history', { taskIds: [all[0].taskId] })).history;
    expect(ids.map((t: any) => t.taskId)).toEqual([all[0].taskId]);
    const both = (await ask('tasks/history', { limit: -1 })).history as any[];
    expect(new Set(both.map((t) => t.controllerId))).toEqual(new Set(['controller', 'controller-ha']));
    const summary = (await ask('jobs/overview/summary', { controllerId: 'controller', dateFrom: '-12h' })).jobs;
    expect(summary.successful).toBe(all.filter((t) => t.state._text === 'SUCCESSFUL').length);
    expect(summary.failed).toBe(all.filter((t) => t.state._text === 'FAILED').length);
    const orders = (await ask('orders/history', { controllerId: 'controller', historyStates: ['SUCCESSFUL', 'FAILED'], limit: -1 })).history as any[];
    const orderSummary = (await ask('orders/overview/summary', { controllerId: 'controller', dateFrom: '12h' })).orders;
    expect(orderSummary).toEqual({ successful: orders.filter((o) => o.state._text === 'SUCCESSFUL').length, failed: orders.filter((o) => o.state._text === 'FAILED').length });
    // No into-past conversion for jobs: "12h" is in the future.
    expect((await ask('jobs/overview/summary', { controllerId: 'controller', dateFrom: '12h' })).jobs).toEqual({ successful: 0, failed: 0 });
  });

  test('daily plan summary: today with late planned and late submitted orders; no deliveryDate', async () => {
    const summary = await ask('daily_plan/orders/summary', { controllerIds: ['controller'], dailyPlanDateFrom: '2026-03-02', dailyPlanDateTo: '2026-03-02' });
    expect(Object.keys(summary).sort()).toEqual(['finished', 'planned', 'plannedLate', 'submitted', 'submittedLate']);
    const plan = sim.inventory.controllers[0]!.dailyPlan;
    expect(Object.values(summary).reduce((a: number, b) => a + (b as number), 0)).toBe(plan.length);
    expect(summary.finished).toBeGreaterThan(0);
    expect(summary.planned).toBeGreaterThan(0);
    expect(summary.plannedLate + summary.submittedLate).toBeGreaterThan(0);
    expect(await ask('daily_plan/orders/summary', { dailyPlanDateFrom: '2026-03-01' })).toEqual({ submitted: 0, submittedLate: 0, planned: 0, plannedLate: 0, finished: 0 });
  });

  test('controllers, controller, jocs and versions', async () => {
    expect((await ask('controllers', {})).controllers.map((c: any) => c.role)).toEqual(['STANDALONE', 'PRIMARY', 'BACKUP']);
    expect((await ask('controllers', { controllerId: 'controller-ha' })).controllers).toHaveLength(2);
    expect((await ask('controller', { controllerId: 'controller-ha' })).controller.role).toBe('PRIMARY');
    const jocs = (await ask('jocs', {})).jocs as any[];
    expect(jocs.map((j) => j.clusterNodeState._text)).toEqual(['active', 'inactive']);
    sim.inventory.jocs[1]!.heartbeatAgeMs = 90_000;
    const stale = (await ask('jocs', {})).jocs as any[];
    expect(stale[1].connectionState._text).toBe('unknown');
    sim.inventory.jocs[1]!.heartbeatAgeMs = 8_000;
    expect(await ask('joc/is_active', {})).toMatchObject({ ok: true });
    sim.inventory.jocs[0]!.active = false;
    sim.inventory.jocs[1]!.active = true;
    expect(await ask('joc/is_active', {})).toMatchObject({ ok: false });
    sim.inventory.jocs[0]!.active = true;
    sim.inventory.jocs[1]!.active = false;
    const versions = await ask('joc/versions', { controllerIds: ['controller'] });
    expect(versions.controllerVersions.map((v: any) => v.controllerId)).toEqual(['controller']);
    expect(versions.agentVersions.some((v: any) => v.subagentId)).toBe(true);
  });
});

describe('smaller setups', () => {
  test('a JOC without a cluster: one member, no clusterNodeState; no cluster Agent without Subagents; only standalone Controllers', async () => {
    const sim = await startFast({ size: { jocMembers: 1, subagents: 0, clusterControllers: [], standaloneControllers: ['a', 'b'] } });
    try {
      const token = await js7Login(sim);
      const jocs = (await post(sim, 'jocs', {}, token)).json.jocs as any[];
      expect(jocs).toHaveLength(1);
      expect(jocs[0]).not.toHaveProperty('clusterNodeState');
      expect(jocs[0]).toMatchObject({ current: true, connectionState: { _text: 'established' } });
      expect((await post(sim, 'controller/ids', {}, token)).json).toMatchObject({ controllerIds: ['a', 'b'], selected: 'a' });
      const agents = (await post(sim, 'agents', { controllerId: 'b' }, token)).json.agents as any[];
      expect(agents.every((a) => !a.subagents && a.url)).toBe(true);
      const model = sim.inventory.controllers[0]!.workflows;
      model.find((w) => w.path.startsWith('/sales/'))!.state = 'SUSPENDED';
      model.find((w) => w.path.startsWith('/etl/load/'))!.state = 'SUSPENDED';
      const expected = model.filter((w) => w.state === 'SUSPENDED' && /^\/sales\/[^/]+$/.test(w.path)).map((w) => w.versionId);
      const filtered = (await post(sim, 'workflows', { controllerId: 'a', states: ['SUSPENDED'], folders: [{ folder: '/sales', recursive: false }] }, token)).json.workflows;
      expect(expected.length).toBeGreaterThan(0);
      expect(filtered.map((w: any) => w.versionId)).toEqual(expected);
      const recursive = (await post(sim, 'workflows', { controllerId: 'a', states: ['SUSPENDED'], folders: [{ folder: '/etl' }] }, token)).json.workflows;
      expect(recursive.length).toBeGreaterThan(0);
      expect(recursive.every((w: any) => w.path.startsWith('/etl/'))).toBe(true);
      const { request } = await import('undici');
      const posted = await request(`${sim.url}/joc/version.json`, { method: 'POST', body: '{}' });
      await posted.body.text();
      expect(posted.statusCode).toBe(405);
    } finally {
      await sim.close();
    }
  });
});
