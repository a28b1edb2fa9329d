/**
 * exporter-toolkit's `rate_limit` (golang.org/x/time/rate's Limiter.Allow): a bucket of `burst`
 * tokens, refilled by one every `intervalMs`; a request takes a token or is answered 429. As in Go,
 * `burst: 0` allows nothing.
 */
export class RateLimiter {
  readonly #intervalMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(limit: { readonly intervalMs: number; readonly burst: number }, now: () => number = () => performance.now()) {
    this.#intervalMs = limit.intervalMs;
    this.#burst = limit.burst;
    this.#now = now;
    this.#tokens = limit.burst;
    this.#last = now();
  }

  allow(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) / this.#intervalMs);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
