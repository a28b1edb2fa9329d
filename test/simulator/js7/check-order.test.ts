import type { Js7Simulator } from '../../../src/simulator/js7';
import { call, js7Login, manualClock, post, startFast } from './http';

describe("JS7's order of checks and lenient validation (JS7-NOTES §0.1)", () => {
  const clock = manualClock();
  let sim: Js7Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startFast({ now: clock.now, sessionTimeoutMs: 60_000 });
    token = await js7Login(sim);
  });
  afterAll(() => sim.close());
  const raw = (endpoint: string, text: string, t: string | undefined = token) => call(sim, endpoint, undefined, { token: t, raw: text });

  test('the session comes before the body: a bad body with a gone token is 440', async () => {
    expect((await raw('orders/overview/snapshot', '{not json', 'gone')).status).toBe(440);
    expect((await raw('orders/overview/snapshot', '{}', 'gone')).status).toBe(440);
    expect((await raw('agents', '[]', '')).status).toBe(440);
  });

  test('with a valid session: unparsable JSON, an empty body and a non-object body are 420 JOC-420', async () => {
    for (const [text, pattern] of [
      ['{not json', /^com\.fasterxml\.jackson\.core\.JsonParseException: /],
      ['', /No content to map due to end-of-input/],
      ['[1]', /^com\.fasterxml\.jackson\.databind\.exc\.MismatchedInputException: /],
    ] as const) {
      const res = await raw('orders/overview/snapshot', text);
      expect(res.status).toBe(420);
      expect(res.json.error.code).toBe('JOC-420');
      expect(res.json.error.message).toMatch(pattern);
    }
  });

  test('a missing required field, a wrong enum value and a pattern or length violation are 420 SOSJsonSchemaException', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['orders/overview/snapshot', {}, '$.controllerId: is missing but it is required'],
      ['orders', { controllerId: 'controller', states: ['RUNNING', 'DONE'] }, '$.states[1]: does not have a value in the enumeration'],
      ['agents', { controllerId: 'a/b' }, '$.controllerId: does not match the regex pattern'],
      ['agents', { controllerId: '' }, '$.controllerId: must be at least 1 characters long'],
      ['workflows', { controllerId: 'x'.repeat(101) }, '$.controllerId: may only be 100 characters long'],
      ['tasks/history', { dateFrom: 'yesterday' }, '$.dateFrom: does not match the regex pattern'],
      ['daily_plan/orders/summary', { controllerIds: ['controller'] }, '$.dailyPlanDateFrom: is missing but it is required'],
      ['workflows/order_count', { controllerId: 'controller' }, '$.workflowIds: is missing but it is required'],
    ];
    for (const [endpoint, body, message] of cases) {
      const res = await post(sim, endpoint, body, token);
      expect([endpoint, res.status, res.json.error.code]).toEqual([endpoint, 420, 'JOC-420']);
      expect(res.json.error.message).toContain(`com.sos.schema.exception.SOSJsonSchemaException: ${message}`);
    }
  });

  test('lenient: unknown fields are ignored, types are loose, inherited fields are not checked', async () => {
    const extra = await post(sim, 'orders/overview/snapshot', { controllerId: 'controller', dateFrom: '-1d', somethingNew: { a: [1] } }, token);
    expect(extra.status).toBe(200);
    const loose = await post(sim, 'orders', { controllerId: 'controller', compact: 'true', limit: '3' }, token);
    expect(loose.status).toBe(200);
    expect(loose.json.orders).toHaveLength(3);
    expect(loose.json.orders[0]).not.toHaveProperty('arguments');
    // ordersFilterV inherits controllerId's pattern through `extends`, which JOC does not check: the id is just unknown.
    const inherited = await post(sim, 'orders', { controllerId: 'a/b' }, token);
    expect(inherited.status).toBe(420);
    expect(inherited.json.error.code).toBe('JOC-404');
  });

  test('the permission comes after the body; then the controllerId (JOC-406 empty, JOC-404 unknown)', async () => {
    sim.deny('orders/overview/snapshot');
    try {
      expect((await post(sim, 'orders/overview/snapshot', {}, token)).status).toBe(420);
      const denied = await post(sim, 'orders/overview/snapshot', { controllerId: 'controller' }, token);
      expect(denied.status).toBe(403);
      expect(denied.json).toMatchObject({ account: 'root', isAuthenticated: true, isPermitted: false });
      expect(denied.json.message).toContain('sos:products:controller:orders:view');
    } finally {
      sim.allow('orders/overview/snapshot');
    }
    const empty = await post(sim, 'orders/overview/snapshot', { controllerId: '' }, token);
    expect([empty.status, empty.json.error.code]).toEqual([420, 'JOC-406']);
    const unknown = await post(sim, 'workflows', { controllerId: 'nope' }, token);
    expect([unknown.status, unknown.json.error.code]).toEqual([420, 'JOC-404']);
  });

  test('a denial can name one account', async () => {
    sim.deny('agents', 'other');
    try {
      expect((await post(sim, 'agents', { controllerId: 'controller' }, token)).status).toBe(200);
    } finally {
      sim.allow('agents', 'other');
    }
  });

  test('each denial names the permission JOC 2.8 checks; the endpoints that check none cannot be denied', async () => {
    const cases: Array<[Parameters<Js7Simulator['deny']>[0], Record<string, unknown>, string]> = [
      ['tasks/history', { controllerId: 'controller' }, 'sos:products:controller:orders:view'],
      ['orders/history', { controllerId: 'controller' }, 'sos:products:controller:orders:view'],
      ['daily_plan/orders/summary', { controllerIds: ['controller'], dailyPlanDateFrom: '2026-12-03', dailyPlanDateTo: '2026-12-03' }, 'sos:products:controller:orders:view'],
      ['workflows/overview/snapshot', { controllerId: 'controller' }, 'sos:products:controller:workflows:view'],
      ['controller/components', { controllerId: 'controller' }, 'sos:products:controller:view'],
      ['agents', { controllerId: 'controller' }, 'sos:products:controller:agents:view'],
    ];
    for (const [endpoint, body, permission] of cases) {
      sim.deny(endpoint);
      try {
        const denied = await post(sim, endpoint, body, token);
        expect([endpoint, denied.status]).toEqual([endpoint, 403]);
        expect(denied.json.message).toContain(permission);
      } finally {
        sim.allow(endpoint);
      }
    }
    for (const endpoint of ['jocs', 'joc/version', 'joc/versions', 'joc/is_active']) {
      expect(() => sim.deny(endpoint as never)).toThrow(`JOC Cockpit checks no permission for ${endpoint}`);
    }
    expect((await post(sim, 'jocs', {}, token)).status).toBe(200);
  });

  test('an explicit non-JSON content type is 415; a missing one is accepted', async () => {
    const text = await call(sim, 'controller/ids', {}, { token, contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.headers['content-type']).toMatch(/text\/html/);
    expect((await call(sim, 'controller/ids', {}, { token, contentType: null })).status).toBe(200);
  });

  test('endpoints without a body schema ignore the body; unknown paths are 404, GET on a POST resource 405', async () => {
    expect((await raw('controller/ids', '')).status).toBe(200);
    expect((await raw('controller/ids', 'not json')).status).toBe(200);
    const missing = await post(sim, 'jobs/overview/snapshot', { controllerId: 'controller' }, token);
    expect(missing.status).toBe(404);
    expect((await call(sim, 'orders', {}, { token, method: 'GET' })).status).toBe(405);
  });

  test('420 answers carry the reason phrase "Invalid Request"', async () => {
    const { request } = await import('undici');
    const res = await request(`${sim.url}/joc/api/orders`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Access-Token': token }, body: '{}',
    });
    await res.body.text();
    expect([res.statusCode, res.statusText]).toEqual([420, 'Invalid Request']);
  });
});

describe('bodies of the wrong structure', () => {
  let sim: Js7Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startFast();
    token = await js7Login(sim);
  });
  afterAll(() => sim.close());

  test('a list field that is no list (or a list of objects that holds other things) cannot be mapped: 420', async () => {
    for (const body of [{ controllerId: 'controller', workflowIds: '/a' }, { controllerId: 'controller', folders: ['/a'] }, { controllerId: 'controller', states: 'FAILED' }]) {
      const res = await post(sim, 'orders', body, token);
      expect([res.status, res.json.error.code]).toEqual([420, 'JOC-420']);
      expect(res.json.error.message).toMatch(/^com\.fasterxml\.jackson\.databind\.exc\.MismatchedInputException: /);
    }
  });

  test('odd values in every field of every endpoint: always a JOC answer (200 or 420), never a crash', async () => {
    const fields = ['controllerId', 'controllerIds', 'workflowIds', 'folders', 'orderIds', 'states', 'compact', 'limit', 'dateFrom', 'dateTo',
      'completedDateFrom', 'agentIds', 'taskIds', 'historyIds', 'historyStates', 'dailyPlanDateFrom', 'dailyPlanDateTo', 'url', 'onlyApiServer', 'jobs', 'orders'];
    const odd: unknown[] = [null, 7, -1, 'x', '', true, {}, [], [null], [1], ['x'], [{}], [{ path: 3, folder: 4, workflowPath: 5, historyId: 'a', position: 1 }]];
    const statuses = new Set<number>();
    for (const endpoint of ['orders/overview/snapshot', 'orders', 'workflows', 'workflows/order_count', 'agents', 'controller', 'controller/components', 'controllers',
      'tasks/history', 'orders/history', 'orders/overview/summary', 'jobs/overview/summary', 'daily_plan/orders/summary', 'jocs', 'joc/versions']) {
      for (const field of fields) {
        for (const value of odd) {
          const res = await post(sim, endpoint, { controllerId: 'controller', dailyPlanDateFrom: '2026-03-02', workflowIds: [{ path: '/a' }], [field]: value }, token);
          statuses.add(res.status);
          if (res.status !== 200 && res.status !== 420) throw new Error(`${endpoint} ${field}=${JSON.stringify(value)}: ${res.status} ${res.text.slice(0, 200)}`);
        }
      }
    }
    expect([...statuses].sort()).toEqual([200, 420]);
  }, 60_000);
});
