import type { z } from 'zod';
import type { Logger } from '../logger';
import type { SelfMetrics } from '../metrics/self';
import type { PostOptions } from './http';
import { JocAnswerError } from './errors';
import type { JocSession } from './session';

/**
 * One data call of either API flavour: POST through the session, then the answer checked against
 * its shape. An answer that does not fit is counted (`jobscheduler_exporter_invalid_answers_total`),
 * logged at debug, and thrown as JocAnswerError; it never reaches the collectors. The flavours'
 * API clients (v1/api.ts, js7/api.ts) only name endpoints, bodies and shapes.
 */
export class JocCaller {
  readonly #session: JocSession;
  readonly #metrics: SelfMetrics;
  readonly #joc: string;
  readonly #logger: Logger;

  constructor(session: JocSession, metrics: SelfMetrics, joc: string, logger: Logger) {
    this.#session = session;
    this.#metrics = metrics;
    this.#joc = joc;
    this.#logger = logger;
  }

  /** The JOC's logger, for what an API client notes once (an endpoint an older JOC lacks). */
  get logger(): Logger {
    return this.#logger;
  }

  async call<S extends z.ZodType>(endpoint: string, body: object, schema: S, options?: PostOptions): Promise<z.infer<S>> {
    const json = await this.#session.request(endpoint, body, options);
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    this.#metrics.invalidAnswers.inc({ joc: this.#joc, endpoint });
    const problem =
      json === undefined
        ? 'the body is not JSON'
        : parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
            .join('; ');
    this.#logger.debug({ endpoint, issues: parsed.error.issues.length }, 'invalid answer from JOC Cockpit');
    throw new JocAnswerError(endpoint, problem);
  }
}
