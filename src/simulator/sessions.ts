/**
 * JOC 1.13 sessions as the simulator models them (NOTES §2, §3):
 * - a login creates a session with a UUID token and an idle timeout in ms (-1 = never);
 * - only login and `/touch` reset the idle timer; data reads do NOT (NOTES §2.4);
 * - a session idles out when its last access is more than `timeoutMs` ago (Shiro's rule:
 *   lastAccess < now - timeout); once expired it stays expired (Shiro does not revive it);
 * - an expired session stays known to "JOC's user list" until logout or restart, which is why the
 *   default idle-expiry answer is the 401 of NOTES §3.2b. Other shapes can be chosen per session.
 * The clock is injected, so tests need not sleep.
 */
import { randomUUID } from 'node:crypto';

/** Which answer an expired session gets on a data call: NOTES §3.2 (b) 401, (a) 440, (c) 420. */
export type ExpiryShape = '401' | '440' | '420';

export interface Session {
  readonly user: string;
  readonly accessToken: string;
  readonly timeoutMs: number;
  readonly loginTime: number;
  lastAccessTime: number;
  /** Set when the session is found idle, or forced by `expireAll`. */
  expired: boolean;
  /** Shape forced by `expireAll`; otherwise the store's default applies. */
  expiryShape?: ExpiryShape;
}

export type SessionLookup =
  | { kind: 'unknown' }
  | { kind: 'valid'; session: Session }
  | { kind: 'expired'; session: Session; shape: ExpiryShape };

export interface SessionInfo {
  user: string;
  accessToken: string;
  loginTime: number;
  lastAccessTime: number;
  timeoutMs: number;
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => number,
    public timeoutMs: number,
    public defaultExpiryShape: ExpiryShape = '401',
  ) {}

  create(user: string): Session {
    const t = this.now();
    const session: Session = {
      user, accessToken: randomUUID(), timeoutMs: this.timeoutMs, loginTime: t, lastAccessTime: t, expired: false,
    };
    this.#sessions.set(session.accessToken, session);
    return session;
  }

  /** Looks a token up WITHOUT touching it (what a data resource does, NOTES §2.4). */
  lookup(token: string | undefined): SessionLookup {
    const session = token === undefined ? undefined : this.#sessions.get(token);
    if (!session) return { kind: 'unknown' };
    if (!session.expired && this.isIdle(session)) session.expired = true;
    if (!session.expired) return { kind: 'valid', session };
    return { kind: 'expired', session, shape: session.expiryShape ?? this.defaultExpiryShape };
  }

  /** `/touch`: resets the idle timer of a valid session. */
  touch(token: string | undefined): SessionLookup {
    const found = this.lookup(token);
    if (found.kind === 'valid') found.session.lastAccessTime = this.now();
    return found;
  }

  /** Logout and the 440 "purged" shape: the session is gone. */
  remove(token: string): Session | undefined {
    const session = this.#sessions.get(token);
    this.#sessions.delete(token);
    return session;
  }

  /** Every current session gets `shape` on its next data call; '440' means purged, so they are removed. */
  expireAll(shape: ExpiryShape): void {
    for (const session of this.#sessions.values()) {
      session.expired = true;
      session.expiryShape = shape;
    }
    if (shape === '440') this.#sessions.clear();
  }

  /** A JOC restart: all tokens are forgotten. */
  clear(): void {
    this.#sessions.clear();
  }

  active(): SessionInfo[] {
    return [...this.#sessions.values()]
      .filter((s) => !s.expired && !this.isIdle(s))
      .map(({ user, accessToken, loginTime, lastAccessTime, timeoutMs }) => ({ user, accessToken, loginTime, lastAccessTime, timeoutMs }));
  }

  private isIdle(session: Session): boolean {
    return session.timeoutMs >= 0 && session.lastAccessTime < this.now() - session.timeoutMs;
  }
}

/** Shiro's ExpiredSessionException text (NOTES §3.2c). */
export function expiredSessionText(session: Session, now: number): string {
  const seconds = Math.floor(session.timeoutMs / 1000);
  return `Session with id [${session.accessToken}] has expired. Last access time: ${new Date(session.lastAccessTime).toISOString()}. `
    + `Current time: ${new Date(now).toISOString()}. Session timeout is set to ${seconds} seconds (${Math.floor(seconds / 60)} minutes)`;
}
