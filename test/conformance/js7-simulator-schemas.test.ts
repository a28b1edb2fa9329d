/**
 * The JS7 simulator against JOC Cockpit 2.x's own JSON schemas (read from ../shared, see
 * test/support/js7-schemas.ts): every answer of every endpoint, in every simulated version and
 * after the demo has moved the model, every error body, and the request bodies of the exporter's
 * call plan. Skipped, with a note, when that folder is not there (a failure under CI=true).
 */
import { request } from 'undici';
import { FAULT_KINDS, type Fault } from '../../src/simulator';
import { JS7_ENDPOINTS, type Js7Simulator } from '../../src/simulator/js7';
import {
  describeWithJs7Schemas, js7AnswerSchemaFor, js7RequestSchemaFor, js7Validator, loadJs7SchemaFiles, validateJs7Answer, validateJs7Request,
  validateJs7RequestLog,
} from '../support/js7-schemas';
import { basic, call, js7Login, startFast } from '../simulator/js7/http';
import { CALL_PLAN, JS7_INVALID_BODIES, JS7_VALID_BODIES } from './js7-request-bodies';

const describeJs7 = describeWithJs7Schemas('test/conformance/js7-simulator-schemas.test.ts');
type Json = Record<string, any>;

/** Every logged exchange of `sim` against the request and answer schemas; returns how many were checked. */
function checkLog(sim: Js7Simulator, options: { strictRequests?: boolean } = {}): number {
  let checked = 0;
  for (const entry of sim.stats.requests) {
    if (entry.status === 0 || entry.fault) continue;
    const isJson = typeof entry.answer === 'object' && entry.answer !== null && !('omitted' in (entry.answer as Json));
    if (entry.status !== 404 && entry.status !== 405 && entry.status !== 415 && entry.status !== 500 && isJson) {
      const answer = validateJs7Answer(entry.endpoint, entry.status, entry.answer);
      expect({ endpoint: entry.endpoint, status: entry.status, errors: answer.errors }).toEqual({ endpoint: entry.endpoint, status: entry.status, errors: [] });
      checked++;
    }
    if (entry.status === 200 && options.strictRequests) {
      const req = validateJs7Request(entry.endpoint, entry.body ?? {}, { strict: true });
      expect({ endpoint: entry.endpoint, errors: req.errors }).toEqual({ endpoint: entry.endpoint, errors: [] });
    }
  }
  return checked;
}

describeJs7("JOC's JS7 schemas: the defects mended in memory, and that validation still bites", () => {
  test('controller/masters declares a property with `type: {$ref}`, which no JSON schema allows', () => {
    const raw = loadJs7SchemaFiles().get('api/schemas/controller/masters-schema.json')!;
    expect((raw.properties as Json).currentSecurityLevel.type).toEqual({ $ref: expect.any(String) });
  });

  test('joc/versionResponse requires `version`, which it does not declare; the answer JOC sends has `jocVersion`', () => {
    const raw = loadJs7SchemaFiles().get('api/schemas/joc/versionResponse-schema.json')!;
    expect(raw.required).toEqual(['version']);
    expect(Object.keys(raw.properties as Json)).not.toContain('version');
    expect(validateJs7Answer('joc/versions', 200, { jocVersion: '2.8.4', controllerVersions: [] }).valid).toBe(true);
  });

  test('`extends` carries fields: without merging it, additionalProperties:false would reject every real Agent', () => {
    const agent = { agentId: 'a', agentName: 'a', url: 'http://a:4445', state: { severity: 0, _text: 'COUPLED' } };
    const raw = loadJs7SchemaFiles().get('api/schemas/agent/agent_v-schema.json')!;
    expect(Object.keys(raw.properties as Json)).toEqual(['subagents']);
    expect(raw.additionalProperties).toBe(false);
    expect(js7Validator('agent/agent_v-schema.json', 'answer')(agent)).toBe(true);
    expect(js7Validator('agent/agent_v-schema.json', 'answer')({ ...agent, colour: 'red' })).toBe(false);
    expect(js7Validator('agent/agent_v-schema.json', 'answer')({ ...agent, state: { severity: 0, _text: 'coupled' } })).toBe(false);
    expect(js7Validator('agent/agent_v-schema.json', 'answer')({ agentId: 'a' })).toBe(false);
  });

  test('answers that are wrong fail: a missing bucket type, an unknown order state, a string taskId, an error body without code', () => {
    expect(validateJs7Answer('orders/overview/snapshot', 200, { deliveryDate: '2026-03-02T12:00:00.000Z', surveyDate: '2026-03-02T12:00:00.000Z', orders: { pending: '1' } }).valid).toBe(false);
    expect(validateJs7Answer('orders', 200, { deliveryDate: '2026-03-02T12:00:00.000Z', orders: [{ orderId: 'x', workflowId: { path: '/a' }, state: { severity: 0, _text: 'DONE' } }] }).valid).toBe(false);
    const task = { surveyDate: '2026-03-02T12:00:00.000Z', workflow: '/a', job: 'j', startTime: '2026-03-02T12:00:00.000Z', position: '0', sequence: 1, retryCounter: 0, state: { severity: 0, _text: 'SUCCESSFUL' }, criticality: 'NORMAL', agentUrl: 'x' };
    expect(validateJs7Answer('tasks/history', 200, { deliveryDate: '2026-03-02T12:00:00.000Z', history: [{ ...task, taskId: 1 }] }).valid).toBe(true);
    expect(validateJs7Answer('tasks/history', 200, { deliveryDate: '2026-03-02T12:00:00.000Z', history: [{ ...task, taskId: '1' }] }).valid).toBe(false);
    expect(validateJs7Answer('orders', 420, { deliveryDate: '2026-03-02T12:00:00.000Z', error: { message: 'x' } }).valid).toBe(false);
  });

  test('JOC reads requests leniently (unknown and inherited fields pass); strict mode catches them', () => {
    expect(validateJs7Request('orders/overview/snapshot', { controllerId: 'c', dateFrom: '-1d' }).valid).toBe(true);
    expect(validateJs7Request('orders/overview/snapshot', { controllerId: 'c', dateFrom: '-1d' }, { strict: true }).valid).toBe(false);
    expect(validateJs7Request('orders/overview/snapshot', { controllerId: 'c', workflowIds: [{ path: '/a' }] }, { strict: true }).valid).toBe(true);
    expect(validateJs7Request('orders/overview/snapshot', { controllerId: 'a/b' }).valid).toBe(true);
    expect(validateJs7Request('orders/overview/snapshot', { controllerId: 'a/b' }, { strict: true }).valid).toBe(false);
  });

  test('validateJs7RequestLog names each request that does not match, and requests to unknown paths', () => {
    const problems = validateJs7RequestLog([
      { endpoint: 'orders', body: { controllerId: 'c' } },
      { endpoint: 'orders', body: { controllerId: 'c', dateFrom: '-1h' } },
      { endpoint: 'agents', body: {} },
      { endpoint: 'authentication/login', body: undefined },
      { endpoint: 'jobs', body: {} },
    ], { strict: true });
    expect(problems.map((p) => p.endpoint)).toEqual(['orders', 'agents', 'jobs']);
    expect(problems[0]!.schema).toBe('order/ordersFilterV-schema.json');
  });

  test('every endpoint of the simulator has a request and an answer schema mapping', () => {
    for (const endpoint of JS7_ENDPOINTS) {
      expect(() => js7RequestSchemaFor(endpoint)).not.toThrow();
      expect(() => js7AnswerSchemaFor(endpoint, 200)).not.toThrow();
    }
  });
});

describeJs7('requests: the call plan bodies and the simulator\'s validation against JOC\'s request schemas', () => {
  let sim: Js7Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startFast();
    token = await js7Login(sim);
  });
  afterAll(() => sim.close());

  test.each(CALL_PLAN)('call plan %s: valid as JOC reads it and in strict mode', (endpoint, body) => {
    expect(validateJs7Request(endpoint, body)).toMatchObject({ valid: true });
    expect(validateJs7Request(endpoint, body, { strict: true })).toMatchObject({ errors: [] });
  });

  test.each(JS7_VALID_BODIES)('valid %s %j: JOC\'s schema and the simulator accept it', async (endpoint, body, status = 200) => {
    expect(validateJs7Request(endpoint, body).errors).toEqual([]);
    const res = await call(sim, endpoint, body, { token });
    expect([res.status, res.json?.error?.code === 'JOC-420']).toEqual([status, false]);
  });

  test.each(JS7_INVALID_BODIES)('invalid %s %j: JOC\'s schema and the simulator reject it', async (endpoint, body) => {
    expect(validateJs7Request(endpoint, body).valid).toBe(false);
    const res = await call(sim, endpoint, body, { token });
    expect([res.status, res.json?.error?.code]).toEqual([420, 'JOC-420']);
    expect(res.json.error.message).toMatch(/^com\.sos\.schema\.exception\.SOSJsonSchemaException: \$/);
  });
});

describeJs7('answers: every endpoint of every version against JOC\'s answer schemas', () => {
  const sims: Js7Simulator[] = [];
  afterAll(() => Promise.all(sims.map((s) => s.close())));

  test.each(['2.5', '2.7', '2.8'])('JOC %s: the call plan, variants, and after demo ticks; the request log holds endpoint and body', async (version) => {
    const sim = await startFast({ version, size: { workflowsPerController: 30, ordersPerController: 400 } });
    sims.push(sim);
    const token = await js7Login(sim);
    const today = new Date().toISOString().slice(0, 10);
    const variants: Array<[string, Json]> = [
      ...CALL_PLAN,
      ...['controller', 'controller-ha'].flatMap((controllerId): Array<[string, Json]> => [
        ['controller/components', { controllerId }],
        ['orders', { controllerId, compact: false }],
        ['orders', { controllerId, compact: true, limit: -1 }],
        ['workflows', { controllerId, compact: false }],
        ['workflows', { controllerId, compact: true }],
        ['agents', { controllerId, compact: true }],
        ['agents', { controllerId, compact: false }],
        ['controller', { controllerId }],
        ['workflows/order_count', { controllerId, workflowIds: [...new Set(sim.inventory.controllers.find((c) => c.controllerId === controllerId)!.workflows.map((w) => w.path))].slice(0, 5).map((path) => ({ path })) }],
      ]),
      ['controllers', {}],
      ['tasks/history', { limit: -1 }],
      ['orders/history', { limit: -1 }],
      ['daily_plan/orders/summary', { dailyPlanDateFrom: today }],
      ['jocs', { onlyNonApiServer: true }],
      ['joc/is_active', {}],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [endpoint, body] of variants) await call(sim, endpoint, body, { token });
      for (let i = 0; i < 20; i++) sim.tick();
    }
    const res = await request(`${sim.url}/joc/version.json`);
    const file = await res.body.json();
    expect(validateJs7Answer('version.json', 200, file).errors).toEqual([]);
    const logged = sim.stats.requests.filter((r) => r.endpoint !== 'authentication/login');
    expect(logged.length).toBe(variants.length * 3 + 1);
    expect(logged[0]).toMatchObject({ endpoint: CALL_PLAN[0]![0], body: CALL_PLAN[0]![1] });
    const answered = logged.filter((r) => r.status === 200).map((r) => r.endpoint);
    for (const endpoint of JS7_ENDPOINTS) {
      if (['authentication/login', 'authentication/logout', 'touch', 'version.json'].includes(endpoint) || !sim.serves(endpoint)) continue;
      expect([endpoint, answered.includes(endpoint)]).toEqual([endpoint, true]);
    }
    expect(logged.filter((r) => r.status === 404).map((r) => r.endpoint).every((e) => !sim.serves(e as never))).toBe(true);
    expect(checkLog(sim, { strictRequests: true })).toBeGreaterThan(variants.length * 2);
    expect(validateJs7RequestLog(sim.stats.requests, { strict: true })).toEqual([]);
  });

  test('session, logout, touch and every error body without a fault: 200, 401, 403, 420, 434, 440', async () => {
    const sim = await startFast({ users: { root: 'root', viewer: 'viewer' } });
    sims.push(sim);
    await call(sim, 'authentication/login', {}, { headers: { Authorization: basic('root', 'wrong') } });
    await call(sim, 'authentication/login', {}, { headers: { Authorization: 'Bearer nope' } });
    const token = await js7Login(sim);
    const viewer = await js7Login(sim, 'viewer', 'viewer');
    sim.deny('agents', 'viewer');
    await call(sim, 'agents', { controllerId: 'controller' }, { token: viewer });
    await call(sim, 'touch', {}, { token });
    await call(sim, 'orders', {}, { token });
    await call(sim, 'orders', { controllerId: '' }, { token });
    await call(sim, 'orders', { controllerId: 'nope' }, { token });
    await call(sim, 'orders', undefined, { token, raw: '{broken' });
    sim.setControllerReachable('controller-ha', false, 'reset');
    await call(sim, 'orders/overview/snapshot', { controllerId: 'controller-ha' }, { token });
    await call(sim, 'orders', { controllerId: 'controller-ha' }, { token });
    await call(sim, 'controller/components', { controllerId: 'controller-ha' }, { token });
    await call(sim, 'workflows', { controllerId: 'controller-ha' }, { token });
    sim.setControllerReachable('controller-ha', true);
    await call(sim, 'authentication/logout', {});
    await call(sim, 'authentication/logout', {}, { token: viewer });
    await call(sim, 'orders', { controllerId: 'controller' }, { token: 'unknown' });
    sim.expireSessions('401');
    await call(sim, 'orders', { controllerId: 'controller' }, { token });
    const again = await js7Login(sim);
    sim.expireSessions('420');
    await call(sim, 'orders', { controllerId: 'controller' }, { token: again });
    const statuses = new Set(sim.stats.requests.map((r) => r.status));
    expect([...statuses].sort()).toEqual([200, 401, 403, 420, 434, 440]);
    expect(checkLog(sim)).toBe(sim.stats.requests.length);
  });

  test('the fault bodies that are JSON (434, JOC-402, JOC-411, delay, oversize) validate too', async () => {
    const sim = await startFast();
    sims.push(sim);
    const token = await js7Login(sim);
    const json: Fault[] = [{ kind: 'status434' }, { kind: 'masterUnreachable' }, { kind: 'databaseUnreachable' }, { kind: 'delay', ms: 1 }];
    expect(json.every((f) => (FAULT_KINDS as readonly string[]).includes(f.kind))).toBe(true);
    for (const fault of json) {
      sim.setFault('orders/overview/snapshot', fault);
      const res = await call(sim, 'orders/overview/snapshot', { controllerId: 'controller' }, { token });
      expect(validateJs7Answer('orders/overview/snapshot', res.status, res.json).errors).toEqual([]);
    }
    sim.setFault('agents', { kind: 'oversize', bytes: 50_000 });
    const big = await call(sim, 'agents', { controllerId: 'controller' }, { token });
    const { padding, ...rest } = big.json;
    expect(typeof padding).toBe('string');
    expect(validateJs7Answer('agents', 200, rest).errors).toEqual([]);
  });
});
