import { createHash } from 'node:crypto';
import type bcryptjs from 'bcryptjs';

/**
 * bcryptjs, loaded on first use: only a web config with basic_auth_users needs it, and a module
 * loaded stays in memory for the life of the process.
 */
let loaded: typeof bcryptjs | null = null;
function bcrypt(): typeof bcryptjs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('bcryptjs') as typeof bcryptjs;
  return loaded;
}

/** Verified (user, password) pairs kept, as exporter-toolkit does: bcrypt costs ~70 ms per check. */
const CACHE_LIMIT = 100;

/**
 * HTTP basic auth against exporter-toolkit's `basic_auth_users` (user → bcrypt hash).
 * A successful check is cached by a SHA-256 of user, password and hash, never the password itself.
 */
export class BasicAuth {
  readonly #users: ReadonlyMap<string, string>;
  readonly #verified = new Set<string>();
  /** Compared against when the user is unknown, so unknown users take as long as known ones. */
  readonly #dummyHash: string;

  constructor(users: ReadonlyMap<string, string>) {
    this.#users = users;
    this.#dummyHash = bcrypt().hashSync('not a password', Math.max(4, ...[...users.values()].map(bcryptCost)));
  }

  async check(header: string | undefined): Promise<boolean> {
    const credentials = parseBasic(header);
    if (!credentials) return false;
    const hash = this.#users.get(credentials.user);
    const key = createHash('sha256').update(`${credentials.user}\0${credentials.password}\0${hash ?? ''}`).digest('hex');
    if (hash && this.#verified.has(key)) return true;
    const ok = await bcrypt().compare(credentials.password, hash ?? this.#dummyHash);
    if (!ok || !hash) return false;
    if (this.#verified.size >= CACHE_LIMIT) this.#verified.clear();
    this.#verified.add(key);
    return true;
  }
}

/** The cost factor of a bcrypt hash (`$2b$10$...` → 10). */
function bcryptCost(hash: string): number {
  return Number(/^\$2[aby]?\$(\d\d)\$/.exec(hash)?.[1] ?? 10);
}

function parseBasic(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
