import type { HistoryConfig, SchedulerConfig } from '../config/types';
import { HistoryGroup, type HistorySources } from '../history';
import type { Logger } from '../logger';
import type { Sample } from '../metrics/families';
import { deniedOnce } from './permission';
import { baseLabels, type Collector } from './types';

/** What a flavour's history collector differs in: its sources and its words. */
export interface HistoryFlavour<Api> {
  /** The task and order history of one id, through the flavour's client. */
  readonly sources: (api: Api, schedulerId: string) => HistorySources;
  /** The permission the account needs, as the 403 log line names it. */
  readonly permission: string;
  /** The log field of the id (`jobscheduler_id`, `controller_id`). */
  readonly idField: string;
  /** What orders end on, in the bound's log line (`job chains`, `workflows`). */
  readonly orderObjects: string;
}

/**
 * `tasks/history` and `orders/history` of every scheduler of one JOC (CONTRACT §8.1), for either
 * flavour: the history engine's state lives here, across polls, one tracker per id and kind. At
 * most four requests per id and poll (a window and a look-up by id per kind), more only after a
 * burst that fills a page. A 403 leaves the group out (optional, logged once naming the permission).
 */
export function historyCollector<Api, C extends SchedulerConfig>(
  config: HistoryConfig,
  logger: Logger,
  flavour: HistoryFlavour<Api>,
): Collector<Api, C, Sample[]> {
  const windowMs = config.windowHours * 3_600_000;
  let group: HistoryGroup | null = null;
  const denied = deniedOnce(logger, 'history', flavour.permission);
  return {
    name: 'history',
    optional: true,
    endpoint: 'tasks/history',
    alsoCalls: ['orders/history'],
    enabled: () => config.enabled,
    fetch(api, scope) {
      group ??= new HistoryGroup(
        (id) => flavour.sources(api, id),
        { windowMs, primeLookbackMs: windowMs, maxSeries: config.maxJobs },
        {
          boundReached: (kind, id, bound) =>
            logger.warn(
              { [flavour.idField]: id, kind, bound },
              `more than ${bound} ${kind === 'task' ? 'jobs' : flavour.orderObjects} have ended a ${kind}: further ones count only in the totals (history.maxJobs)`,
            ),
          truncated: (kind, id) =>
            logger.warn(
              { [flavour.idField]: id, kind },
              `the ${kind} history could not be read completely (a gap longer than history.windowHours, or a burst of more entries than the paging reads); what it missed is not counted`,
            ),
        },
      );
      return group.poll(scope.scheduler.id, baseLabels(scope)).catch(denied);
    },
    toSamples: (samples) => samples,
  };
}
