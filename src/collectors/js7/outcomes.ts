import type { Js7JocConfig } from '../../config/types';
import type { JocApiJs7 } from '../../joc/js7/api';
import type { AgentsAnswer, DailyPlanSummaryAnswer } from '../../joc/js7/answers';
import type { Logger } from '../../logger';
import type { Sample } from '../../metrics/families';
import { AGENT_CLUSTER_STATE, AGENT_RUNNING_TASKS, AGENT_STATE, DAILY_PLAN_ORDERS, SUBAGENT_STATE } from '../../metrics/outcome-families';
import { localDate } from '../../util/time-zone';
import { oneHot } from '../labels';
import { historyCollector } from '../history';
import { deniedOnce } from '../permission';
import { baseLabels } from '../types';
import type { Js7Collector } from './collector';
import { js7OrderSource, js7TaskSource } from './history-source';

/** Agent states of JS7 `agents` (JS7-NOTES §2.3; CONTRACT §8.2). */
export const JS7_AGENT_STATES = ['COUPLED', 'RESETTING', 'INITIALISED', 'SHUTDOWN', 'UNKNOWN'] as const;
export const JS7_HEALTH_STATES = [
  'ALL_SUBAGENTS_ARE_COUPLED_AND_ENABLED',
  'ONLY_SOME_SUBAGENTS_ARE_COUPLED_AND_ENABLED',
  'NO_SUBAGENTS_ARE_COUPLED_AND_ENABLED',
  'UNKNOWN',
] as const;

/** `tasks/history` and `orders/history` (main orders) of every Controller ID of one JOC (CONTRACT §8.1; see historyCollector). */
export function js7History(config: Js7JocConfig, logger: Logger): Js7Collector<Sample[]> {
  return historyCollector(config.history, logger, {
    sources: (api: JocApiJs7, id) => ({ tasks: js7TaskSource(api, id), orders: js7OrderSource(api, id) }),
    permission: 'the JOC permission to view the history (orders and tasks)',
    idField: 'controller_id',
    orderObjects: 'workflows',
  });
}

/**
 * The Agent series of one Controller (CONTRACT §8.2): standalone Agents by their state, cluster
 * Agents by their health state and their Subagents by theirs; running tasks of every Agent.
 */
export function js7AgentSamples(answer: AgentsAnswer, base: Readonly<Record<string, string>>): Sample[] {
  const samples: Sample[] = [];
  for (const agent of answer.agents) {
    const id = agent.agentId;
    if (agent.healthState && !agent.state) {
      samples.push(...oneHot(AGENT_CLUSTER_STATE, { ...base, agent_cluster: id }, JS7_HEALTH_STATES, agent.healthState._text));
      for (const sub of agent.subagents ?? []) {
        const labels = { ...base, agent: id, subagent: sub.subagentId, url: sub.url ?? '' };
        samples.push(...oneHot(SUBAGENT_STATE, labels, JS7_AGENT_STATES, sub.state?._text ?? 'UNKNOWN'));
      }
    } else {
      samples.push(...oneHot(AGENT_STATE, { ...base, agent: id, url: agent.url ?? '' }, JS7_AGENT_STATES, agent.state?._text ?? 'UNKNOWN'));
    }
    if (agent.runningTasks !== undefined) samples.push({ family: AGENT_RUNNING_TASKS, labels: { ...base, agent: id }, value: agent.runningTasks });
  }
  return samples;
}

export function js7Agents(config: Js7JocConfig, logger: Logger): Js7Collector<AgentsAnswer> {
  const denied = deniedOnce(logger, 'Agent', 'the JOC permission to view the Agents');
  return {
    name: 'agents',
    optional: true,
    endpoint: 'agents',
    requiresUp: true,
    enabled: () => config.agents.enabled,
    fetch: (api, scope) => api.agents(scope.scheduler.id).catch(denied),
    toSamples: (answer, scope) => js7AgentSamples(answer, baseLabels(scope)),
  };
}

/** `jobscheduler_daily_plan_orders` from the summary of one day: planned, submitted, finished, each late or not. */
export function js7PlanSamples(answer: DailyPlanSummaryAnswer, base: Readonly<Record<string, string>>): Sample[] {
  const counts: Array<[string, string, number]> = [
    ['planned', 'false', answer.planned ?? 0],
    ['planned', 'true', answer.plannedLate ?? 0],
    ['submitted', 'false', answer.submitted ?? 0],
    ['submitted', 'true', answer.submittedLate ?? 0],
    ['finished', 'false', answer.finished ?? 0],
    ['finished', 'true', 0],
  ];
  return counts.map(([state, late, value]) => ({ family: DAILY_PLAN_ORDERS, labels: { ...base, state, late }, value }));
}

export function js7DailyPlan(config: Js7JocConfig, logger: Logger, now: () => number = Date.now): Js7Collector<DailyPlanSummaryAnswer> {
  const denied = deniedOnce(logger, 'daily plan', 'the JOC permission to view the daily plan');
  return {
    name: 'daily-plan',
    optional: true,
    endpoint: 'daily_plan/orders/summary',
    enabled: () => config.dailyPlan.enabled,
    fetch: (api, scope) => api.dailyPlanSummary(scope.scheduler.id, localDate(now(), config.dailyPlan.timeZone)).catch(denied),
    toSamples: (answer, scope) => js7PlanSamples(answer, baseLabels(scope)),
  };
}
