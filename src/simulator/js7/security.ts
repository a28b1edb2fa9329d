/**
 * `authentication/login`, `authentication/logout` and `touch` of JOC 2.x (JS7-NOTES §1):
 * - login takes HTTP Basic (the body is ignored) and answers the token in the body's
 *   `accessToken` and in the `X-Access-Token` header, the idle timeout in ms in `sessionTimeout`
 *   and `X-JOC-Timeout`; wrong credentials are answered 401 "Access denied" only after a delay
 *   (JOC's brute-force delay: 2 s for the first two failures of an account or address, then more,
 *   up to 30 s; configurable, see `Js7SimulatorOptions.loginDelay`);
 * - logout needs the token header (420 without), and is 200 for any token;
 * - touch resets the idle timer of a valid session; a gone session is 440, like a data call.
 */
import type { IncomingMessage } from 'node:http';
import type { Reply } from '../http-core';
import { decodeBasic } from '../security';
import type { SessionLookup } from '../sessions';
import { header } from '../shapes';
import type { Js7Core } from './server';
import { fail420, iso, js7SecurityBody, JS7_CODES, JS7_MESSAGES } from './shapes';

export interface LoginDelay {
  /** Delay of the first two failures, ms (JOC: 2000). */
  firstMs: number;
  /** The longest delay, ms (JOC: 30000). */
  maxMs: number;
}

export const JOC_LOGIN_DELAY: LoginDelay = { firstMs: 2000, maxMs: 30_000 };

/** Failed logins per account and per caller address, reset by a successful login. */
export class FailedLogins {
  readonly #count = new Map<string, number>();

  constructor(private readonly delay: LoginDelay, private readonly random: () => number) {}

  /** Counts a failure of `account` from `address`; returns how long JOC waits before it answers. */
  fail(account: string, address: string): number {
    const keys = [`a:${account}`, `i:${address}`];
    let n = 0;
    for (const k of keys) {
      const next = (this.#count.get(k) ?? 0) + 1;
      this.#count.set(k, next);
      n = Math.max(n, next);
    }
    const { firstMs, maxMs } = this.delay;
    if (n <= 2) return firstMs;
    // Then randomised, growing with the failures, at most maxMs.
    const top = Math.min(maxMs, firstMs * (n - 1));
    return Math.round(firstMs + this.random() * Math.max(0, top - firstMs));
  }

  succeed(account: string, address: string): void {
    this.#count.delete(`a:${account}`);
    this.#count.delete(`i:${address}`);
  }
}

function callerAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export async function login(core: Js7Core, req: IncomingMessage): Promise<Reply | undefined> {
  const credentials = req.headers.authorization === undefined ? undefined : decodeBasic(req.headers.authorization);
  if (!credentials) {
    core.stats.failedLogins++;
    return fail420(core.now(), JS7_CODES.DEFAULT, JS7_MESSAGES.basicExpected);
  }
  const { user, password } = credentials;
  const caller = callerAddress(req);
  if (!Object.prototype.hasOwnProperty.call(core.users, user) || core.users[user] !== password) {
    core.stats.failedLogins++;
    const wait = core.failedLogins.fail(user, caller);
    if (!(await core.sleep(wait))) return undefined;
    return { status: 401, body: js7SecurityBody({ account: user, accessToken: '', isAuthenticated: false, message: JS7_MESSAGES.accessDenied }) };
  }
  core.failedLogins.succeed(user, caller);
  const session = core.sessions.create(user);
  core.stats.logins++;
  return {
    status: 200,
    body: js7SecurityBody({
      account: user,
      accessToken: session.accessToken,
      isAuthenticated: true,
      hasRole: true,
      role: 'application_manager',
      identityService: 'JOC:JOC',
      sessionTimeout: session.timeoutMs,
      callerIpAddress: caller,
      callerHostName: caller,
    }),
    headers: { 'X-Access-Token': session.accessToken, 'X-JOC-Timeout': String(session.timeoutMs) },
  };
}

export function logout(core: Js7Core, req: IncomingMessage): Reply {
  const token = header(req.headers, 'x-access-token');
  if (token === undefined) return fail420(core.now(), JS7_CODES.DEFAULT, JS7_MESSAGES.tokenExpected);
  const session = core.sessions.remove(token);
  core.stats.logouts++;
  return { status: 200, body: js7SecurityBody({ account: session?.user ?? '', accessToken: '', isAuthenticated: false }) };
}

/** The answer for a session that is not valid (unknown, missing, idled out, or forced by `expireSessions`). */
export function sessionGone(core: Js7Core, found: Exclude<SessionLookup, { kind: 'valid' }>): Reply {
  if (found.kind === 'expired') {
    const { session } = found;
    if (found.shape === '401') {
      return { status: 401, body: js7SecurityBody({ account: session.user, accessToken: session.accessToken, isAuthenticated: false, message: JS7_MESSAGES.authenticationFailure }) };
    }
    if (found.shape === '420') return fail420(core.now(), JS7_CODES.DEFAULT, JS7_MESSAGES.unknownSession(session.accessToken));
    core.sessions.remove(session.accessToken);
  }
  return { status: 440, body: js7SecurityBody({ isAuthenticated: false, message: JS7_MESSAGES.sessionExpired }), headers: { 'Cache-Control': 'no-cache, no-store, must-revalidate' } };
}

/** `touch` (also with the legacy `access_token` header). */
export function touch(core: Js7Core, req: IncomingMessage): Reply {
  const token = header(req.headers, 'x-access-token') ?? header(req.headers, 'access_token');
  const found = core.sessions.touch(token);
  if (found.kind !== 'valid') return sessionGone(core, found);
  core.stats.touches++;
  return { status: 200, body: { deliveryDate: iso(core.now()), ok: true } };
}
