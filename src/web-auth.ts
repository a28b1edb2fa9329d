import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { BcryptPool } from './bcrypt-pool';

/** Verified (user, password, hash) triples kept; only someone who knows a password can add one. */
const VERIFIED_LIMIT = 100;
/**
 * Refused triples kept, apart from the verified ones so that a flood of wrong passwords cannot
 * push a valid user out of the cache; a wrong password sent again costs no hash.
 */
const REFUSED_LIMIT = 1_000;

export type AuthResult = 'ok' | 'refused' | 'busy';

/**
 * HTTP basic auth against exporter-toolkit's `basic_auth_users` (user → bcrypt hash), checked on
 * the bcrypt worker pool. Results are cached by a SHA-256 of user, password and hash, never the
 * password itself, and a check already running for the same triple is shared. An unknown user is
 * checked against a dummy hash of the cost most users have, so it takes as long as a wrong
 * password (no user enumeration by timing).
 */
export class BasicAuth {
  readonly #users: ReadonlyMap<string, string>;
  readonly #pool: BcryptPool;
  readonly #verified = new Map<string, true>();
  readonly #refused = new Map<string, true>();
  readonly #running = new Map<string, Promise<AuthResult | 'dropped'>>();
  readonly #dummyHash: string;

  constructor(users: ReadonlyMap<string, string>, pool: BcryptPool) {
    this.#users = users;
    this.#pool = pool;
    this.#dummyHash = dummyHash(usualCost([...users.values()]));
  }

  /** Checks an `Authorization` header; `signal` aborts a check still waiting for a worker. */
  async check(header: string | undefined, signal?: AbortSignal): Promise<AuthResult> {
    const credentials = parseBasic(header);
    if (!credentials) return 'refused';
    const hash = this.#users.get(credentials.user);
    const key = createHash('sha256')
      .update(`${credentials.user.length}:${credentials.user}\0${hash ?? ''}\0${credentials.password}`)
      .digest('hex');
    if (hash && touch(this.#verified, key)) return 'ok';
    if (touch(this.#refused, key)) return 'refused';
    let running = this.#running.get(key);
    if (!running) {
      running = this.#verify(key, credentials.password, hash, signal);
      this.#running.set(key, running);
      void running.finally(() => this.#running.delete(key));
    }
    const result = await running;
    if (result !== 'dropped') return result;
    // The client that started the shared check went away before its turn: check anew for this one.
    return signal?.aborted ? 'refused' : this.check(header, signal);
  }

  async #verify(key: string, password: string, hash: string | undefined, signal?: AbortSignal): Promise<AuthResult | 'dropped'> {
    const result = await this.#pool.compare(password, hash ?? this.#dummyHash, signal);
    if (result === 'busy') return 'busy';
    if (signal?.aborted) return 'dropped'; // unchecked: nothing to remember
    if (result && hash) {
      remember(this.#verified, key, VERIFIED_LIMIT);
      return 'ok';
    }
    remember(this.#refused, key, REFUSED_LIMIT);
    return 'refused';
  }
}

/** True when `key` is cached; moves it to the most recently used end. */
function touch(cache: Map<string, true>, key: string): boolean {
  if (!cache.delete(key)) return false;
  cache.set(key, true);
  return true;
}

/** Adds `key`, dropping the least recently used entry beyond `limit`. */
function remember(cache: Map<string, true>, key: string, limit: number): void {
  cache.set(key, true);
  if (cache.size > limit) cache.delete(cache.keys().next().value!);
}

/** The cost factor of a bcrypt hash (`$2b$10$...` → 10). */
export function bcryptCost(hash: string): number {
  return Number(/^\$2[aby]?\$(\d\d)\$/.exec(hash)?.[1] ?? 10);
}

/** The cost most of `hashes` have (the higher one on a tie); 10, htpasswd's default, for none. */
export function usualCost(hashes: readonly string[]): number {
  const counts = new Map<number, number>();
  for (const hash of hashes) counts.set(bcryptCost(hash), (counts.get(bcryptCost(hash)) ?? 0) + 1);
  let best = 10;
  let bestCount = 0;
  for (const [cost, count] of counts) {
    if (count > bestCount || (count === bestCount && cost > best)) [best, bestCount] = [cost, count];
  }
  return best;
}

/**
 * A well-formed bcrypt hash of `cost` that no password matches (a fresh salt and a random digest),
 * made without hashing, so a cost-18 user delays nothing at start-up.
 */
function dummyHash(cost: number): string {
  const salted = bcrypt.genSaltSync(cost); // `$2b$NN$` and 22 salt characters, no hashing
  const digest = bcrypt.genSaltSync(4).slice(7) + bcrypt.genSaltSync(4).slice(7, 16);
  return salted + digest;
}

/** Standard base64 with canonical padding only, as Go's base64.StdEncoding decodes it. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `Basic <base64 of user:password>`, as Go's Request.BasicAuth reads it. */
export function parseBasic(header: string | undefined): { user: string; password: string } | null {
  if (!header || header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ') return null;
  const encoded = header.slice(6);
  if (!STRICT_BASE64.test(encoded)) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
