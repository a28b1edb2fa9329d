import { JocLoginBackoffError, JocLoginError, JocNetworkError, JocPermissionError, JocSessionGoneError, JocStatusError } from '../../src/joc/errors';
import type { JocPoster, JocReply } from '../../src/joc/http';
import { JocSession } from '../../src/joc/session';
import { SelfMetrics } from '../../src/metrics/self';
import { Secret } from '../../src/secret';
import { captureLogger } from '../support/logs';

interface Call {
  endpoint: string;
  headers: Readonly<Record<string, string>>;
}

type Answer = (call: Call, fake: FakeJoc) => JocReply | Promise<JocReply>;

const reply = (status: number, json: unknown = {}, headers: Record<string, string> = {}): JocReply => ({
  status,
  headers,
  json,
  text: JSON.stringify(json),
});

/** A scripted JOC: login hands out token-1, token-2, ...; data answers come from `answer`. */
class FakeJoc implements JocPoster {
  readonly calls: Call[] = [];
  tokens = 0;
  sessionTimeout = 60_000;
  loginAnswer: Answer | null = null;
  answer: Answer = () => reply(200, { ok: true });

  async post(endpoint: string, _body: object, headers: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<JocReply> {
    const call = { endpoint, headers };
    this.calls.push(call);
    await new Promise((r) => setImmediate(r));
    if (signal?.aborted) throw new Error('aborted');
    if (endpoint === 'security/login') {
      if (this.loginAnswer) return this.loginAnswer(call, this);
      this.tokens += 1;
      return reply(200, { user: 'root', accessToken: `token-${this.tokens}`, isAuthenticated: true, sessionTimeout: this.sessionTimeout });
    }
    if (endpoint === 'security/logout') return reply(200, { isAuthenticated: false });
    return this.answer(call, this);
  }

  count(endpoint: string): number {
    return this.calls.filter((c) => c.endpoint === endpoint).length;
  }
}

function setup(options: { backoff?: { initialMs: number; authMaxMs: number; transientMaxMs: number }; now?: () => number; retries?: boolean } = {}) {
  const fake = new FakeJoc();
  const metrics = new SelfMetrics();
  const log = captureLogger();
  const session = new JocSession({
    name: 'test',
    transport: fake,
    user: 'root',
    password: new Secret('s3cret-password'),
    logger: log.logger,
    metrics,
    backoff: options.backoff,
    now: options.now,
    retries: options.retries,
  });
  const counter = async (name: string, labels: Record<string, string>): Promise<number> => {
    const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
    const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
    return value?.value ?? 0;
  };
  return { fake, metrics, session, log, counter };
}

const goneShapes: Array<[string, JocReply]> = [
  ['401 Authentication failure', reply(401, { isAuthenticated: true, message: 'Authentication failure' })],
  ['440 SessionNotExist', reply(440, { isAuthenticated: false, message: "SessionNotExistException: Session doesn't exist" })],
  ['420 ExpiredSessionException', reply(420, { error: { code: 'JOC-420', message: 'org.apache.shiro.session.ExpiredSessionException: expired' } })],
];

describe('JocSession', () => {
  let toClose: JocSession[] = [];
  afterEach(async () => {
    await Promise.all(toClose.map((s) => s.close()));
    toClose = [];
  });
  const track = <T extends { session: JocSession }>(s: T): T => {
    toClose.push(s.session);
    return s;
  };

  test('logs in once with HTTP Basic and reuses the token for every request', async () => {
    const { fake, session, counter } = track(setup());
    for (let i = 0; i < 5; i++) await session.request('orders/overview/snapshot', { jobschedulerId: 'x' });
    expect(fake.count('security/login')).toBe(1);
    const login = fake.calls.find((c) => c.endpoint === 'security/login')!;
    expect(login.headers.authorization).toBe(`Basic ${Buffer.from('root:s3cret-password').toString('base64')}`);
    expect(login.headers['x-access-token']).toBeUndefined();
    const data = fake.calls.filter((c) => c.endpoint !== 'security/login');
    expect(data.every((c) => c.headers['x-access-token'] === 'token-1')).toBe(true);
    expect(await counter('jobscheduler_exporter_logins_total', { result: 'success' })).toBe(1);
  });

  test('takes the token from the X-Access-Token header when the body has none', async () => {
    const { fake, session } = track(setup());
    fake.loginAnswer = () => reply(200, { isAuthenticated: true, sessionTimeout: 60_000 }, { 'x-access-token': 'header-token' });
    await session.request('jobs', {});
    expect(fake.calls.at(-1)!.headers['x-access-token']).toBe('header-token');
  });

  test.each(goneShapes)('%s: one re-login, one retry, counted as a renewal', async (_name, gone) => {
    const { fake, session, counter } = track(setup());
    fake.answer = (call) => (call.headers['x-access-token'] === 'token-1' ? gone : reply(200, { fine: true }));
    await session.request('jobs', {}); // logs in with token-1, gets "gone", renews to token-2
    expect(await session.request('jobs', {})).toEqual({ fine: true });
    expect(fake.count('security/login')).toBe(2);
    expect(fake.count('jobs')).toBe(3);
    expect(await counter('jobscheduler_exporter_session_renewals_total', {})).toBe(1);
  });

  test('requests that fail together share one re-login', async () => {
    const { fake, session, counter } = track(setup());
    await session.request('touch', {});
    fake.answer = (call) => (call.headers['x-access-token'] === 'token-1' ? goneShapes[1]![1] : reply(200, { n: 1 }));
    const answers = await Promise.all(Array.from({ length: 8 }, () => session.request('orders', {})));
    expect(answers).toHaveLength(8);
    expect(fake.count('security/login')).toBe(2);
    expect(await counter('jobscheduler_exporter_session_renewals_total', {})).toBe(1);
  });

  test('a request still refused after the re-login fails instead of looping', async () => {
    const { fake, session } = track(setup());
    fake.answer = () => goneShapes[0]![1];
    await expect(session.request('jobs', {})).rejects.toBeInstanceOf(JocSessionGoneError);
    expect(fake.count('security/login')).toBe(2);
    expect(fake.count('jobs')).toBe(2);
  });

  test('403 is never retried and is logged once at error level naming the missing permission', async () => {
    const { fake, session, log } = track(setup());
    fake.answer = () => reply(403, { isAuthenticated: true, isPermitted: false, message: 'no sos:products:joc_cockpit:job:view:status' });
    await expect(session.request('jobs', {})).rejects.toBeInstanceOf(JocPermissionError);
    await expect(session.request('jobs', {})).rejects.toBeInstanceOf(JocPermissionError);
    expect(fake.count('jobs')).toBe(2);
    expect(fake.count('security/login')).toBe(1);
    const errors = log.records().filter((r) => r.level === 'error');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('sos:products:joc_cockpit:job:view:status');
  });

  test('other statuses are errors with the JOC error code, not session problems', async () => {
    const { fake, session } = track(setup());
    fake.answer = () => reply(420, { error: { code: 'JOC-402', message: 'JobSchedulerConnectionRefusedException' } });
    const err = await session.request('orders/overview/snapshot', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JocStatusError);
    expect((err as JocStatusError).detail.jocCode).toBe('JOC-402');
    expect(fake.count('security/login')).toBe(1);
  });

  test('a refused login backs off exponentially and never logs the password', async () => {
    let now = 1_000_000;
    const { fake, session, log, counter } = track(
      setup({ backoff: { initialMs: 1_000, authMaxMs: 4_000, transientMaxMs: 2_000 }, now: () => now }),
    );
    fake.loginAnswer = () =>
      reply(401, { isAuthenticated: false, message: 'There is no user with username / password combination of root' });
    await expect(session.request('jobs', {})).rejects.toBeInstanceOf(JocLoginError);
    await expect(session.request('jobs', {})).rejects.toBeInstanceOf(JocLoginBackoffError);
    expect(fake.count('security/login')).toBe(1);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const err = (await session.request('jobs', {}).catch((e: unknown) => e)) as JocLoginBackoffError;
      waits.push(err.retryInMs);
      now += err.retryInMs;
      await expect(session.request('jobs', {})).rejects.toBeInstanceOf(JocLoginError);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 4_000]);
    expect(fake.count('security/login')).toBe(5);
    expect(await counter('jobscheduler_exporter_logins_total', { result: 'failure' })).toBe(5);
    expect(log.lines().join('\n')).not.toContain('s3cret-password');
    expect(log.lines().join('\n')).not.toContain(Buffer.from('root:s3cret-password').toString('base64'));
  });

  test('a network failure at login backs off with the shorter cap', async () => {
    let now = 0;
    const { fake, session } = track(setup({ backoff: { initialMs: 1_000, authMaxMs: 100_000, transientMaxMs: 1_500 }, now: () => now }));
    fake.loginAnswer = () => {
      throw new JocNetworkError('security/login', new Error('ECONNREFUSED'), false);
    };
    await expect(session.request('jobs', {})).rejects.toBeInstanceOf(JocNetworkError);
    now += 1_000;
    await expect(session.request('jobs', {})).rejects.toBeInstanceOf(JocNetworkError);
    const err = (await session.request('jobs', {}).catch((e: unknown) => e)) as JocLoginBackoffError;
    expect(err.retryInMs).toBe(1_500);
  });

  test('with a poll interval shorter than the cap, a network failure waits at most one interval; refused credentials do not', async () => {
    let now = 0;
    const { fake, session } = track(setup({ backoff: { initialMs: 1_000, authMaxMs: 100_000, transientMaxMs: 30_000 }, now: () => now }));
    session.setPollInterval(1_500);
    fake.loginAnswer = () => {
      throw new JocNetworkError('security/login', new Error('ECONNREFUSED'), false);
    };
    /** `n` failed logins in a row, each tried once its backoff has run out; the waits. */
    const waitsAfter = async (n: number, failure: new (...args: never[]) => Error): Promise<number[]> => {
      const waits: number[] = [];
      for (let i = 0; i < n; i++) {
        await expect(session.request('jobs', {})).rejects.toBeInstanceOf(failure);
        const err = (await session.request('jobs', {}).catch((e: unknown) => e)) as JocLoginBackoffError;
        waits.push(err.retryInMs);
        now += err.retryInMs;
      }
      return waits;
    };
    expect(await waitsAfter(4, JocNetworkError)).toEqual([1_000, 1_500, 1_500, 1_500]);
    fake.loginAnswer = () => reply(401, { isAuthenticated: false, message: 'wrong password' });
    // The failures go on counting: 5th, 6th, 7th failure, with the 100 s cap of refused credentials.
    expect(await waitsAfter(3, JocLoginError)).toEqual([16_000, 32_000, 64_000]);
  });

  test.each([
    ['a network failure', (): JocReply => { throw new JocNetworkError('security/login', new Error('ECONNREFUSED'), false); }, 'login to JOC Cockpit failed'],
    ['refused credentials', (): JocReply => reply(401, { isAuthenticated: false, message: 'wrong password' }), 'login to JOC Cockpit refused: check user and password'],
  ])('without retries (--once), %s is logged with no promise of a retry', async (_what, answer, message) => {
    const { fake, session, log } = track(setup({ retries: false }));
    fake.loginAnswer = answer;
    await expect(session.request('jobs', {})).rejects.toThrow();
    const errors = log.records().filter((r) => r.level === 'error');
    expect(errors.map((r) => r.msg)).toEqual([message]);
    expect(JSON.stringify(errors)).not.toMatch(/backing off|retryInMs/);
  });

  test('with retries (the daemon), the same failure says when it is tried again', async () => {
    const { fake, session, log } = track(setup());
    fake.loginAnswer = () => reply(401, { isAuthenticated: false, message: 'wrong password' });
    await expect(session.request('jobs', {})).rejects.toThrow();
    expect(log.records().filter((r) => r.level === 'error')).toEqual([
      expect.objectContaining({ msg: 'login to JOC Cockpit refused: check user and password; backing off', retryInMs: expect.any(Number) }),
    ]);
  });

  test('ensure() touches once 45 % of the session timeout has passed, so JOC sees one within every half', async () => {
    let now = 0;
    const { fake, session } = track(setup({ now: () => now }));
    fake.sessionTimeout = 10_000;
    await session.ensure();
    expect(fake.count('touch')).toBe(0);
    now += 4_499;
    await session.ensure();
    expect(fake.count('touch')).toBe(0);
    now += 1;
    await session.ensure();
    expect(fake.count('touch')).toBe(1);
  });

  test('keeps the session alive with touch on its own timer, within every sessionTimeout/2', async () => {
    const { fake, session } = track(setup());
    fake.sessionTimeout = 2_000;
    await session.ensure();
    await new Promise((r) => setTimeout(r, 2_100));
    const touches = fake.calls.filter((c) => c.endpoint === 'touch');
    expect(touches.length).toBeGreaterThanOrEqual(2); // at 900 ms and 1800 ms
    expect(touches.length).toBeLessThanOrEqual(3);
    expect(fake.count('security/login')).toBe(1);
  });

  test('sessionTimeout -1 never touches', async () => {
    let now = 0;
    const { fake, session } = track(setup({ now: () => now }));
    fake.sessionTimeout = -1;
    await session.ensure();
    now += 10 * 3_600_000;
    await session.ensure();
    expect(fake.count('touch')).toBe(0);
  });

  test('close() logs out with the token, and the session refuses further requests', async () => {
    const { fake, session } = setup();
    await session.request('jobs', {});
    await session.close();
    const logout = fake.calls.find((c) => c.endpoint === 'security/logout');
    expect(logout?.headers['x-access-token']).toBe('token-1');
    await expect(session.request('jobs', {})).rejects.toThrow(/aborted/);
    await session.close();
    expect(fake.count('security/logout')).toBe(1);
  });

  test('close() without a session does not call JOC', async () => {
    const { fake, session } = setup();
    await session.close();
    expect(fake.calls).toHaveLength(0);
  });
});
