import {
  OBJECT_LABEL,
  type Collected,
  type MissingObjects,
  type ObjectKind,
  type RunnableCollector,
  type SchedulerScope,
} from './collectors/types';
import type { JocConfig, SchedulerConfig } from './config/types';
import type { PollPlan } from './flavours/types';
import { JocAbortedError, JocError, JocLoginBackoffError, JocPermissionError } from './joc/errors';
import type { JocSession } from './joc/session';
import type { Logger } from './logger';
import { CONFIGURED_OBJECTS_MISSING, JOBSCHEDULER_UP, JOC_INFO, JOC_UP, type Sample } from './metrics/families';
import type { SelfMetrics } from './metrics/self';
import { createLimiter } from './util/limit';

/** What the last poll of one scheduler (a 1.x JobScheduler ID or a JS7 Controller ID) found. */
export interface SchedulerPollResult {
  readonly id: string;
  /** The order snapshot arrived (`jobscheduler_up`). */
  readonly up: boolean;
  /** Every request for this id succeeded, or was denied to an optional group (Collector.optional). */
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

export interface JocPollerOptions<Api, C extends SchedulerConfig> {
  readonly config: JocConfig;
  readonly session: JocSession;
  /** The API flavour's client, schedulers and collectors. */
  readonly plan: PollPlan<Api, C>;
  readonly metrics: SelfMetrics;
  readonly logger: Logger;
  /** Requests in flight at once during one poll. */
  readonly concurrency?: number;
  readonly now?: () => number;
}

type Outcome = Collected | { readonly error: Error };

/** The key of a failure of the whole JOC in the last-errors map (collector keys hold a `/`). */
const JOC_ERROR_KEY = 'joc';

/** The samples of one scheduler from its collectors' outcomes. */
interface SchedulerRun<C extends SchedulerConfig> {
  readonly scope: SchedulerScope<C>;
  readonly up: boolean;
  readonly errors: string[];
  /** No request failed but an optional group's denied one (see Collector.optional). */
  readonly complete: boolean;
  readonly samples: Sample[];
}

/**
 * One poll of one JOC Cockpit instance, of any API flavour: make sure the session is alive, find
 * the schedulers (JobScheduler IDs or Controller IDs), run every enabled collector of the plan
 * for each concurrently (bounded), and turn the answers into a `JocPollResult`. It owns failure:
 * a failed request is logged and leaves its series out, never stops its siblings, and never
 * throws. It also owns what every flavour shares: `jobscheduler_up`, `jobscheduler_joc_info`
 * and the configured objects JOC does not know.
 */
export class JocPoller<Api, C extends SchedulerConfig> {
  readonly #o: JocPollerOptions<Api, C>;
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
  /** `<id>\0<kind>\0<path>` of configured objects already logged as unknown to JOC. */
  readonly #missingLogged = new Set<string>();
  /** The JOC's version, asked once per run of JOC (again after it was down). */
  #version: Promise<string> | null = null;

  constructor(options: JocPollerOptions<Api, C>) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#limit = createLimiter(options.concurrency ?? 4);
  }

  /** The endpoints of its collectors' data calls, each once (the series of invalid_answers_total). */
  get endpoints(): readonly string[] {
    return [...new Set(this.#o.plan.collectors.flatMap((c) => [c.endpoint, ...(c.alsoCalls ?? [])]))];
  }

  async poll(): Promise<JocPollResult> {
    const started = this.#now();
    const { config, session, metrics, logger } = this.#o;
    let result: JocPollResult;
    this.#o.plan.beginPoll?.();
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

  /** The configured schedulers, or those the flavour discovers (with default settings). */
  async #schedulers(): Promise<readonly C[]> {
    const { plan } = this.#o;
    return plan.configured ?? plan.discover(plan.api);
  }

  async #pollSchedulers(schedulers: readonly C[], started: number): Promise<JocPollResult> {
    const joc = this.#o.config.name;
    const { plan } = this.#o;
    const runs = schedulers.map((scheduler, index) => {
      const scope: SchedulerScope<C> = { joc, scheduler };
      // A resource of the whole JOC is asked once, with the first scheduler.
      const enabled = plan.collectors.filter((c) => c.enabled(scope) && (index === 0 || !c.perJoc));
      return { scope, enabled, outcomes: Promise.all(enabled.map((c) => this.#run(c, scope))) };
    });
    const version = this.#jocVersion();
    const samples: Sample[] = [];
    const results: SchedulerPollResult[] = [];
    // In discovery mode the ids request has answered already.
    let answered = plan.configured === null;
    let firstError: Error | undefined;
    const done: Array<{ collector: RunnableCollector<Api, C>; scope: SchedulerScope<C>; outcome: Outcome }> = [];
    for (const run of runs) {
      const outcomes = await run.outcomes;
      outcomes.forEach((outcome, i) => done.push({ collector: run.enabled[i]!, scope: run.scope, outcome }));
      for (const outcome of outcomes) {
        if ('samples' in outcome) answered = true;
        else {
          if (outcome.error instanceof JocError && outcome.error.answered) answered = true;
          firstError ??= outcome.error;
        }
      }
      const scheduler = this.#schedulerRun(run.scope, run.enabled, outcomes);
      for (const sample of scheduler.samples) samples.push(sample);
      results.push({ id: run.scope.scheduler.id, up: scheduler.up, complete: scheduler.complete, errors: scheduler.errors });
    }
    // No answer at all: one failure of the whole JOC, logged once, not one more per request.
    if (!answered) return this.#down(started, firstError ?? new Error('no answer'));
    for (const { collector, scope, outcome } of done) this.#report(collector, scope, outcome);
    if (this.#lastErrors.delete(JOC_ERROR_KEY)) this.#o.logger.info('JOC Cockpit answers again');
    const info: Sample = { family: JOC_INFO, labels: { joc, api: plan.flavour, version: await version }, value: 1 };
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
      samples: [{ family: JOC_UP, labels: { joc }, value: 1 }, info, ...samples],
    };
  }

  /**
   * One scheduler's samples: `jobscheduler_up`, what its collectors found, less every series of a
   * configured object that JOC does not know, and `configured_objects_missing` per kind (0 for a
   * kind with nothing configured; absent when the request that would tell failed).
   */
  #schedulerRun(scope: SchedulerScope<C>, enabled: readonly RunnableCollector<Api, C>[], outcomes: readonly Outcome[]): SchedulerRun<C> {
    const errors: string[] = [];
    let blocking = 0;
    const missing: MissingObjects[] = [];
    const collected: Sample[] = [];
    const needUp: Sample[] = [];
    let up = false;
    outcomes.forEach((outcome, i) => {
      const collector = enabled[i]!;
      if (!('samples' in outcome)) {
        errors.push(`${collector.name}: ${outcome.error.message}`);
        if (!(collector.optional && outcome.error instanceof JocPermissionError)) blocking += 1;
        return;
      }
      if (collector.name === this.#o.plan.upCollector) up = true;
      if (outcome.missing) missing.push(outcome.missing);
      for (const sample of outcome.samples) (collector.requiresUp ? needUp : collected).push(sample);
    });
    if (up) for (const sample of needUp) collected.push(sample);
    const labels = { joc: scope.joc, jobscheduler_id: scope.scheduler.id };
    const samples: Sample[] = [{ family: JOBSCHEDULER_UP, labels, value: up ? 1 : 0 }];
    const unknown = this.#noteMissing(scope, missing);
    for (const sample of collected) if (!isOfUnknownObject(sample, unknown)) samples.push(sample);
    const counts = new Map<ObjectKind, number>();
    for (const collector of this.#o.plan.collectors) {
      if (collector.objects && !collector.enabled(scope)) counts.set(collector.objects, 0);
    }
    for (const m of missing) counts.set(m.kind, m.paths.length);
    for (const [kind, value] of counts) samples.push({ family: CONFIGURED_OBJECTS_MISSING, labels: { ...labels, kind }, value });
    return { scope, up, errors, complete: blocking === 0, samples };
  }

  /** Logs each newly unknown configured object once at warn; returns label name → unknown paths. */
  #noteMissing(scope: SchedulerScope<C>, missing: readonly MissingObjects[]): Map<string, Set<string>> {
    const unknown = new Map<string, Set<string>>();
    for (const { kind, paths } of missing) {
      const prefix = `${scope.scheduler.id}\0${kind}\0`;
      const current = new Set(paths);
      for (const key of this.#missingLogged) {
        if (key.startsWith(prefix) && !current.has(key.slice(prefix.length))) this.#missingLogged.delete(key);
      }
      for (const path of paths) {
        if (this.#missingLogged.has(prefix + path)) continue;
        this.#missingLogged.add(prefix + path);
        this.#o.logger.warn(
          { jobscheduler_id: scope.scheduler.id, kind, path },
          `configured ${kind.replace('_', ' ')} ${path} is not known to JOC Cockpit; it has no series until JOC knows it`,
        );
      }
      if (paths.length > 0) unknown.set(OBJECT_LABEL[kind], current);
    }
    return unknown;
  }

  /** The JOC's version, asked of the plan once while the JOC stays up. */
  #jocVersion(): Promise<string> {
    // A failed look-up is not kept: the next poll asks again.
    this.#version ??= this.#o.plan.version(this.#o.plan.api).catch(() => {
      this.#version = null;
      return 'unknown';
    });
    return this.#version;
  }

  async #run(collector: RunnableCollector<Api, C>, scope: SchedulerScope<C>): Promise<Outcome> {
    try {
      return await this.#limit(() => collector.collect(this.#o.plan.api, scope));
    } catch (err) {
      return { error: err as Error };
    }
  }

  /** Logs a request's failure when its state is new (warn) or its recovery (info); repeats at debug. */
  #report(collector: RunnableCollector<Api, C>, scope: SchedulerScope<C>, outcome: Outcome): void {
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
    // The version is asked again when JOC is back: it may have been upgraded meanwhile.
    this.#version = null;
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

/** True when `sample` names (by its object label) a configured object that JOC does not know. */
function isOfUnknownObject(sample: Sample, unknown: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  for (const [label, paths] of unknown) {
    const value = sample.labels[label];
    if (value !== undefined && paths.has(value)) return true;
  }
  return false;
}
