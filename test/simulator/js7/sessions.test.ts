import { request } from 'undici';
import type { Js7Simulator } from '../../../src/simulator/js7';
import { basic, call, js7Login, manualClock, post, startFast } from './http';

const SNAPSHOT = { controllerId: 'controller' };

describe('JS7 sessions (JS7-NOTES §1)', () => {
  const clock = manualClock();
  let sim: Js7Simulator;
  beforeAll(async () => {
    sim = await startFast({ now: clock.now, sessionTimeoutMs: 1000, users: { exporter: 's3cret' } });
  });
  afterAll(() => sim.close());

  test('login: Basic with body {}; the token in the body and in X-Access-Token, the timeout in ms in both places', async () => {
    const res = await call(sim, 'authentication/login', {}, { headers: { Authorization: basic('exporter', 's3cret') } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ account: 'exporter', isAuthenticated: true, sessionTimeout: 1000, enableTouch: true, identityService: 'JOC:JOC' });
    expect(res.json.accessToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-access-token']).toBe(res.json.accessToken);
    expect(res.headers['x-joc-timeout']).toBe('1000');
    expect(res.json).not.toHaveProperty('user');
    expect((await post(sim, 'orders/overview/snapshot', SNAPSHOT, res.json.accessToken)).status).toBe(200);
  });

  test('reads do not extend the session; touch does; an idled-out session is 440 with JOC\'s body and reason phrase', async () => {
    const token = await js7Login(sim, 'exporter', 's3cret');
    clock.advance(600);
    expect((await post(sim, 'orders/overview/snapshot', SNAPSHOT, token)).status).toBe(200);
    clock.advance(600);
    const gone = await post(sim, 'orders/overview/snapshot', SNAPSHOT, token);
    expect(gone.status).toBe(440);
    expect(gone.json).toEqual({
      isPermitted: false, hasRole: false, isApprover: false, isApprovalRequestor: false, isAuthenticated: false, forcePasswordChange: false,
      message: 'SessionNotExistException: Session has expired. New login is neccessary', enableTouch: true,
    });
    const other = await js7Login(sim, 'exporter', 's3cret');
    for (let i = 0; i < 3; i++) {
      clock.advance(800);
      const touched = await post(sim, 'touch', {}, other);
      expect(touched.status).toBe(200);
      expect(touched.json).toEqual({ deliveryDate: expect.any(String), ok: true });
    }
    expect((await post(sim, 'orders/overview/snapshot', SNAPSHOT, other)).status).toBe(200);
    clock.advance(1001);
    expect((await post(sim, 'touch', {}, other)).status).toBe(440);
  });

  test('unknown, missing and logged-out tokens are 440 too (touch included)', async () => {
    expect((await post(sim, 'orders', SNAPSHOT, 'never-issued')).status).toBe(440);
    expect((await post(sim, 'orders', SNAPSHOT, undefined)).status).toBe(440);
    expect((await post(sim, 'touch', {}, undefined)).status).toBe(440);
    const token = await js7Login(sim, 'exporter', 's3cret');
    const out = await post(sim, 'authentication/logout', {}, token);
    expect(out.status).toBe(200);
    expect(out.json).toMatchObject({ account: 'exporter', accessToken: '', isAuthenticated: false });
    expect((await post(sim, 'controller/ids', {}, token)).status).toBe(440);
  });

  test('the 440 answer carries the reason phrase "Login Timeout" (2.7+)', async () => {
    const res = await request(`${sim.url}/joc/api/controller/ids`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await res.body.text();
    expect(res.statusCode).toBe(440);
    expect(res.statusText).toBe('Login Timeout');
  });

  test('logout: 420 without a token, 200 for any token', async () => {
    const none = await call(sim, 'authentication/logout', {});
    expect(none.status).toBe(420);
    expect(none.json.error).toEqual({ code: 'JOC-420', message: 'Access token header expected' });
    expect((await post(sim, 'authentication/logout', {}, 'unknown')).status).toBe(200);
  });

  test.each([
    ['401', 401, (b: any) => expect(b).toMatchObject({ isAuthenticated: false, message: 'Authentication failure' })],
    ['420', 420, (b: any) => expect(b.error.message).toMatch(/^org\.apache\.shiro\.session\.UnknownSessionException: /)],
    ['440', 440, (b: any) => expect(b.message).toMatch(/^SessionNotExistException/)],
  ] as const)('expireSessions(%s): the next call of every session gets that shape', async (shape, status, check) => {
    const token = await js7Login(sim, 'exporter', 's3cret');
    sim.expireSessions(shape);
    const res = await post(sim, 'orders/overview/snapshot', SNAPSHOT, token);
    expect(res.status).toBe(status);
    check(res.json);
  });

  test('restart forgets every token', async () => {
    const token = await js7Login(sim, 'exporter', 's3cret');
    expect(sim.activeSessions().map((s) => s.accessToken)).toContain(token);
    sim.restart();
    expect(sim.activeSessions()).toEqual([]);
    expect((await post(sim, 'controller/ids', {}, token)).status).toBe(440);
  });
});

describe('failed logins (JS7-NOTES §1.1)', () => {
  let sim: Js7Simulator;
  afterEach(() => sim.close());
  const attempt = async (password: string): Promise<{ status: number; ms: number; json: any }> => {
    const t = Date.now();
    const res = await call(sim, 'authentication/login', {}, { headers: { Authorization: basic('root', password) } });
    return { status: res.status, ms: Date.now() - t, json: res.json };
  };

  test('wrong credentials: 401 "Access denied", answered only after the delay, which grows after two failures; success resets it', async () => {
    sim = await startFast({ loginDelay: { firstMs: 80, maxMs: 400 } });
    const first = await attempt('wrong');
    expect(first.status).toBe(401);
    expect(first.json).toMatchObject({ isAuthenticated: false, message: 'Access denied' });
    expect(first.json).not.toHaveProperty('identityService');
    expect(first.ms).toBeGreaterThanOrEqual(75);
    expect((await attempt('wrong')).ms).toBeGreaterThanOrEqual(75);
    const later = [await attempt('wrong'), await attempt('wrong'), await attempt('wrong')];
    for (const a of later) {
      expect(a.ms).toBeGreaterThanOrEqual(75);
      expect(a.ms).toBeLessThan(1500);
    }
    expect(sim.stats.failedLogins).toBe(5);
    expect((await attempt('root')).status).toBe(200);
    expect(sim.stats.logins).toBe(1);
  });

  test('an Authorization header that is not Basic is 420 at once', async () => {
    sim = await startFast({ loginDelay: { firstMs: 5000, maxMs: 5000 } });
    const t = Date.now();
    const res = await call(sim, 'authentication/login', {}, { headers: { Authorization: 'Bearer x' } });
    expect(res.status).toBe(420);
    expect(res.json.error.message).toBe('Authorization header with basic based64part expected');
    expect(Date.now() - t).toBeLessThan(4000);
    expect((await call(sim, 'authentication/login', {})).status).toBe(420);
  });

  test('close() ends a pending login delay: the client gets no answer', async () => {
    sim = await startFast({ loginDelay: { firstMs: 10_000, maxMs: 10_000 } });
    const pending = attempt('wrong').then(() => 'answered', () => 'no answer');
    await new Promise((r) => setTimeout(r, 50));
    const t = Date.now();
    await sim.close();
    expect(await pending).toBe('no answer');
    expect(Date.now() - t).toBeLessThan(5000);
  });
});
