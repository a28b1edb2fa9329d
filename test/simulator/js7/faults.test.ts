/**
 * The 1.x simulator's fault kinds on the JS7 simulator (the same machinery, JS7's codes and
 * texts), the one-off replies, refused connections, and unreachable Controllers.
 */
import http from 'node:http';
import { FAULT_KINDS, type Fault } from '../../../src/simulator';
import type { Js7Simulator } from '../../../src/simulator/js7';
import { call, js7Login, post, startFast } from './http';

const SNAPSHOT = { controllerId: 'controller-ha' };

interface RawAnswer { status?: number; body: Buffer; error?: NodeJS.ErrnoException }

function rawPost(sim: Js7Simulator, endpoint: string, body: unknown, token: string): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const answer: RawAnswer = { body: Buffer.alloc(0) };
    const done = (error?: NodeJS.ErrnoException): void => {
      answer.body = Buffer.concat(chunks);
      if (error) answer.error = error;
      resolve(answer);
    };
    const req = http.request(`${sim.url}/joc/api/${endpoint}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Access-Token': token }, agent: false,
    }, (res) => {
      answer.status = res.statusCode;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done());
      res.on('error', done);
    });
    req.on('error', done);
    req.end(JSON.stringify(body));
  });
}

describe('JS7 faults', () => {
  let sim: Js7Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startFast();
    token = await js7Login(sim);
  });
  afterEach(() => sim.clearFaults());
  afterAll(() => sim.close());

  test('every fault kind of the 1.x simulator applies, with JS7 codes (JOC-402, JOC-411) and Controller URLs', async () => {
    const faults: Record<(typeof FAULT_KINDS)[number], Fault> = {
      delay: { kind: 'delay', ms: 30 }, html500: { kind: 'html500' }, malformedJson: { kind: 'malformedJson' }, truncated: { kind: 'truncated' },
      status434: { kind: 'status434' }, masterUnreachable: { kind: 'masterUnreachable' }, databaseUnreachable: { kind: 'databaseUnreachable' },
      reset: { kind: 'reset' }, oversize: { kind: 'oversize', bytes: 300_000 },
    };
    const seen: Record<string, unknown> = {};
    for (const kind of FAULT_KINDS) {
      sim.setFault('orders/overview/snapshot', faults[kind]);
      const t = Date.now();
      const res = await rawPost(sim, 'orders/overview/snapshot', SNAPSHOT, token);
      const text = res.body.toString('utf8');
      let json: any;
      try { json = JSON.parse(text); } catch { json = undefined; }
      seen[kind] = { status: res.status, error: res.error?.code, code: json?.error?.code, message: json?.error?.message, bytes: res.body.length, ms: Date.now() - t };
    }
    expect(seen.delay).toMatchObject({ status: 200, bytes: expect.any(Number) });
    expect((seen.delay as any).ms).toBeGreaterThanOrEqual(25);
    expect(seen.html500).toMatchObject({ status: 500, code: undefined });
    expect(seen.malformedJson).toMatchObject({ status: 200, code: undefined });
    expect((seen.truncated as any).error).toBeDefined();
    expect(seen.status434).toMatchObject({ status: 434, code: 'JOC-402', message: 'ControllerConnectionResetException: Connection reset: http://controller-ha-primary.example:4444' });
    expect(seen.masterUnreachable).toMatchObject({ status: 420, code: 'JOC-402', message: expect.stringMatching(/^ControllerConnectionRefusedException: /) });
    expect(seen.databaseUnreachable).toMatchObject({ status: 420, code: 'JOC-411', message: expect.stringMatching(/^DBConnectionRefusedException: /) });
    expect((seen.reset as any).error).toMatch(/ECONNRESET|socket hang up/);
    expect(seen.oversize).toMatchObject({ status: 200 });
    expect((seen.oversize as any).bytes).toBeGreaterThanOrEqual(300_000);
    expect(sim.stats.faults).toBe(FAULT_KINDS.length);
    expect(sim.stats.requests.filter((r) => r.fault).map((r) => r.fault)).toEqual([...FAULT_KINDS]);
  });

  test("'*' faults every endpoint; an endpoint's own fault wins; unknown endpoints are refused", async () => {
    sim.setFault('*', { kind: 'html500' });
    sim.setFault('agents', { kind: 'databaseUnreachable' });
    expect((await post(sim, 'controller/ids', {}, token)).status).toBe(500);
    expect((await post(sim, 'agents', { controllerId: 'controller' }, token)).json.error.code).toBe('JOC-411');
    expect(() => sim.setFault('jobs' as never, { kind: 'html500' })).toThrow(/unknown endpoint/);
  });

  test('failNext: scripted replies before any check, then normal again', async () => {
    sim.failNext('controller/ids', { status: 503, body: 'busy', contentType: 'text/plain' }, 2);
    expect((await post(sim, 'controller/ids', {}, 'no-token-needed')).status).toBe(503);
    expect((await post(sim, 'controller/ids', {}, token)).status).toBe(503);
    expect((await post(sim, 'controller/ids', {}, token)).status).toBe(200);
    expect(() => sim.failNext('nope' as never, { status: 500 })).toThrow(/unknown endpoint/);
  });

  test('refuseConnections: nothing listens, then the same URL and the sessions work again', async () => {
    await sim.refuseConnections(true);
    await expect(call(sim, 'controller/ids', {}, { token })).rejects.toThrow();
    await sim.refuseConnections(false);
    expect((await post(sim, 'controller/ids', {}, token)).status).toBe(200);
  });

  test('an unreachable Controller: instances unreachable (200), proxy answers 420 JOC-402 or 434, workflows UNKNOWN, the database answers', async () => {
    sim.setControllerReachable('controller-ha', false);
    try {
      const components = await post(sim, 'controller/components', SNAPSHOT, token);
      expect(components.status).toBe(200);
      expect(components.json.controllers.map((c: any) => [c.connectionState._text, c.componentState._text, c.clusterNodeState._text]))
        .toEqual([['unreachable', 'unknown', 'unknown'], ['unreachable', 'unknown', 'unknown']]);
      expect(components.json.clusterState).toEqual({ severity: 4, _text: 'ClusterUnknown' });
      expect(components.json.jocs[0].controllerConnectionStates.map((s: any) => s.state._text)).toEqual(['unreachable', 'unreachable']);
      for (const endpoint of ['orders/overview/snapshot', 'orders', 'agents', 'workflows/overview/snapshot']) {
        const res = await post(sim, endpoint, SNAPSHOT, token);
        expect([endpoint, res.status, res.json.error.code]).toEqual([endpoint, 420, 'JOC-402']);
      }
      expect((await post(sim, 'controller', SNAPSHOT, token)).status).toBe(434);
      const workflows = await post(sim, 'workflows', { ...SNAPSHOT, compact: true }, token);
      expect(new Set(workflows.json.workflows.map((w: any) => w.state._text))).toEqual(new Set(['UNKNOWN']));
      expect((await post(sim, 'tasks/history', SNAPSHOT, token)).status).toBe(200);
      expect((await post(sim, 'orders/overview/snapshot', { controllerId: 'controller' }, token)).status).toBe(200);
      sim.setControllerReachable('controller-ha', false, 'reset');
      expect((await post(sim, 'orders/overview/snapshot', SNAPSHOT, token)).status).toBe(434);
      expect((await post(sim, 'orders', SNAPSHOT, token)).status).toBe(420);
    } finally {
      sim.setControllerReachable('controller-ha', true);
    }
    expect((await post(sim, 'orders/overview/snapshot', SNAPSHOT, token)).status).toBe(200);
    expect(() => sim.setControllerReachable('nope', false)).toThrow(/unknown controllerId/);
  });

  test('one lost cluster node: the other answers; component and cluster states follow the cluster state', async () => {
    const controller = sim.inventory.controllers.find((c) => c.controllerId === 'controller-ha')!;
    const [primary, backup] = controller.nodes;
    backup!.reachable = false;
    controller.clusterState = 'PassiveLost';
    try {
      const res = await post(sim, 'controller/components', SNAPSHOT, token);
      expect(res.json.clusterState).toEqual({ severity: 1, _text: 'ClusterPassiveLost' });
      expect(res.json.controllers.map((c: any) => [c.role, c.connectionState._text, c.clusterNodeState._text, c.isCoupled]))
        .toEqual([['PRIMARY', 'established', 'active', false], ['BACKUP', 'unreachable', 'unknown', false]]);
      backup!.reachable = true;
      controller.clusterState = 'PreparedToBeCoupled';
      const prepared = await post(sim, 'controller/components', SNAPSHOT, token);
      expect(prepared.json.controllers.map((c: any) => c.componentState._text)).toEqual(['operational', 'inoperable']);
      controller.clusterState = 'NodeLossToBeConfirmed';
      controller.lossNode = backup!.url;
      const loss = await post(sim, 'controller/components', SNAPSHOT, token);
      expect(loss.json.clusterState).toEqual({ severity: 2, _text: 'ClusterNodeLossToBeConfirmed', lossNode: backup!.url });
    } finally {
      controller.clusterState = 'Coupled';
      delete controller.lossNode;
      primary!.reachable = true;
    }
    const coupled = await post(sim, 'controller/components', SNAPSHOT, token);
    expect(coupled.json.controllers.map((c: any) => c.isCoupled)).toEqual([true, true]);
    const standalone = await post(sim, 'controller/components', { controllerId: 'controller' }, token);
    expect(standalone.json.clusterState._text).toBe('ClusterUnknown');
    expect(standalone.json.controllers[0]).not.toHaveProperty('clusterNodeState');
  });
});
