import { createHash } from 'node:crypto';
import type { WebConfig } from './config/types';
import { loadWebConfigFile } from './config/web-config';
import type { Logger } from './logger';

/** How often the web config file, and every file it names, is read again. */
export const WEB_CONFIG_RELOAD_MS = 1_000;

/**
 * Changes to the web config take effect without a restart, as in exporter-toolkit (which reads
 * the file again at every TLS handshake and request): every WEB_CONFIG_RELOAD_MS the file and the
 * certificates, keys and CAs it names are read and validated again, and a result that differs
 * from the one in use is applied to new connections and requests. A file that has become invalid
 * keeps the last good configuration and logs why, once per distinct set of problems.
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

  constructor(path: string, current: WebConfig, apply: (web: WebConfig) => void, logger: Logger) {
    this.#path = path;
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
      const result = await loadWebConfigFile(this.#path);
      if (!this.#timer) return; // stopped meanwhile
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

/** A digest of everything a web config sets (hashes and keys included, so never logged). */
function fingerprint(web: WebConfig): string {
  const plain = { ...web, basicAuthUsers: [...web.basicAuthUsers] };
  return createHash('sha256').update(JSON.stringify(plain)).digest('hex');
}
