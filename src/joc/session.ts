import type { Logger } from '../logger';
import type { SelfMetrics } from '../metrics/self';
import { Secret } from '../secret';
import { DEFAULT_LOGIN_BACKOFF, LoginBackoff, type BackoffPolicy } from './backoff';
import {
  JocAbortedError,
  JocError,
  type JocErrorDetail,
  JocLoginBackoffError,
  JocLoginError,
  JocPermissionError,
  JocSessionGoneError,
  JocStatusError,
} from './errors';
import type { JocPoster, JocReply, PostOptions } from './http';
import { errorDetail, isSessionGone } from './session-rules';

export interface JocSessionOptions {
  /** The `joc` label value. */
  readonly name: string;
  readonly transport: JocPoster;
  readonly user: string;
  readonly password: Secret;
  readonly logger: Logger;
  readonly metrics: SelfMetrics;
  readonly backoff?: BackoffPolicy;
  readonly now?: () => number;
  /** Longest wait for the logout on shutdown. */
  readonly logoutTimeoutMs?: number;
  /** The API's session endpoints; default JOC Cockpit 1.x's (SESSION_PATHS_V1). */
  readonly paths?: SessionPaths;
  /**
   * false for a single poll (`--once`): nothing will try the login again, so a failed login is
   * logged without the "backing off, retry in" of the daemon. Default true.
   */
  readonly retries?: boolean;
}

/**
 * The session endpoints of one API flavour: everything else about a session (token reuse,
 * keep-alive, the session-gone rule, shared re-login, backoff) is the same in JOC 1.x and JS7.
 */
export interface SessionPaths {
  readonly login: string;
  readonly logout: string;
  readonly touch: string;
  /**
   * The least time a login may take before it counts as failed, whatever `poll.timeoutSeconds`
   * says (JS7 answers a failed login only after a deliberate delay of up to 30 s); 0 = none.
   */
  readonly minLoginTimeoutMs: number;
}

/** JOC Cockpit 1.x (NOTES §2). */
export const SESSION_PATHS_V1: SessionPaths = {
  login: 'security/login',
  logout: 'security/logout',
  touch: 'touch',
  minLoginTimeoutMs: 0,
};

/**
 * JS7, JOC Cockpit 2.x (JS7-NOTES §1). A failed login is answered only after a deliberate delay of
 * 2 to 30 s, so a login may take 35 s before it counts as failed (CONTRACT §7.1).
 */
export const SESSION_PATHS_JS7: SessionPaths = {
  login: 'authentication/login',
  logout: 'authentication/logout',
  touch: 'touch',
  minLoginTimeoutMs: 35_000,
};

/** The shortest keep-alive period, whatever `sessionTimeout` JOC announces. */
const MIN_KEEPALIVE_MS = 500;
/**
 * The keep-alive period as a share of `sessionTimeout`: a little under half, so that with the
 * timer's delay and the touch's own latency JOC still sees a touch at least every sessionTimeout/2.
 */
const KEEPALIVE_SHARE = 0.45;

/**
 * The session with one JOC Cockpit instance, 1.x or JS7 (NOTES §2, §3; JS7-NOTES §1; CONTRACT
 * §5, §7.1), on the flavour's SessionPaths:
 * - logs in once (HTTP Basic) and reuses the token for every call;
 * - keeps the session alive with `touch` at least every sessionTimeout/2 (every 0.45 of it), on its own timer, since
 *   neither JOC 1.x nor JS7 extends the idle timeout on data reads;
 * - when JOC says the session is gone (401, 440, or 420 with a session message) logs in again,
 *   once for all requests that failed together, and retries each failed request once;
 * - never retries a 403; backs off exponentially after a failed login;
 * - logs out on close.
 */
export class JocSession {
  readonly #o: JocSessionOptions;
  readonly #now: () => number;
  readonly #backoff: LoginBackoff;
  /** Aborts in-flight requests when the exporter shuts down. */
  readonly #shutdown = new AbortController();
  #token: Secret | null = null;
  #sessionTimeoutMs = -1;
  #lastRefresh = 0;
  #login: Promise<Secret> | null = null;
  #keepAlive: NodeJS.Timeout | null = null;
  #closed = false;
  /** The time between two polls, when known: the longest wait after a transient login failure. */
  #pollIntervalMs = Number.POSITIVE_INFINITY;
  /** The last keep-alive touch failed (its failures are logged at warn once per streak). */
  #touchFailing = false;
  /** The last tokens this session held, scrubbed from JOC's error messages before they are logged. */
  readonly #recentTokens: string[] = [];
  /** Endpoints whose 403 has been logged at error level already (logged once each). */
  readonly #deniedLogged = new Set<string>();
  readonly #paths: SessionPaths;

  constructor(options: JocSessionOptions) {
    this.#o = options;
    this.#paths = options.paths ?? SESSION_PATHS_V1;
    this.#now = options.now ?? Date.now;
    this.#backoff = new LoginBackoff(options.backoff ?? DEFAULT_LOGIN_BACKOFF);
  }

  /**
   * POSTs a data call with the session token and returns the parsed body of the 200 answer.
   * Logs in first when needed; on a session-gone answer logs in again and retries once.
   */
  async request(endpoint: string, body: object, options?: PostOptions): Promise<unknown> {
    const token = await this.#currentToken();
    let reply = await this.#send(endpoint, body, token, options);
    if (isSessionGone(reply.status, reply.json)) {
      this.#o.logger.info(
        { endpoint, status: reply.status, ...this.#detail(reply) },
        'JOC Cockpit reports the session gone; logging in again',
      );
      const fresh = await this.#renew(token);
      reply = await this.#send(endpoint, body, fresh, options);
      if (isSessionGone(reply.status, reply.json)) {
        this.#dropToken(fresh);
        throw new JocSessionGoneError(endpoint, reply.status, this.#detail(reply));
      }
    }
    return this.#accept(endpoint, reply);
  }

  /** Makes sure a session exists (logging in if needed) and touches it when a keep-alive is due. */
  async ensure(): Promise<void> {
    await this.#currentToken();
    if (this.#keepAliveDue()) await this.touch();
  }

  /** `POST touch`: resets JOC's idle timer (after a re-login when JOC says the session is gone). */
  async touch(): Promise<void> {
    await this.request(this.#paths.touch, {});
    this.#refreshed();
  }

  /** The poll schedule's interval: after a transient failure, a login is tried again by the next poll. */
  setPollInterval(ms: number): void {
    if (ms > 0) this.#pollIntervalMs = ms;
  }

  /** Stops the keep-alive, aborts in-flight requests and logs out (best effort, bounded in time). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearKeepAlive();
    this.#shutdown.abort();
    const pendingLogin = this.#login;
    if (pendingLogin) await pendingLogin.catch(() => undefined);
    const token = this.#token;
    this.#token = null;
    if (!token) return;
    try {
      const reply = await this.#o.transport.post(
        this.#paths.logout,
        {},
        { 'x-access-token': token.reveal() },
        AbortSignal.timeout(this.#o.logoutTimeoutMs ?? 2_000),
      );
      this.#o.logger.info({ status: reply.status }, 'logged out of JOC Cockpit');
    } catch (err) {
      this.#o.logger.warn({ err: String(err) }, 'logout from JOC Cockpit failed (the session will expire on its own)');
    }
  }

  async #send(endpoint: string, body: object, token: Secret, options?: PostOptions): Promise<JocReply> {
    return this.#o.transport.post(endpoint, body, { 'x-access-token': token.reveal() }, this.#shutdown.signal, options);
  }

  #accept(endpoint: string, reply: JocReply): unknown {
    if (reply.status === 200) return reply.json;
    const detail = this.#detail(reply);
    if (reply.status === 403) {
      const first = !this.#deniedLogged.has(endpoint);
      this.#deniedLogged.add(endpoint);
      this.#o.logger[first ? 'error' : 'debug'](
        { endpoint, ...detail },
        `JOC Cockpit denies ${endpoint} to user ${this.#o.user}: grant the missing permission (not retried)`,
      );
      throw new JocPermissionError(endpoint, detail);
    }
    throw new JocStatusError(endpoint, reply.status, detail);
  }

  async #currentToken(): Promise<Secret> {
    if (this.#closed) throw new JocAbortedError(this.#paths.login);
    if (this.#token) return this.#token;
    return this.#startLogin(false);
  }

  /** One shared re-login for every request that failed with `stale`; requests that raced it reuse the result. */
  async #renew(stale: Secret): Promise<Secret> {
    if (this.#token && this.#token !== stale) return this.#token;
    this.#dropToken(stale);
    return this.#startLogin(true);
  }

  #startLogin(renewal: boolean): Promise<Secret> {
    if (this.#login) return this.#login;
    const wait = this.#backoff.remainingMs(this.#now());
    if (wait > 0) return Promise.reject(new JocLoginBackoffError(this.#paths.login, wait, this.#backoff.lastError));
    if (renewal) this.#o.metrics.sessionRenewals.inc({ joc: this.#o.name });
    this.#login = this.#logIn().finally(() => {
      this.#login = null;
    });
    return this.#login;
  }

  async #logIn(): Promise<Secret> {
    const { transport, user, password, metrics, name, logger } = this.#o;
    const basic = Buffer.from(`${user}:${password.reveal()}`, 'utf8').toString('base64');
    let reply: JocReply;
    try {
      reply = await transport.post(this.#paths.login, {}, { authorization: `Basic ${basic}` }, this.#shutdown.signal, {
        minTimeoutMs: this.#paths.minLoginTimeoutMs,
      });
    } catch (err) {
      // A login aborted by the shutdown is not a failed login.
      if (!(err instanceof JocAbortedError)) {
        metrics.logins.inc({ joc: name, result: 'failure' });
        this.#loginFailed(err as JocError, 'transient');
      }
      throw err;
    }
    const token = loginToken(reply);
    if (reply.status !== 200 || !token) {
      metrics.logins.inc({ joc: name, result: 'failure' });
      const error = new JocLoginError(this.#paths.login, reply.status, this.#detail(reply));
      this.#loginFailed(error, reply.status === 401 || reply.status === 403 ? 'auth' : 'transient');
      throw error;
    }
    metrics.logins.inc({ joc: name, result: 'success' });
    const failures = this.#backoff.failures;
    this.#backoff.succeed();
    this.#token = new Secret(token);
    this.#recentTokens.unshift(token);
    this.#recentTokens.length = Math.min(this.#recentTokens.length, 4);
    this.#sessionTimeoutMs = loginSessionTimeout(reply);
    this.#refreshed();
    logger.info(
      { user, sessionTimeoutMs: this.#sessionTimeoutMs, ...(failures > 0 && { failedAttempts: failures }) },
      failures > 0 ? 'logged in to JOC Cockpit again after failed attempts' : 'logged in to JOC Cockpit',
    );
    return this.#token;
  }

  #detail(reply: JocReply): JocErrorDetail {
    return errorDetail(reply.json, this.#recentTokens);
  }

  /** Backs off; logs at error when the reason is new, at debug when it repeats the last failure's. */
  #loginFailed(error: JocError, kind: 'auth' | 'transient'): void {
    const repeated = this.#backoff.lastError?.message === error.message;
    const wait = this.#backoff.fail(this.#now(), kind, error, this.#pollIntervalMs);
    if (this.#o.retries === false) {
      this.#o.logger.error(
        { user: this.#o.user, err: error.message },
        kind === 'auth' ? 'login to JOC Cockpit refused: check user and password' : 'login to JOC Cockpit failed',
      );
      return;
    }
    this.#o.logger[repeated ? 'debug' : 'error'](
      { user: this.#o.user, err: error.message, retryInMs: wait, failures: this.#backoff.failures },
      kind === 'auth'
        ? 'login to JOC Cockpit refused: check user and password; backing off'
        : 'login to JOC Cockpit failed; backing off',
    );
  }

  #dropToken(token: Secret): void {
    if (this.#token === token) {
      this.#token = null;
      this.#clearKeepAlive();
    }
  }

  #refreshed(): void {
    this.#lastRefresh = this.#now();
    this.#scheduleKeepAlive();
  }

  #keepAliveDue(): boolean {
    return this.#sessionTimeoutMs > 0 && this.#now() - this.#lastRefresh >= this.#sessionTimeoutMs * KEEPALIVE_SHARE;
  }

  #scheduleKeepAlive(delayMs?: number): void {
    this.#clearKeepAlive();
    if (this.#closed || this.#sessionTimeoutMs <= 0) return;
    const delay = Math.max(MIN_KEEPALIVE_MS, delayMs ?? this.#sessionTimeoutMs * KEEPALIVE_SHARE);
    this.#keepAlive = setTimeout(() => void this.#keepAliveTick(), delay);
    this.#keepAlive.unref();
  }

  async #keepAliveTick(): Promise<void> {
    this.#keepAlive = null;
    if (this.#closed || !this.#token) return;
    try {
      await this.touch();
      if (this.#touchFailing) this.#o.logger.info('keep-alive touch works again');
      else this.#o.logger.debug('session kept alive (touch)');
      this.#touchFailing = false;
    } catch (err) {
      if (this.#closed) return;
      this.#o.logger[this.#touchFailing ? 'debug' : 'warn']({ err: (err as Error).message }, 'keep-alive touch failed; trying again soon');
      this.#touchFailing = true;
      if (this.#token) this.#scheduleKeepAlive(this.#sessionTimeoutMs / 8);
    }
  }

  #clearKeepAlive(): void {
    if (this.#keepAlive) clearTimeout(this.#keepAlive);
    this.#keepAlive = null;
  }
}

/** The token of a login answer: body `accessToken`, or the `X-Access-Token` header (NOTES §2.1). */
function loginToken(reply: JocReply): string | undefined {
  const body = reply.json as { accessToken?: unknown; isAuthenticated?: unknown } | undefined;
  if (body && body.isAuthenticated === false) return undefined;
  if (body && typeof body.accessToken === 'string' && body.accessToken !== '') return body.accessToken;
  const header = reply.headers['x-access-token'];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/** JOC's documented default idle timeout (shiro.ini), assumed when a login answer does not say. */
const DEFAULT_SESSION_TIMEOUT_MS = 900_000;

/** `sessionTimeout` of a login answer in ms (-1: never), from the body or the `X-JOC-Timeout` header. */
function loginSessionTimeout(reply: JocReply): number {
  const body = reply.json as { sessionTimeout?: unknown } | undefined;
  const fromBody = body?.sessionTimeout;
  if (typeof fromBody === 'number' && Number.isInteger(fromBody) && fromBody !== 0) return fromBody;
  const header = Number(reply.headers['x-joc-timeout']);
  return Number.isInteger(header) && header !== 0 ? header : DEFAULT_SESSION_TIMEOUT_MS;
}
