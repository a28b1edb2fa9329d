import { startSimulator, type Simulator } from '../../src/simulator';
import { basic, call, login, manualClock } from './http';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('session expiry over HTTP (NOTES §3)', () => {
  const clock = manualClock();
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ now: clock.now, sessionTimeoutMs: 1000 });
  });
  afterAll(() => sim.close());
  const snapshot = (token?: string) => call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token });

  test('reads do not keep the session alive; the default idle answer is the 401 of §3.2b', async () => {
    const token = await login(sim);
    clock.advance(600);
    expect((await snapshot(token)).status).toBe(200);
    clock.advance(600);
    const res = await snapshot(token);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      user: 'root', accessToken: token, hasRole: false, isPermitted: false, isAuthenticated: true, enableTouch: true, message: 'Authentication failure',
    });
    expect((await snapshot(token)).status).toBe(401);
  });

  test('touch keeps it alive; touch on an expired session is 440 ExpiredSessionException; unknown token 401', async () => {
    sim.resetStats();
    const token = await login(sim);
    for (let i = 0; i < 3; i++) {
      clock.advance(800);
      const touched = await call(sim, 'touch', {}, { token, legacyToken: i === 1 });
      expect(touched.status).toBe(200);
      expect(touched.json).toEqual({ deliveryDate: expect.stringMatching(ISO_MS), ok: true });
    }
    expect((await snapshot(token)).status).toBe(200);
    expect(sim.stats.touches).toBe(3);
    clock.advance(1001);
    const expired = await call(sim, 'touch', {}, { token });
    expect(expired.status).toBe(440);
    expect(expired.json.isAuthenticated).toBe(false);
    expect(expired.json.message).toMatch(new RegExp(`^ExpiredSessionException: Session with id \\[${token}\\] has expired`));
    const unknown = await call(sim, 'touch', {}, { token: 'never-issued' });
    expect(unknown.status).toBe(401);
    expect(unknown.json.message).toBe("Authentication failure: Session doesn't exist");
    expect((await call(sim, 'touch', {})).status).toBe(401);
  });

  test.each([
    ['401', 401, (b: any) => expect(b).toMatchObject({ isAuthenticated: true, message: 'Authentication failure' })],
    ['440', 440, (b: any) => expect(b).toEqual({ isAuthenticated: false, hasRole: false, isPermitted: false, enableTouch: true, message: "SessionNotExistException: Session doesn't exist" })],
    ['420', 420, (b: any) => {
      expect(b.error.code).toBe('JOC-420');
      expect(b.error.message).toMatch(/^org\.apache\.shiro\.session\.ExpiredSessionException: Session with id \[[0-9a-f-]+\] has expired\. Last access time: .+ Current time: .+ Session timeout is set to 1 seconds \(0 minutes\)$/);
    }],
  ] as const)('expireSessions(%s) gives that shape on the next data call', async (shape, status, check) => {
    const token = await login(sim);
    expect((await snapshot(token)).status).toBe(200);
    sim.expireSessions(shape);
    const res = await snapshot(token);
    expect(res.status).toBe(status);
    check(res.json);
    expect(sim.activeSessions().map((s) => s.accessToken)).not.toContain(token);
  });

  test.each(['440', '420'] as const)('idleExpiry %s is used for idled-out sessions', async (shape) => {
    const c = manualClock();
    const other = await startSimulator({ now: c.now, sessionTimeoutMs: 1000, idleExpiry: shape });
    try {
      const token = await login(other);
      c.advance(1001);
      expect((await call(other, 'jobs', { jobschedulerId: 'scheduler' }, { token })).status).toBe(Number(shape));
    } finally {
      await other.close();
    }
  });

  test('restart forgets tokens: 440; logout always answers 200 and ends the session', async () => {
    const a = await login(sim);
    sim.restart();
    expect((await snapshot(a)).status).toBe(440);
    const b = await login(sim);
    const out = await call(sim, 'security/logout', {}, { token: b });
    expect(out.status).toBe(200);
    expect(out.json).toEqual({ user: 'root', accessToken: '', isAuthenticated: false, hasRole: false, isPermitted: false, enableTouch: true });
    expect((await snapshot(b)).status).toBe(440);
    for (const token of [b, 'never-issued']) {
      const again = await call(sim, 'security/logout', {}, { token, legacyToken: true });
      expect(again.status).toBe(200);
      expect(again.json.user).toBe('');
    }
    const none = await call(sim, 'security/logout', {});
    expect(none.status).toBe(420);
    expect(none.json.error.message).toBe('Access token header expected');
  });

  test('sessionTimeout -1 never expires', async () => {
    const c = manualClock();
    const forever = await startSimulator({ now: c.now, sessionTimeoutMs: -1 });
    try {
      const res = await call(forever, 'security/login', {}, { headers: { Authorization: basic('root', 'root') } });
      expect(res.json.sessionTimeout).toBe(-1);
      c.advance(10 * 365 * 86_400_000);
      expect((await call(forever, 'jobs', { jobschedulerId: 'scheduler' }, { token: res.json.accessToken })).status).toBe(200);
    } finally {
      await forever.close();
    }
  });
});
