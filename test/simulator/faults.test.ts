/**
 * Persistent faults (`setFault`) and refused connections (`refuseConnections`) over real HTTP:
 * what a client sees for each fault, which fault applies where, and that the simulator keeps its
 * sessions through them. The 420/434 bodies are also checked against JOC's own error schema
 * when ../shared is there (see test/support/schemas.ts).
 */
import http from 'node:http';
import { Agent, request } from 'undici';
import { FAULT_KINDS, startSimulator, type Endpoint, type Fault, type Simulator } from '../../src/simulator';
import { describeWithSchemas, jocSchemasAvailable, jocValidator, validateAnswer } from '../support/schemas';
import { basic, call, login } from './http';

// The fault answers below are checked against JOC's schemas when these are there; when not, this
// block says so (one skipped test, or a failing one under CI=true).
describeWithSchemas("JOC's schemas for the fault answers", () => {
  test('are there, so every fault answer below is checked against its schema', () => {
    expect(typeof jocValidator('common/error420-schema.json', 'relaxed-compact')).toBe('function');
  });
});

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const JOBS = { jobschedulerId: 'scheduler' };

/** What node:http received: the head (if any), every body byte, and the error that ended it (if any). */
interface RawAnswer {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  body: Buffer;
  error?: NodeJS.ErrnoException;
}

/** POSTs with node:http and never rejects, so that cut-off answers and resets can be inspected. */
function rawPost(sim: Simulator, endpoint: string, body: unknown, token?: string): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const answer: RawAnswer = { body: Buffer.alloc(0) };
    const done = (error?: NodeJS.ErrnoException): void => {
      answer.body = Buffer.concat(chunks);
      if (error) answer.error = error;
      resolve(answer);
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (token) headers['X-Access-Token'] = token;
    const req = http.request(`${sim.url}/joc/api/${endpoint}`, { method: 'POST', headers, agent: false }, (res) => {
      answer.status = res.statusCode;
      answer.headers = res.headers;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done());
      res.on('error', done);
    });
    req.on('error', done);
    req.end(JSON.stringify(body));
  });
}

function checkJocSchema(endpoint: string, status: number, body: unknown): void {
  if (!jocSchemasAvailable) return;
  const result = validateAnswer(endpoint, status, body);
  expect(result.errors).toEqual([]);
}

describe('persistent faults', () => {
  let sim: Simulator;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator();
    token = await login(sim);
  });
  afterAll(() => sim.close());
  afterEach(() => sim.clearFaults());

  test('FAULT_KINDS names each kind once', () => {
    expect([...FAULT_KINDS].sort()).toEqual([
      'databaseUnreachable', 'delay', 'html500', 'malformedJson', 'masterUnreachable', 'oversize', 'reset', 'status434', 'truncated',
    ]);
  });

  test('html500: the servlet container\'s HTML error page', async () => {
    sim.setFault('jobs', { kind: 'html500' });
    const res = await call(sim, 'jobs', JOBS, { token });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.text).toMatch(/^<html>.*<h2>HTTP ERROR 500<\/h2>/);
    expect(res.json).toBeUndefined();
  });

  test('malformedJson: 200 application/json that JSON.parse refuses', async () => {
    sim.setFault('jobs', { kind: 'malformedJson' });
    const res = await call(sim, 'jobs', JOBS, { token });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  test.each([
    ['status434', 434, 'JOC-402', 'JobSchedulerConnectionResetException: Connection reset: http://scheduler-primary.example.com:4444'],
    ['masterUnreachable', 420, 'JOC-402', 'JobSchedulerConnectionRefusedException: Connection refused: http://scheduler-primary.example.com:4444'],
    ['databaseUnreachable', 420, 'JOC-409', 'DBConnectionRefusedException: Unable to acquire JDBC Connection: 0 Communications link failure'],
  ] as const)('%s: %i with JOC\'s Err420 body, code %s', async (kind, status, code, message) => {
    sim.setFault('orders/overview/snapshot', { kind });
    const res = await call(sim, 'orders/overview/snapshot', JOBS, { token });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json).toEqual({ deliveryDate: expect.stringMatching(ISO_MS), surveyDate: expect.stringMatching(ISO_MS), error: { code, message } });
    checkJocSchema('orders/overview/snapshot', status, res.json);
  });

  test('the Master named in JOC-402 is the one of the request\'s jobschedulerId', async () => {
    sim.setFault('jobs', { kind: 'masterUnreachable' });
    const res = await call(sim, 'jobs', { jobschedulerId: 'scheduler2' }, { token });
    expect(res.json.error.message).toBe('JobSchedulerConnectionRefusedException: Connection refused: http://scheduler2.example.com:4444');
  });

  test('truncated: 200 with the full Content-Length, fewer bytes, then the connection closes', async () => {
    sim.setFault('jobs', { kind: 'truncated' });
    const res = await rawPost(sim, 'jobs', JOBS, token);
    expect(res.status).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/json');
    const length = Number(res.headers?.['content-length']);
    expect(res.body.length).toBeGreaterThan(0);
    expect(res.body.length).toBeLessThan(length);
    expect(res.error).toBeDefined();
    await expect(call(sim, 'jobs', JOBS, { token })).rejects.toThrow();
  });

  test('reset: no answer, the client sees ECONNRESET', async () => {
    sim.setFault('jobs', { kind: 'reset' });
    const res = await rawPost(sim, 'jobs', JOBS, token);
    expect(res.status).toBeUndefined();
    expect(res.error?.code).toBe('ECONNRESET');
    await expect(call(sim, 'jobs', JOBS, { token })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
  });

  test('oversize: valid JSON of at least the given size, the normal answer plus padding', async () => {
    const bytes = 3 * 1024 * 1024 + 17;
    sim.setFault('jobs', { kind: 'oversize', bytes });
    sim.resetStats();
    const res = await rawPost(sim, 'jobs', JOBS, token);
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/json');
    expect(Number(res.headers?.['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeGreaterThanOrEqual(bytes);
    const json = JSON.parse(res.body.toString('utf8'));
    expect(Array.isArray(json.jobs)).toBe(true);
    expect(json.deliveryDate).toMatch(ISO_MS);
    expect(typeof json.padding).toBe('string');
    // Without a session there is no normal answer: still 200, with just the dates and the padding.
    const anonymous = JSON.parse((await rawPost(sim, 'jobs', JOBS)).body.toString('utf8'));
    expect(Object.keys(anonymous).sort()).toEqual(['deliveryDate', 'padding', 'surveyDate']);
    const logged = sim.stats.requests.map((e) => JSON.stringify(e.answer).length);
    expect(Math.max(...logged)).toBeLessThan(200);
  });

  test('delay: the normal answer, late', async () => {
    sim.setFault('jobs', { kind: 'delay', ms: 250 });
    const started = Date.now();
    const res = await call(sim, 'jobs', JOBS, { token });
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.json.jobs)).toBe(true);
  });

  test('a fault for one endpoint wins over \'*\'; null clears one, clearFaults all', async () => {
    sim.setFault('*', { kind: 'html500' });
    sim.setFault('jobs', { kind: 'databaseUnreachable' });
    expect((await call(sim, 'jobs', JOBS, { token })).json.error.code).toBe('JOC-409');
    expect((await call(sim, 'job_chains', JOBS, { token })).status).toBe(500);
    expect((await call(sim, 'touch', {}, { token })).status).toBe(500);
    sim.setFault('jobs', null);
    expect((await call(sim, 'jobs', JOBS, { token })).status).toBe(500);
    sim.setFault('jobs', { kind: 'status434' });
    sim.setFault('*', null);
    expect((await call(sim, 'jobs', JOBS, { token })).status).toBe(434);
    expect((await call(sim, 'job_chains', JOBS, { token })).status).toBe(200);
    sim.clearFaults();
    expect((await call(sim, 'jobs', JOBS, { token })).status).toBe(200);
  });

  test('faults persist; failNext comes first; routing and the method check come before a fault', async () => {
    sim.setFault('*', { kind: 'masterUnreachable' });
    sim.failNext('jobs', { status: 503, body: 'busy', contentType: 'text/plain' });
    expect((await call(sim, 'jobs', JOBS, { token })).status).toBe(503);
    for (let i = 0; i < 3; i++) expect((await call(sim, 'jobs', JOBS, { token })).status).toBe(420);
    expect((await call(sim, 'jobs', JOBS, { token, method: 'GET' })).status).toBe(405);
    expect((await call(sim, 'no/such/resource', {}, { token })).status).toBe(404);
  });

  test('a fault on security/login makes logins fail; calls with an existing token still work', async () => {
    sim.setFault('security/login', { kind: 'html500' });
    const failed = await call(sim, 'security/login', {}, { headers: { Authorization: basic('root', 'root') } });
    expect(failed.status).toBe(500);
    await expect(login(sim)).rejects.toThrow(/login failed: 500/);
    expect((await call(sim, 'jobs', JOBS, { token })).status).toBe(200);
    expect((await call(sim, 'touch', {}, { token })).status).toBe(200);
    sim.setFault('security/login', null);
    expect(typeof (await login(sim))).toBe('string');
  });

  test('stats.faults counts faulted answers; the log shows their status (0 without a whole answer) and kind', async () => {
    sim.resetStats();
    sim.setFault('jobs', { kind: 'reset' });
    sim.setFault('job_chains', { kind: 'truncated' });
    sim.setFault('orders', { kind: 'databaseUnreachable' });
    await rawPost(sim, 'jobs', JOBS, token);
    await rawPost(sim, 'job_chains', JOBS, token);
    await call(sim, 'orders', JOBS, { token });
    await call(sim, 'jobs/overview/snapshot', JOBS, { token });
    expect(sim.stats.faults).toBe(3);
    expect(sim.stats.requests.map((e) => [e.endpoint, e.status, e.fault])).toEqual([
      ['jobs', 0, 'reset'],
      ['job_chains', 0, 'truncated'],
      ['orders', 420, 'databaseUnreachable'],
      ['jobs/overview/snapshot', 200, undefined],
    ]);
    expect(sim.stats.requests[2]!.answer).toMatchObject({ error: { code: 'JOC-409' } });
    sim.resetStats();
    expect(sim.stats.faults).toBe(0);
  });

  test('setFault refuses unknown endpoints and nonsense faults', () => {
    expect(() => sim.setFault('nope' as Endpoint, { kind: 'reset' })).toThrow(/unknown endpoint/);
    expect(() => sim.setFault('jobs', { kind: 'delay', ms: -1 })).toThrow(/ms >= 0/);
    expect(() => sim.setFault('jobs', { kind: 'oversize', bytes: 1.5 })).toThrow(/whole number/);
    expect(() => sim.setFault('jobs', { kind: 'nope' } as unknown as Fault)).toThrow(/unknown fault kind/);
  });
});

describe('delay and close', () => {
  test('close() cuts a delay short: the client gets a network error, nothing waits for the delay', async () => {
    const sim = await startSimulator();
    sim.setFault('*', { kind: 'delay', ms: 60_000 });
    const pending = rawPost(sim, 'security/login', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await sim.close();
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBeUndefined();
    expect(res.error).toBeDefined();
  });
});

describe('refuseConnections', () => {
  test('connections are refused while true; afterwards the same URL works and sessions are still valid', async () => {
    const sim = await startSimulator();
    const keepAlive = new Agent({ keepAliveTimeout: 30_000 });
    try {
      const token = await login(sim);
      const viaAgent = () => request(`${sim.url}/joc/api/jobs`, {
        method: 'POST', dispatcher: keepAlive, headers: { 'Content-Type': 'application/json', 'X-Access-Token': token }, body: JSON.stringify(JOBS),
      });
      const before = await viaAgent();
      expect(before.statusCode).toBe(200);
      await before.body.text();

      const url = sim.url;
      await sim.refuseConnections(true);
      await sim.refuseConnections(true); // idempotent
      expect((await rawPost(sim, 'jobs', JOBS, token)).error?.code).toBe('ECONNREFUSED');
      // The kept-alive connection is gone too: the next request must connect, and is refused.
      await expect(viaAgent()).rejects.toMatchObject({ code: 'ECONNREFUSED' });

      await sim.refuseConnections(false);
      expect(sim.url).toBe(url);
      expect((await call(sim, 'jobs', JOBS, { token })).status).toBe(200);
      const after = await viaAgent();
      expect(after.statusCode).toBe(200);
      await after.body.text();
      expect(sim.activeSessions().map((s) => s.accessToken)).toContain(token);

      await sim.refuseConnections(true);
    } finally {
      await keepAlive.close();
      await sim.close(); // also while refusing
    }
  });
});
