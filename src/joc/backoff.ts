/** How long to wait before the next login after failures, in ms. */
export interface BackoffPolicy {
  /** Wait after the first failure. */
  readonly initialMs: number;
  /** Cap after refused credentials (401/403): slow, so a wrong password cannot lock the account. */
  readonly authMaxMs: number;
  /** Cap after other failures (network, 5xx, 420): JOC is probably back soon. */
  readonly transientMaxMs: number;
}

export const DEFAULT_LOGIN_BACKOFF: BackoffPolicy = { initialMs: 5_000, authMaxMs: 300_000, transientMaxMs: 60_000 };

/** Exponential backoff for logins: the wait doubles with each failure up to a cap, and resets on success. */
export class LoginBackoff {
  readonly #policy: BackoffPolicy;
  #failures = 0;
  #notBefore = 0;
  #lastError: Error | undefined;

  constructor(policy: BackoffPolicy = DEFAULT_LOGIN_BACKOFF) {
    this.#policy = policy;
  }

  /** Records a failed login at `now`; returns the wait before the next attempt. */
  fail(now: number, kind: 'auth' | 'transient', error: Error): number {
    this.#failures += 1;
    this.#lastError = error;
    const cap = kind === 'auth' ? this.#policy.authMaxMs : this.#policy.transientMaxMs;
    const wait = Math.min(cap, this.#policy.initialMs * 2 ** (this.#failures - 1));
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
