import type { JobSchedulerConfig, V1JocConfig } from '../../config/types';
import { HistoryGroup } from '../../history';
import type { JocApiV1 } from '../../joc/v1/api';
import type { Logger } from '../../logger';
import type { Sample } from '../../metrics/families';
import { dayBounds } from '../../util/time-zone';
import { deniedOnce } from '../permission';
import { baseLabels, type Collector } from '../types';
import { agentSamples } from './agents';
import { planSamples } from './daily-plan';
import { v1OrderSource, v1TaskSource } from './history-source';

/** The JOC 1.13 permissions of the groups (V1-HISTORY-NOTES §7). */
export const V1_PERMISSIONS = {
  history: 'sos:products:joc_cockpit:history:view:status',
  agents: 'sos:products:joc_cockpit:jobscheduler_universal_agent:view:status',
  dailyPlan: 'sos:products:joc_cockpit:daily_plan:view:status',
} as const;

type V1Collector<A> = Collector<JocApiV1, JobSchedulerConfig, A>;

/**
 * `tasks/history` and `orders/history` of every JobScheduler of one JOC (CONTRACT §8.1): the
 * history engine's state lives here, across polls, one tracker per id and kind. At most four
 * requests per id and poll (a window and a look-up by id per kind), more only after a burst
 * that fills a page.
 */
export function v1History(config: V1JocConfig, logger: Logger): V1Collector<Sample[]> {
  const windowMs = config.history.windowHours * 3_600_000;
  let group: HistoryGroup | null = null;
  const denied = deniedOnce(logger, 'history', V1_PERMISSIONS.history);
  return {
    name: 'history',
    optional: true,
    endpoint: 'tasks/history',
    enabled: () => config.history.enabled,
    fetch(api, scope) {
      group ??= new HistoryGroup(
        (id) => ({ tasks: v1TaskSource(api, id), orders: v1OrderSource(api, id) }),
        { windowMs, primeLookbackMs: windowMs, maxSeries: config.history.maxJobs },
        {
          boundReached: (kind, id, bound) =>
            logger.warn(
              { jobscheduler_id: id, kind, bound },
              `more than ${bound} ${kind === 'task' ? 'jobs' : 'job chains'} have ended a ${kind}: further ones count only in the totals (history.maxJobs)`,
            ),
          truncated: (kind, id) =>
            logger.warn({ jobscheduler_id: id, kind }, `the ${kind} history could not be read completely (a gap longer than history.windowHours, or a burst of more than 50,000 entries); what it missed is not counted`),
        },
      );
      return group.poll(scope.scheduler.id, baseLabels(scope)).catch(denied);
    },
    toSamples: (samples) => samples,
  };
}

/** `jobscheduler/agent_clusters` (CONTRACT §8.2); left out while the order snapshot fails. */
export function v1Agents(config: V1JocConfig, logger: Logger): V1Collector<Sample[]> {
  const denied = deniedOnce(logger, 'Agent', V1_PERMISSIONS.agents);
  return {
    name: 'agents',
    optional: true,
    endpoint: 'jobscheduler/agent_clusters',
    requiresUp: true,
    enabled: () => config.agents.enabled,
    fetch: (api, scope) => api.agentClusters(scope.scheduler.id).then((answer) => agentSamples(answer, baseLabels(scope)), denied),
    toSamples: (samples) => samples,
  };
}

/** `plan` of today in the configured time zone (CONTRACT §8.3). */
export function v1DailyPlan(config: V1JocConfig, logger: Logger, now: () => number = Date.now): V1Collector<Sample[]> {
  const denied = deniedOnce(logger, 'daily plan', V1_PERMISSIONS.dailyPlan);
  return {
    name: 'daily-plan',
    optional: true,
    endpoint: 'plan',
    enabled: () => config.dailyPlan.enabled,
    fetch(api, scope) {
      const { from, to } = dayBounds(now(), config.dailyPlan.timeZone);
      return api.plan(scope.scheduler.id, from, to).then((answer) => planSamples(answer, baseLabels(scope)), denied);
    },
    toSamples: (samples) => samples,
  };
}
