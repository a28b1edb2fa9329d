import { request } from 'undici';
import { startSimulator, type Simulator } from '../../src/simulator';
import { basic, call, login, manualClock } from './http';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('simulator over HTTP', () => {
  const clock = manualClock();
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: clock.now, sessionTimeoutMs: 60_000, users: { root: 'root', alice: 'secret' } });
  });
  afterAll(() => sim.close());

  describe('security/login (NOTES §2.1)', () => {
    test('good credentials: security body, token headers and timeout in ms', async () => {
      const res = await call(sim, 'security/login', {}, { headers: { Authorization: basic('root', 'root') } });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        user: 'root', accessToken: expect.stringMatching(/^[0-9a-f-]{36}$/), isAuthenticated: true, hasRole: false, isPermitted: false,
        sessionTimeout: 60_000, enableTouch: true, callerIpAddress: '127.0.0.1', callerHostName: '127.0.0.1',
      });
      expect(res.headers['x-access-token']).toBe(res.json.accessToken);
      expect(res.headers['access_token']).toBe(res.json.accessToken);
      expect(res.headers['x-joc-timeout']).toBe('60000');
      expect(sim.activeSessions().map((s) => s.accessToken)).toContain(res.json.accessToken);
    });

    test('wrong password and unknown user: 401 with isAuthenticated false', async () => {
      for (const [user, password] of [['root', 'wrong'], ['nobody', 'root']] as const) {
        const res = await call(sim, 'security/login', {}, { headers: { Authorization: basic(user, password) } });
        expect(res.status).toBe(401);
        expect(res.json).toEqual({
          user, isAuthenticated: false, hasRole: false, isPermitted: false, enableTouch: true,
          message: `There is no user with username / password combination of ${user}: Could not login with user: ${user} password:*******`,
        });
        expect(res.headers['x-access-token']).toBeUndefined();
      }
    });

    test('bad base64: 420 "Authorization header with basic based64part expected"', async () => {
      for (const authorization of ['Basic !!!notbase64', 'Basic ' + Buffer.from('nocolon').toString('base64'), 'Bearer abc']) {
        const res = await call(sim, 'security/login', {}, { headers: { Authorization: authorization } });
        expect(res.status).toBe(420);
        expect(res.json).toEqual({
          deliveryDate: expect.stringMatching(ISO_MS), surveyDate: expect.stringMatching(ISO_MS),
          error: { code: 'JOC-420', message: 'Authorization header with basic based64part expected' },
        });
      }
    });

    test('no Authorization header: 500 with a non-JSON body', async () => {
      const res = await call(sim, 'security/login', {});
      expect(res.status).toBe(500);
      expect(res.json).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/text\/html/);
    });

    test('the body is ignored; stats count logins and failures', async () => {
      sim.resetStats();
      await call(sim, 'security/login', undefined, { raw: 'not json', headers: { Authorization: basic('alice', 'secret') } });
      await call(sim, 'security/login', {}, { headers: { Authorization: basic('alice', 'nope') } });
      expect(sim.stats).toMatchObject({ logins: 1, failedLogins: 1, perEndpoint: { 'security/login': 2 } });
    });
  });

  describe('routing and container errors', () => {
    test('unknown path: 404 with a small JSON body', async () => {
      const res = await call(sim, 'no/such/thing', {});
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ status: 404, message: 'Not Found: /joc/api/no/such/thing' });
      const outside = await request(`${sim.url}/metrics`);
      expect(outside.statusCode).toBe(404);
      await outside.body.dump();
    });

    test('GET and other methods: 405', async () => {
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const res = await call(sim, 'orders', {}, { method });
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('POST');
      }
    });

    test('415 with a non-JSON body where JOC declares @Consumes(application/json)', async () => {
      const token = await login(sim);
      for (const endpoint of ['security/login', 'security/logout', 'jobscheduler/ids', 'jobscheduler/cluster/members']) {
        const res = await call(sim, endpoint, {}, { token, contentType: 'text/plain', headers: { Authorization: basic('root', 'root') } });
        expect(res.status).toBe(415);
        expect(res.json).toBeUndefined();
      }
      // a charset parameter or a missing Content-Type is fine
      expect((await call(sim, 'jobscheduler/ids', {}, { token, contentType: 'application/json; charset=utf-8' })).status).toBe(200);
      expect((await call(sim, 'jobscheduler/ids', {}, { token, contentType: null })).status).toBe(200);
    });
  });

  describe('data resources', () => {
    let token: string;
    beforeAll(async () => {
      token = await login(sim);
    });

    test('jobscheduler/ids', async () => {
      const res = await call(sim, 'jobscheduler/ids', {}, { token });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ jobschedulerIds: ['scheduler', 'scheduler2'], selected: 'scheduler' });
      expect(res.json.deliveryDate).toMatch(ISO_MS);
    });

    test('420 on an invalid body comes before the token check (missing, unknown or expired token)', async () => {
      const expired = await login(sim);
      sim.expireSessions('401');
      token = await login(sim);
      for (const t of [undefined, 'never-issued', expired, token]) {
        const res = await call(sim, 'orders', { compact: 'yes' }, { token: t });
        expect(res.status).toBe(420);
        expect(res.json.error).toEqual({
          code: 'JOC-420',
          message: 'com.sos.schema.exception.SOSJsonSchemaException: [$.jobschedulerId: is missing but it is required, $.compact: string found, boolean expected]',
        });
      }
    });

    test('invalid JSON and an empty body: 420 JOC-420', async () => {
      for (const raw of ['{"jobschedulerId":', '']) {
        const res = await call(sim, 'jobs', undefined, { token, raw });
        expect(res.status).toBe(420);
        expect(res.json.error.code).toBe('JOC-420');
        expect(res.json.error.message).toMatch(/^com\.fasterxml\.jackson\.core\.JsonParseException: /);
      }
    });

    test('the token is read from X-Access-Token only: the legacy header gives 440', async () => {
      const res = await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token, legacyToken: true });
      expect(res.status).toBe(440);
      expect(res.json).toEqual({
        isAuthenticated: false, hasRole: false, isPermitted: false, enableTouch: true, message: "SessionNotExistException: Session doesn't exist",
      });
    });

    test('jobs/overview/snapshot without jobschedulerId: 420 JOC-406', async () => {
      for (const body of [{}, { jobschedulerId: '' }]) {
        const res = await call(sim, 'jobs/overview/snapshot', body, { token });
        expect(res.status).toBe(420);
        expect(res.json.error).toEqual({ code: 'JOC-406', message: "JocMissingRequiredParameterException: undefined 'jobschedulerId'" });
      }
    });

    test('unknown jobschedulerId: 420 JOC-404', async () => {
      for (const endpoint of ['orders', 'jobs', 'job_chains', 'orders/overview/snapshot', 'jobs/overview/snapshot', 'jobscheduler/cluster/members']) {
        const res = await call(sim, endpoint, { jobschedulerId: 'nope' }, { token });
        expect(res.status).toBe(420);
        expect(res.json.error.code).toBe('JOC-404');
      }
    });

    test('cluster members: one id, or all ids when omitted or ""', async () => {
      const one = await call(sim, 'jobscheduler/cluster/members', { jobschedulerId: 'scheduler2' }, { token });
      expect(one.json.masters.map((m: { jobschedulerId: string }) => m.jobschedulerId)).toEqual(['scheduler2']);
      for (const body of [{}, { jobschedulerId: '' }]) {
        const all = await call(sim, 'jobscheduler/cluster/members', body, { token });
        expect(all.status).toBe(200);
        expect(all.json.masters).toHaveLength(3);
      }
    });

    test('unreachable Master: 420 JOC-402, 434 on the snapshots after a reset, members UNREACHABLE with 200', async () => {
      sim.setMasterReachable('scheduler', false);
      try {
        const refused = await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token });
        expect(refused.status).toBe(420);
        expect(refused.json.error.code).toBe('JOC-402');
        expect(refused.json.error.message).toMatch(/^JobSchedulerConnectionRefusedException: /);
        const members = await call(sim, 'jobscheduler/cluster/members', { jobschedulerId: 'scheduler' }, { token });
        expect(members.status).toBe(200);
        expect(members.json.masters.map((m: { state: { _text: string } }) => m.state._text)).toEqual(['UNREACHABLE', 'UNREACHABLE']);
        sim.setMasterReachable('scheduler', false, 'reset');
        expect((await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token })).status).toBe(434);
        expect((await call(sim, 'jobs/overview/snapshot', { jobschedulerId: 'scheduler' }, { token })).status).toBe(434);
        const orders = await call(sim, 'orders', { jobschedulerId: 'scheduler' }, { token });
        expect(orders.status).toBe(420);
        expect(orders.json.error.code).toBe('JOC-402');
        expect((await call(sim, 'orders', { jobschedulerId: 'scheduler2' }, { token })).status).toBe(200);
      } finally {
        sim.setMasterReachable('scheduler', true);
      }
      expect((await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token })).status).toBe(200);
    });

    test('403 names the missing permission; deny per user or for everybody, allow lifts it', async () => {
      const alice = await login(sim, 'alice', 'secret');
      sim.deny('jobs', 'alice');
      const denied = await call(sim, 'jobs', { jobschedulerId: 'scheduler' }, { token: alice });
      expect(denied.status).toBe(403);
      expect(denied.json).toEqual({
        user: 'alice', accessToken: alice, isAuthenticated: true, hasRole: false, isPermitted: false, enableTouch: true,
        message: "User alice doesn't have sufficient permissions for sos:products:joc_cockpit:job:view:status",
      });
      expect((await call(sim, 'jobs', { jobschedulerId: 'scheduler' }, { token })).status).toBe(200);
      sim.deny('orders/overview/snapshot');
      expect((await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token })).status).toBe(403);
      // validation still comes first
      expect((await call(sim, 'orders/overview/snapshot', {}, { token })).status).toBe(420);
      sim.allow('orders/overview/snapshot');
      sim.allow('jobs', 'alice');
      expect((await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token })).status).toBe(200);
      expect((await call(sim, 'jobs', { jobschedulerId: 'scheduler' }, { token: alice })).status).toBe(200);
    });

    test('failNext injects raw replies before any check, then normal service resumes', async () => {
      sim.failNext('orders/overview/snapshot', { status: 200, body: { deliveryDate: 'yesterday' } }, 2);
      sim.failNext('jobs', { status: 200, body: '{"broken' });
      for (let i = 0; i < 2; i++) {
        const res = await call(sim, 'orders/overview/snapshot', {}, {});
        expect(res).toMatchObject({ status: 200, json: { deliveryDate: 'yesterday' } });
      }
      expect((await call(sim, 'jobs', {}, {})).text).toBe('{"broken');
      expect((await call(sim, 'orders/overview/snapshot', {}, {})).status).toBe(420);
    });

    test('the request log shows endpoint, status, headers, body and answer', async () => {
      sim.resetStats();
      await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token });
      await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' });
      const [withToken, without] = sim.stats.requests;
      expect(withToken).toMatchObject({ endpoint: 'orders/overview/snapshot', status: 200, body: { jobschedulerId: 'scheduler' } });
      expect(withToken!.headers['x-access-token']).toBe(token);
      expect((withToken!.answer as { orders: object }).orders).toBeDefined();
      expect(without).toMatchObject({ status: 440 });
      expect(without!.headers['x-access-token']).toBeUndefined();
      expect(sim.stats.perEndpoint['orders/overview/snapshot']).toBe(2);
    });
  });
});

describe('lifecycle', () => {
  test('close() is idempotent and closes kept-alive connections', async () => {
    const sim = await startSimulator();
    const token = await login(sim);
    expect((await call(sim, 'jobs', { jobschedulerId: 'scheduler' }, { token })).status).toBe(200);
    await Promise.all([sim.close(), sim.close()]);
    await sim.close();
    await expect(request(`${sim.url}/joc/api/touch`, { method: 'POST' })).rejects.toThrow();
  });

  test('latencyMs delays answers; demo mode changes the inventory', async () => {
    const sim = await startSimulator({ latencyMs: 50, demo: true, tickMs: 10, seed: 4 });
    try {
      const before = JSON.stringify(sim.inventory);
      const started = Date.now();
      await call(sim, 'touch', {});
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      // the demo timer runs on real time: poll (bounded) until a tick has changed something
      for (let i = 0; i < 200 && JSON.stringify(sim.inventory) === before; i++) await new Promise((r) => setTimeout(r, 10));
      expect(JSON.stringify(sim.inventory)).not.toBe(before);
    } finally {
      await sim.close();
    }
  });

  test('a scripted inventory is served as given', async () => {
    const sim = await startSimulator({
      inventory: {
        schedulers: [{
          jobschedulerId: 'tiny',
          masters: [{ host: 'h', port: 1, state: 'PAUSED', clusterType: 'standalone' }],
          jobChains: [{ path: '/c', state: 'ACTIVE', nodes: [{ name: 'a', job: '/j' }] }],
          jobs: [{ path: '/j', state: 'RUNNING', runningTasks: 1, queuedTasks: 0, isOrderJob: true, jobChain: '/c' }],
          orders: [{ jobChain: '/c', orderId: '1', processingState: 'SUSPENDED', type: 'PERMANENT', node: 'a' }],
        }],
      },
    });
    try {
      const token = await login(sim);
      const snap = await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'tiny' }, { token });
      expect(snap.json.orders).toEqual({ pending: 0, running: 0, suspended: 1, setback: 0, waitingForResource: 0, blacklist: 0 });
      sim.inventory.schedulers[0]!.orders[0]!.processingState = 'RUNNING';
      const again = await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'tiny' }, { token });
      expect(again.json.orders.running).toBe(1);
      const members = await call(sim, 'jobscheduler/cluster/members', {}, { token });
      expect(members.json.masters[0]).toMatchObject({ url: 'http://h:1', state: { severity: 1, _text: 'PAUSED' }, clusterType: { _type: 'standalone' } });
    } finally {
      await sim.close();
    }
  });
});
