import type { SchedulerConfig } from '../config/types';
import type { Sample } from '../metrics/families';

/** What one poll of one scheduler (a 1.x JobScheduler ID or a JS7 Controller ID) covers. */
export interface SchedulerScope<C extends SchedulerConfig = SchedulerConfig> {
  /** The `joc` label value. */
  readonly joc: string;
  readonly scheduler: C;
}

/** The kinds of configured object that JOC may not know (`configured_objects_missing{kind}`). */
export type ObjectKind = 'job_chain' | 'job' | 'workflow';

/** The label that names an object of each kind on its series (CONTRACT §4). */
export const OBJECT_LABEL: Readonly<Record<ObjectKind, string>> = {
  job_chain: 'job_chain',
  job: 'job_path',
  workflow: 'workflow',
};

/** The configured objects of one kind that a JOC answer did not list. */
export interface MissingObjects {
  readonly kind: ObjectKind;
  readonly paths: readonly string[];
}

/**
 * One JOC resource of one API flavour: `fetch` does the I/O (one request, whatever the number of
 * configured objects), `toSamples` is a pure function of the answer. `Api` is the flavour's
 * client (JocApiV1, JocApiJs7), `C` its per-scheduler configuration.
 */
export interface Collector<Api, C extends SchedulerConfig, A> {
  /** Short name used in logs, e.g. `orders-overview`. */
  readonly name: string;
  /** The JOC resource it calls. */
  readonly endpoint: string;
  /** Further resources it calls, if any (the history: `orders/history` beside `tasks/history`). */
  readonly alsoCalls?: readonly string[];
  /** False when the scope's configuration asks nothing of this collector. */
  enabled(scope: SchedulerScope<C>): boolean;
  /**
   * The kind of configured object it looks up, for collectors that implement `missing`. While it
   * is disabled nothing of that kind is configured, so the poller counts none missing (0).
   */
  readonly objects?: ObjectKind;
  /**
   * Its series are left out when the scheduler's order snapshot failed in the same poll
   * (`jobscheduler_up` 0): e.g. JOC 1.x answers Agents from stale database data then (CONTRACT §8.2).
   */
  readonly requiresUp?: boolean;
  /**
   * An optional group (history, Agents, daily plan; CONTRACT §8): when the exporter's account
   * lacks its permission (403), its series are left out and the poll still counts as complete,
   * so `last_poll_success` keeps advancing on what the account may see.
   */
  readonly optional?: boolean;
  /**
   * True for a resource of the JOC as a whole (its cluster members), whose series carry no
   * `jobscheduler_id`: it runs once per poll, with the first scheduler's scope, not once per scheduler.
   */
  readonly perJoc?: boolean;
  fetch(api: Api, scope: SchedulerScope<C>): Promise<A>;
  toSamples(answer: A, scope: SchedulerScope<C>): Sample[];
  /**
   * For a collector of configured objects: those the answer does not list, i.e. JOC does not
   * know them. The poller leaves every series of theirs out and counts them (CONTRACT §4).
   */
  missing?(answer: A, scope: SchedulerScope<C>): MissingObjects;
}

/** What one collector found in one poll. */
export interface Collected {
  readonly samples: readonly Sample[];
  readonly missing?: MissingObjects;
}

/** What the poller reads of a collector besides its answer (see Collector for each). */
type CollectorTraits = 'name' | 'endpoint' | 'alsoCalls' | 'enabled' | 'objects' | 'requiresUp' | 'optional' | 'perJoc';

/** A collector with its answer type hidden, as the poller runs it. */
export interface RunnableCollector<Api, C extends SchedulerConfig> extends Pick<Collector<Api, C, unknown>, CollectorTraits> {
  /** fetch, then toSamples (and missing). */
  collect(api: Api, scope: SchedulerScope<C>): Promise<Collected>;
}

export function runnable<Api, C extends SchedulerConfig, A>(collector: Collector<Api, C, A>): RunnableCollector<Api, C> {
  return {
    name: collector.name,
    endpoint: collector.endpoint,
    alsoCalls: collector.alsoCalls,
    objects: collector.objects,
    requiresUp: collector.requiresUp,
    optional: collector.optional,
    perJoc: collector.perJoc,
    enabled: (scope) => collector.enabled(scope),
    collect: async (api, scope) => {
      const answer = await collector.fetch(api, scope);
      return { samples: collector.toSamples(answer, scope), missing: collector.missing?.(answer, scope) };
    },
  };
}

/** The `joc` and `jobscheduler_id` labels of a scope. */
export function baseLabels(scope: SchedulerScope): { joc: string; jobscheduler_id: string } {
  return { joc: scope.joc, jobscheduler_id: scope.scheduler.id };
}

/** The configured paths that `known` does not hold. */
export function missingPaths(kind: ObjectKind, configured: readonly string[], known: Iterable<string>): MissingObjects {
  const seen = new Set(known);
  return { kind, paths: configured.filter((path) => !seen.has(path)) };
}
