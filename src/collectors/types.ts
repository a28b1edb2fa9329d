import type { JobSchedulerConfig } from '../config/types';
import type { JocApiV1 } from '../joc/v1/api';
import type { Sample } from '../metrics/families';

/** What one poll of one JobScheduler id covers. */
export interface SchedulerScope {
  /** The `joc` label value. */
  readonly joc: string;
  readonly scheduler: JobSchedulerConfig;
}

/**
 * One JOC resource: `fetch` does the I/O (one request, whatever the number of configured
 * objects), `toSamples` is a pure function of the answer.
 */
export interface Collector<A = unknown> {
  /** Short name used in logs, e.g. `orders-overview`. */
  readonly name: string;
  /** The JOC resource it calls. */
  readonly endpoint: string;
  /** False when the scope's configuration asks nothing of this collector. */
  enabled(scope: SchedulerScope): boolean;
  fetch(api: JocApiV1, scope: SchedulerScope): Promise<A>;
  toSamples(answer: A, scope: SchedulerScope): Sample[];
}

/** The `joc` and `jobscheduler_id` labels of a scope. */
export function baseLabels(scope: SchedulerScope): { joc: string; jobscheduler_id: string } {
  return { joc: scope.joc, jobscheduler_id: scope.scheduler.id };
}

/** A collector with its answer type hidden, as the poller runs it. */
export interface RunnableCollector {
  readonly name: string;
  readonly endpoint: string;
  enabled(scope: SchedulerScope): boolean;
  /** fetch, then toSamples. */
  collect(api: JocApiV1, scope: SchedulerScope): Promise<Sample[]>;
}

export function runnable<A>(collector: Collector<A>): RunnableCollector {
  return {
    name: collector.name,
    endpoint: collector.endpoint,
    enabled: (scope) => collector.enabled(scope),
    collect: async (api, scope) => collector.toSamples(await collector.fetch(api, scope), scope),
  };
}
