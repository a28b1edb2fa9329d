import { COLLECTORS, ordersOverview, type RunnableCollector, type SchedulerScope } from './collectors';
import { DEFAULT_ORDER_STATES, type JobSchedulerConfig, type JocConfig } from './config/types';
import { JocAbortedError, JocError, JocLoginBackoffError, JocPermissionError } from './joc/errors';
import type { JocSession } from './joc/session';
import type { JocApiV1 } from './joc/v1/api';
import type { Logger } from './logger';
import { JOBSCHEDULER_UP, JOC_UP, type Sample } from './metrics/families';
import type { SelfMetrics } from './metrics/self';
import { createLimiter } from './util/limit';

/** What the last poll of one JobScheduler id found. */
export interface SchedulerPollResult {
  readonly id: string;
  /** The order snapshot arrived (`jobscheduler_up`). */
  readonly up: boolean;
  /** Every request for this id succeeded. */
  readonly complete: boolean;
  /** `<collector>: <error>` for each failed request. */
  readonly errors: readonly string[];
}

/** What the last poll of one JOC Cockpit instance found; the data series are rebuilt from it. */
export interface JocPollResult {
  readonly joc: string;
  readonly finishedAt: number;
  readonly durationSeconds: number;
  /** `jobscheduler_joc_up`. */
  readonly up: boolean;
  /** Why the JOC is down, when it is. */
  readonly error: string | null;
  readonly schedulers: readonly SchedulerPollResult[];
  /** Every data sample of this JOC, `jobscheduler_joc_up` included. */
  readonly samples: readonly Sample[];
}

export interface JocPollerOptions {
  readonly config: JocConfig;
  readonly session: JocSession;
  readonly api: JocApiV1;
  readonly metrics: SelfMetrics;
  readonly logger: Logger;
  /** Requests in flight at once during one poll. */
  readonly concurrency?: number;
  readonly now?: () => number;
}

type Outcome = { readonly samples: Sample[] } | { readonly error: Error };

/** The key of a failure of the whole JOC in the last-errors map (collector keys hold a `/`). */
const JOC_ERROR_KEY = 'joc';

/**
 * One poll of one JOC Cockpit instance: make sure the session is alive, find the JobScheduler
 * ids, run every enabled collector of every id concurrently (bounded), and turn the answers into
 * a `JocPollResult`. It owns failure: a failed request is logged and leaves its series out, never
 * stops its siblings, and never throws.
 */
export class JocPoller {
  readonly #o: JocPollerOptions;
  readonly #now: () => number;
  readonly #limit: <T>(task: () => Promise<T>) => Promise<T>;
  /**
   * Last failure state (JocError.state) per `<id>/<collector>`, and of the JOC as a whole under
   * JOC_ERROR_KEY, so a failure that repeats every poll is logged once at warn, and again only
   * when it changes or after it has cleared.
   */
  readonly #lastErrors = new Map<string, string>();
  /** Ids that have had a last-success timestamp, to forget those JOC stops listing. */
  readonly #knownIds = new Set<string>();

  constructor(options: JocPollerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#limit = createLimiter(options.concurrency ?? 4);
  }

  async poll(): Promise<JocPollResult> {
    const started = this.#now();
    const { config, session, metrics, logger } = this.#o;
    let result: JocPollResult;
    try {
      await session.ensure();
      const schedulers = await this.#schedulers();
      result = await this.#pollSchedulers(schedulers, started);
    } catch (err) {
      result = this.#down(started, err as Error);
    }
    metrics.pollDuration.set({ joc: config.name }, result.durationSeconds);
    logger.debug(
      { up: result.up, durationSeconds: result.durationSeconds, samples: result.samples.length },
      'poll finished',
    );
    return result;
  }

  /** The configured JobSchedulers, or those `jobscheduler/ids` lists (with default settings). */
  async #schedulers(): Promise<readonly JobSchedulerConfig[]> {
    const configured = this.#o.config.jobschedulers;
    if (configured) return configured;
    const answer = await this.#o.api.jobschedulerIds();
    const ids = [...new Set(answer.jobschedulerIds)];
    return ids.map((id) => ({ id, orderStates: DEFAULT_ORDER_STATES, jobChains: [], jobs: [] }));
  }

  async #pollSchedulers(schedulers: readonly JobSchedulerConfig[], started: number): Promise<JocPollResult> {
    const joc = this.#o.config.name;
    const runs = schedulers.map((scheduler) => {
      const scope: SchedulerScope = { joc, scheduler };
      const enabled = COLLECTORS.filter((c) => c.enabled(scope));
      return { scope, enabled, outcomes: Promise.all(enabled.map((c) => this.#run(c, scope))) };
    });
    const samples: Sample[] = [];
    const results: SchedulerPollResult[] = [];
    // In discovery mode jobscheduler/ids has answered already.
    let answered = this.#o.config.jobschedulers === null;
    let firstError: Error | undefined;
    const done: Array<{ collector: RunnableCollector; scope: SchedulerScope; outcome: Outcome }> = [];
    for (const run of runs) {
      const outcomes = await run.outcomes;
      const errors: string[] = [];
      let up = false;
      const schedulerSamples: Sample[] = [];
      outcomes.forEach((outcome, i) => {
        const collector = run.enabled[i]!;
        done.push({ collector, scope: run.scope, outcome });
        if ('samples' in outcome) {
          answered = true;
          for (const sample of outcome.samples) schedulerSamples.push(sample);
          if (collector.name === ordersOverview.name) up = true;
        } else {
          if (outcome.error instanceof JocError && outcome.error.answered) answered = true;
          firstError ??= outcome.error;
          errors.push(`${collector.name}: ${outcome.error.message}`);
        }
      });
      const labels = { joc, jobscheduler_id: run.scope.scheduler.id };
      samples.push({ family: JOBSCHEDULER_UP, labels, value: up ? 1 : 0 });
      for (const sample of schedulerSamples) samples.push(sample);
      results.push({ id: run.scope.scheduler.id, up, complete: errors.length === 0, errors });
    }
    // No answer at all: one failure of the whole JOC, logged once, not one more per request.
    if (!answered) return this.#down(started, firstError ?? new Error('no answer'));
    for (const { collector, scope, outcome } of done) this.#report(collector, scope, outcome);
    if (this.#lastErrors.delete(JOC_ERROR_KEY)) this.#o.logger.info('JOC Cockpit answers again');
    const finished = this.#now();
    for (const r of results) {
      if (r.complete) {
        this.#o.metrics.lastPollSuccess.set({ joc, jobscheduler_id: r.id }, finished / 1000);
        this.#knownIds.add(r.id);
      }
    }
    this.#forgetVanished(new Set(results.map((r) => r.id)));
    return {
      joc,
      finishedAt: finished,
      durationSeconds: (finished - started) / 1000,
      up: true,
      error: null,
      schedulers: results,
      samples: [{ family: JOC_UP, labels: { joc }, value: 1 }, ...samples],
    };
  }

  async #run(collector: RunnableCollector, scope: SchedulerScope): Promise<Outcome> {
    try {
      return { samples: await this.#limit(() => collector.collect(this.#o.api, scope)) };
    } catch (err) {
      return { error: err as Error };
    }
  }

  /** Logs a request's failure when its state is new (warn) or its recovery (info); repeats at debug. */
  #report(collector: RunnableCollector, scope: SchedulerScope, outcome: Outcome): void {
    const key = `${scope.scheduler.id}/${collector.name}`;
    const logger = this.#o.logger;
    if ('samples' in outcome) {
      if (this.#lastErrors.delete(key)) logger.info({ jobscheduler_id: scope.scheduler.id, collector: collector.name }, 'request recovered');
      return;
    }
    const { error } = outcome;
    const repeated = this.#failedBefore(key, error);
    const quiet = repeated || error instanceof JocPermissionError || error instanceof JocAbortedError;
    logger[quiet ? 'debug' : 'warn'](
      { jobscheduler_id: scope.scheduler.id, collector: collector.name, endpoint: collector.endpoint, err: error.message },
      'request failed; its series are left out of /metrics until it succeeds',
    );
  }

  /** Records the failure state of `key`; true when the last poll failed the same way (then it is not logged at warn again). */
  #failedBefore(key: string, error: Error): boolean {
    const state = error instanceof JocError ? error.state : error.message;
    const repeated = this.#lastErrors.get(key) === state;
    this.#lastErrors.set(key, state);
    return repeated;
  }

  /** Drops the last-success timestamps of ids JOC no longer lists (discovery mode). */
  #forgetVanished(current: ReadonlySet<string>): void {
    for (const id of this.#knownIds) {
      if (current.has(id)) continue;
      this.#o.metrics.forgetJobScheduler(this.#o.config.name, id);
      this.#knownIds.delete(id);
    }
  }

  #down(started: number, error: Error): JocPollResult {
    const joc = this.#o.config.name;
    const finished = this.#now();
    const repeated = this.#failedBefore(JOC_ERROR_KEY, error);
    // The requests' own states start afresh when JOC is back.
    for (const key of this.#lastErrors.keys()) if (key !== JOC_ERROR_KEY) this.#lastErrors.delete(key);
    const quiet = repeated || error instanceof JocAbortedError || error instanceof JocLoginBackoffError;
    this.#o.logger[quiet ? 'debug' : 'warn']({ err: error.message }, 'JOC Cockpit poll failed; its data series are left out of /metrics');
    return {
      joc,
      finishedAt: finished,
      durationSeconds: (finished - started) / 1000,
      up: false,
      error: error.message,
      schedulers: [],
      samples: [{ family: JOC_UP, labels: { joc }, value: 0 }],
    };
  }
}
