import type { JobSchedulerConfig, V1JocConfig } from '../../config/types';
import type { JocApiV1 } from '../../joc/v1/api';
import type { AgentClustersAnswer, PlanAnswer } from '../../joc/v1/health-answers';
import type { Logger } from '../../logger';
import type { Sample } from '../../metrics/families';
import { dayBounds } from '../../util/time-zone';
import { historyCollector } from '../history';
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

/** `tasks/history` and `orders/history` of every JobScheduler of one JOC (CONTRACT §8.1; see historyCollector). */
export function v1History(config: V1JocConfig, logger: Logger): V1Collector<Sample[]> {
  return historyCollector(config.history, logger, {
    sources: (api: JocApiV1, id) => ({ tasks: v1TaskSource(api, id), orders: v1OrderSource(api, id) }),
    permission: V1_PERMISSIONS.history,
    idField: 'jobscheduler_id',
    orderObjects: 'job chains',
  });
}

/** `jobscheduler/agent_clusters` (CONTRACT §8.2); left out while the order snapshot fails. */
export function v1Agents(config: V1JocConfig, logger: Logger): V1Collector<AgentClustersAnswer> {
  const denied = deniedOnce(logger, 'Agent', V1_PERMISSIONS.agents);
  return {
    name: 'agents',
    optional: true,
    endpoint: 'jobscheduler/agent_clusters',
    requiresUp: true,
    enabled: () => config.agents.enabled,
    fetch: (api, scope) => api.agentClusters(scope.scheduler.id).catch(denied),
    toSamples: (answer, scope) => agentSamples(answer, baseLabels(scope)),
  };
}

/** `plan` of today in the configured time zone (CONTRACT §8.3). */
export function v1DailyPlan(config: V1JocConfig, logger: Logger, now: () => number = Date.now): V1Collector<PlanAnswer> {
  const denied = deniedOnce(logger, 'daily plan', V1_PERMISSIONS.dailyPlan);
  return {
    name: 'daily-plan',
    optional: true,
    endpoint: 'plan',
    enabled: () => config.dailyPlan.enabled,
    fetch(api, scope) {
      const { from, to } = dayBounds(now(), config.dailyPlan.timeZone);
      return api.plan(scope.scheduler.id, from, to).catch(denied);
    },
    toSamples: (answer, scope) => planSamples(answer, baseLabels(scope)),
  };
}
