import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { WebConfig } from './config/types';
import { loadWebConfigFile } from './config/web-config';
import type { Logger } from './logger';

/** How often the web config file, and every file it names, is read again. */
export const WEB_CONFIG_RELOAD_MS = 1_000;

/**
 * Changes to the web config take effect without a restart, as in exporter-toolkit (which reads
 * the file again at every TLS handshake and request): every WEB_CONFIG_RELOAD_MS the file and the
 * certificates, keys and CAs it names are read again, validated again when one of them changed,
 * and a result that differs from the one in use is applied to new connections and requests. A
 * file that has become invalid keeps the last good configuration and logs why, once per distinct
 * set of problems.
 */
export class WebConfigWatch {
  readonly #path: string;
  readonly #apply: (web: WebConfig) => void;
  readonly #logger: Logger;
  #fingerprint: string;
  #lastProblems = '';
  /** A valid file that could not be applied: logged once, tried again only when it changes. */
  #failed = '';
  #timer: NodeJS.Timeout | null = null;
  #checking = false;
  /**
   * The texts of the files the last valid result was made from: while they read the same, the
   * result would too, and validating it again (YAML, the schema, X.509 and key checks: some 6 ms
   * of CPU with TLS and client CAs) is skipped. null: validate at the next check.
   */
  #inputs: ReadonlyMap<string, string> | null = null;

  readonly #load: typeof loadWebConfigFile;

  /** `load` reads and validates the file (loadWebConfigFile; a test counts its calls). */
  constructor(path: string, current: WebConfig, apply: (web: WebConfig) => void, logger: Logger, load = loadWebConfigFile) {
    this.#path = path;
    this.#load = load;
    this.#apply = apply;
    this.#logger = logger;
    this.#fingerprint = fingerprint(current);
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.check(), WEB_CONFIG_RELOAD_MS).unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Reads the file once; applies it when valid and changed. */
  async check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      if (this.#inputs && (await unchanged(this.#inputs))) return;
      const result = await this.#load(this.#path);
      if (!this.#timer) return; // stopped meanwhile
      // An invalid file may name a file that is not there yet: all of it is read and validated again.
      this.#inputs = result.ok ? result.inputs : null;
      if (!result.ok) {
        const problems = result.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
        if (problems.join('\n') !== this.#lastProblems) {
          this.#logger.error({ file: this.#path, problems }, 'web config file is invalid; the last valid one stays in use');
        }
        this.#lastProblems = problems.join('\n');
        return;
      }
      this.#lastProblems = '';
      const next = fingerprint(result.web);
      if (next === this.#fingerprint || next === this.#failed) return;
      try {
        this.#apply(result.web);
      } catch (error) {
        // Node refused what the checks let through (e.g. a key type its OpenSSL does not take).
        this.#logger.error({ file: this.#path, err: (error as Error).message }, 'web config file cannot be applied; the last valid one stays in use');
        this.#failed = next;
        return;
      }
      this.#fingerprint = next;
      this.#logger.info({ file: this.#path }, 'web config file reloaded');
    } finally {
      this.#checking = false;
    }
  }
}

/** Whether every file still holds the text it held (a file that cannot be read has changed). */
async function unchanged(inputs: ReadonlyMap<string, string>): Promise<boolean> {
  for (const [path, text] of inputs) {
    const now = await readFile(path, 'utf8').catch(() => null);
    if (now !== text) return false;
  }
  return true;
}

/** A digest of everything a web config sets (hashes and keys included, so never logged). */
function fingerprint(web: WebConfig): string {
  const plain = { ...web, basicAuthUsers: [...web.basicAuthUsers] };
  return createHash('sha256').update(JSON.stringify(plain)).digest('hex');
}
