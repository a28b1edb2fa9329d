/** How long to wait before the next login after failures, in ms. */
export interface BackoffPolicy {
  /** Wait after the first failure. */
  readonly initialMs: number;
  /** Cap after refused credentials (401/403): slow, so a wrong password cannot lock the account. */
  readonly authMaxMs: number;
  /** Cap after other failures (network, 5xx, 420): JOC is probably back soon. */
  readonly transientMaxMs: number;
  /**
   * Share of each wait taken off at random, 0 to 1 (default 0): exporters restarted together,
   * or several JOC instances behind one proxy, do not keep logging in in step.
   */
  readonly jitter?: number;
}

/**
 * 5 s, doubling with each failure, 20 % jitter. A wrong password or a locked account backs off
 * to 5 minutes: at most 12 attempts an hour, far below what locks an account. Other failures stop
 * at 30 s, or at the poll interval when that is shorter (see LoginBackoff.fail), so a JOC that
 * comes back is logged in to again on the next poll.
 */
export const DEFAULT_LOGIN_BACKOFF: BackoffPolicy = { initialMs: 5_000, authMaxMs: 300_000, transientMaxMs: 30_000, jitter: 0.2 };

/** Exponential backoff for logins: the wait doubles with each failure up to a cap, and resets on success. */
export class LoginBackoff {
  readonly #policy: BackoffPolicy;
  readonly #random: () => number;
  #failures = 0;
  #notBefore = 0;
  #lastError: Error | undefined;

  constructor(policy: BackoffPolicy = DEFAULT_LOGIN_BACKOFF, random: () => number = Math.random) {
    const jitter = policy.jitter ?? 0;
    if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`jitter must be from 0 to 1, got ${jitter}`);
    this.#policy = policy;
    this.#random = random;
  }

  /**
   * Records a failed login at `now`; returns the wait before the next attempt. `transientCapMs`
   * lowers the cap of a transient failure (the poll interval: a JOC that is back is logged in to
   * on the next poll); refused credentials keep their cap, whatever the schedule.
   */
  fail(now: number, kind: 'auth' | 'transient', error: Error, transientCapMs = Number.POSITIVE_INFINITY): number {
    this.#failures += 1;
    this.#lastError = error;
    const cap = kind === 'auth' ? this.#policy.authMaxMs : Math.min(this.#policy.transientMaxMs, transientCapMs);
    const base = Math.min(cap, this.#policy.initialMs * 2 ** (this.#failures - 1));
    const wait = Math.round(base * (1 - (this.#policy.jitter ?? 0) * this.#random()));
    this.#notBefore = now + wait;
    return wait;
  }

  succeed(): void {
    this.#failures = 0;
    this.#notBefore = 0;
    this.#lastError = undefined;
  }

  /** Milliseconds left before a login may be tried; 0 when it may be tried now. */
  remainingMs(now: number): number {
    return Math.max(0, this.#notBefore - now);
  }

  get lastError(): Error | undefined {
    return this.#lastError;
  }

  get failures(): number {
    return this.#failures;
  }
}
