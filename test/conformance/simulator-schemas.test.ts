/**
 * The simulator against JOC Cockpit 1.13's own JSON schemas (read from ../shared, see
 * test/support/schemas.ts). Skipped, one test per block naming the reason, when that folder is not
 * there; under CI=true that fails instead.
 */
import { startSimulator, type Simulator } from '../../src/simulator';
import { describeWithSchemas, jocValidator, loadSchemaFiles, validateAnswer, validateRequest } from '../support/schemas';
import { basic, call, login, manualClock } from '../simulator/http';
import { INVALID_BODIES as INVALID, VALID_BODIES as VALID } from './request-bodies';


type Json = Record<string, any>;
const SURVEY = '2024-03-01T12:00:00.000Z';

/** The `required` list of the mode (oneOf branch) of an untouched JOC schema that `pick` selects. */
function modeRequired(file: string, pick: (required: string[]) => boolean): string[] {
  const schema = loadSchemaFiles().get(file)!;
  const branches = (schema.oneOf ?? (schema.allOf as Json[]).find((p) => p.oneOf)!.oneOf) as Json[];
  const found = branches.map((b) => b.required as string[]).filter(pick);
  if (found.length !== 1) throw new Error(`ambiguous mode in ${file}`);
  return found[0]!;
}

function missing(object: Json, required: string[]): string[] {
  return required.filter((k) => object[k] === undefined);
}

describeWithSchemas("JOC's answer schemas: the oneOf defect (why answers are validated with oneOf → anyOf)", () => {
  const compactJob = {
    surveyDate: SURVEY, path: '/etl/load', name: 'load', state: { severity: 1, _text: 'PENDING' }, stateText: '',
    ordersSummary: {}, numOfRunningTasks: 0, numOfQueuedTasks: 0, runTimeIsTemporary: false,
  };
  const runningOrder = {
    surveyDate: SURVEY, path: '/etl/chain,1', orderId: '1', jobChain: '/etl/chain', _type: 'PERMANENT', state: '100',
    processingState: { severity: 0, _text: 'RUNNING' }, job: '/etl/load', runTimeIsTemporary: false,
    historyId: '17', startedAt: SURVEY, taskId: '42', inProcessSince: SURVEY,
  };

  test('a real-shaped compact job matches two modes of job_v, so it fails the untouched schema and passes the relaxed one', () => {
    const untouched = jocValidator('job/job_v-schema.json', 'untouched');
    expect(untouched(compactJob)).toBe(false);
    expect(untouched.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ keyword: 'oneOf', params: { passingSchemas: [0, 1] } }),
    ]));
    expect(jocValidator('job/job_v-schema.json', 'relaxed')(compactJob)).toBe(true);
  });

  test('a running order matches two modes of order_v (running, and suspended/blacklist)', () => {
    expect(jocValidator('order/order_v-schema.json', 'untouched')(runningOrder)).toBe(false);
    expect(jocValidator('order/order_v-schema.json', 'relaxed')(runningOrder)).toBe(true);
  });

  test('a compact order fits no mode of order_v; only the compact mode its own allOf declares admits it', () => {
    const compact = Object.fromEntries(Object.entries(runningOrder).filter(([k]) => !['historyId', 'startedAt', 'taskId', 'inProcessSince'].includes(k)));
    expect(jocValidator('order/order_v-schema.json', 'relaxed')(compact)).toBe(false);
    expect(jocValidator('order/order_v-schema.json', 'relaxed-compact')(compact)).toBe(true);
  });

  test('the relaxed schemas still reject wrong answers', () => {
    expect(jocValidator('job/job_v-schema.json', 'relaxed')({ ...compactJob, state: { severity: 1, _text: 'pending' } })).toBe(false);
    expect(jocValidator('order/order_v-schema.json', 'relaxed-compact')({ ...runningOrder, historyId: 17 })).toBe(false);
    expect(validateAnswer('jobs/overview/snapshot', 200, { deliveryDate: SURVEY })).toMatchObject({ valid: false });
    expect(validateAnswer('orders', 420, { deliveryDate: SURVEY, error: { code: 'JOC-420' } })).toMatchObject({ valid: false });
  });
});

describeWithSchemas("requests: the simulator's validation agrees with JOC's request schemas", () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator();
    token = await login(sim);
  });
  afterAll(() => sim.close());

  test.each(VALID.map(([e, b, s]) => [e, JSON.stringify(b), b, s ?? 200] as const))(
    'valid %s %s: JOC schema and simulator accept it', async (endpoint, _text, body, status) => {
      expect(validateRequest(endpoint, body)).toMatchObject({ valid: true });
      const res = await call(sim, endpoint, body, { token });
      expect(res.status).toBe(status);
      if (status === 420) expect(res.json.error.message).not.toMatch(/SOSJsonSchemaException/);
    },
  );

  test.each(INVALID.map(([e, b]) => [e, JSON.stringify(b), b] as const))(
    'invalid %s %s: JOC schema and simulator reject it', async (endpoint, _text, body) => {
      const joc = validateRequest(endpoint, body);
      expect(joc.valid).toBe(false);
      const res = await call(sim, endpoint, body, { token });
      expect(res.status).toBe(420);
      expect(res.json.error.code).toBe('JOC-420');
      expect(res.json.error.message).toMatch(/^com\.sos\.schema\.exception\.SOSJsonSchemaException: \[\$.*: .+\]$/);
    },
  );
});

const ENDPOINT_BODIES: Array<[string, Json]> = [
  ['orders/overview/snapshot', {}],
  ['orders', {}],
  ['jobs/overview/snapshot', {}],
  ['jobs', {}],
  ['job_chains', {}],
  ['jobscheduler/cluster/members', {}],
  ['tasks/history', { dateFrom: '-1h', limit: 5000 }],
  ['orders/history', { dateFrom: '-1h', limit: 5000 }],
  ['jobscheduler/agent_clusters', {}],
  ['plan', { dateFrom: '0d', dateTo: '0d' }],
];

describeWithSchemas("answers validate against JOC's schema for their status", () => {
  const clock = manualClock();
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator({ now: clock.now, sessionTimeoutMs: 60_000, users: { root: 'root', viewer: 'v' } });
    token = await login(sim);
  });
  afterAll(() => sim.close());

  async function checked(endpoint: string, body: unknown, options: Parameters<typeof call>[3], status: number): Promise<Json> {
    const res = await call(sim, endpoint, body, options);
    expect(res.status).toBe(status);
    const compact = (body as Json | undefined)?.compact === true;
    const result = validateAnswer(endpoint, res.status, res.json, { compact });
    expect(result.errors).toEqual([]);
    return res.json as Json;
  }

  function checkModes(endpoint: string, answer: Json, compact: boolean): void {
    if (endpoint === 'jobs') {
      const mode = modeRequired('job/job_v-schema.json', (r) => r.includes('numOfRunningTasks') && r.includes('allTasks') === !compact);
      for (const job of answer.jobs as Json[]) expect(missing(job, mode)).toEqual([]);
    }
    if (endpoint === 'job_chains') {
      const mode = modeRequired('jobChain/jobChain_v-schema.json', (r) => r.includes('nodes') === !compact);
      for (const chain of answer.jobChains as Json[]) expect(missing(chain, mode)).toEqual([]);
    }
    if (endpoint === 'jobscheduler/cluster/members') {
      const reachable = modeRequired('jobscheduler/jobscheduler_v-schema.json', (r) => r.includes('startedAt'));
      for (const m of answer.masters as Json[]) if (m.state._text !== 'UNREACHABLE') expect(missing(m, reachable)).toEqual([]);
    }
  }

  test.each([1, 2, 3])('every data endpoint, compact and not, on a generated inventory (seed %i) and after demo ticks', async (seed) => {
    const other = await startSimulator({ seed });
    try {
      const t = await login(other);
      for (let round = 0; round < 3; round++) {
        for (const [endpoint, extra] of ENDPOINT_BODIES) {
          for (const id of other.inventory.schedulers.map((s) => s.jobschedulerId)) {
            for (const compact of [true, false]) {
              const body = { jobschedulerId: id, compact, ...extra };
              const res = await call(other, endpoint, body, { token: t });
              expect(res.status).toBe(200);
              expect(validateAnswer(endpoint, 200, res.json, { compact }).errors).toEqual([]);
              checkModes(endpoint, res.json, compact);
            }
          }
        }
        for (let i = 0; i < 10; i++) other.tick();
      }
      const ids = await call(other, 'jobscheduler/ids', {}, { token: t });
      expect(validateAnswer('jobscheduler/ids', 200, ids.json).errors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('login 200 and 401, touch 200, logout 200', async () => {
    await checked('security/login', {}, { headers: { Authorization: basic('root', 'root') } }, 200);
    await checked('security/login', {}, { headers: { Authorization: basic('root', 'bad') } }, 401);
    await checked('touch', {}, { token }, 200);
    const t = await login(sim);
    await checked('security/logout', {}, { token: t }, 200);
    await checked('security/logout', {}, { token: 'never-issued' }, 200);
  });

  test('420 shapes: schema, invalid JSON, JOC-406, JOC-404, JOC-402, bad base64, logout without token, bad regex', async () => {
    await checked('orders', { compact: 1 }, { token }, 420);
    await checked('jobs', undefined, { token, raw: '{' }, 420);
    await checked('jobs/overview/snapshot', {}, { token }, 420);
    await checked('job_chains', { jobschedulerId: 'unknown' }, { token }, 420);
    await checked('orders', { jobschedulerId: 'scheduler', regex: '(' }, { token }, 420);
    await checked('security/login', {}, { headers: { Authorization: 'Basic %%%' } }, 420);
    await checked('security/logout', {}, {}, 420);
    sim.setMasterReachable('scheduler', false);
    try {
      await checked('orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token }, 420);
      await checked('jobs', { jobschedulerId: 'scheduler' }, { token }, 420);
      const members = await checked('jobscheduler/cluster/members', {}, { token }, 200);
      expect(members.masters.some((m: Json) => m.state._text === 'UNREACHABLE')).toBe(true);
      sim.setMasterReachable('scheduler', false, 'reset');
      await checked('orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token }, 434);
      await checked('jobs/overview/snapshot', { jobschedulerId: 'scheduler' }, { token }, 434);
    } finally {
      sim.setMasterReachable('scheduler', true);
    }
  });

  test('403, and the 401 / 440 / 420 expiry shapes', async () => {
    const viewer = await login(sim, 'viewer', 'v');
    sim.deny('job_chains', 'viewer');
    await checked('job_chains', { jobschedulerId: 'scheduler' }, { token: viewer }, 403);
    await checked('orders', { jobschedulerId: 'scheduler' }, { token: 'never-issued' }, 440);
    for (const [shape, status] of [['401', 401], ['440', 440], ['420', 420]] as const) {
      const t = await login(sim);
      sim.expireSessions(shape);
      await checked('orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token: t }, status);
    }
    const t = await login(sim);
    clock.advance(60_001);
    await checked('touch', {}, { token: t }, 440);
    await checked('touch', {}, { token: 'never-issued' }, 401);
    await checked('jobs', { jobschedulerId: 'scheduler' }, { token: t }, 401);
  });

  test('every JSON answer in the request log so far has a JOC schema and validates', () => {
    const entries = sim.stats.requests.filter((e) => ![404, 405, 415, 500].includes(e.status));
    expect(entries.length).toBeGreaterThan(20);
    for (const e of entries) {
      const compact = (e.body as Json | undefined)?.compact === true;
      const result = validateAnswer(e.endpoint, e.status, e.answer, { compact });
      expect({ endpoint: e.endpoint, status: e.status, errors: result.errors }).toEqual({ endpoint: e.endpoint, status: e.status, errors: [] });
    }
  });
});
