import { z } from 'zod';

/**
 * The Agent and daily-plan answers of JOC Cockpit 1.13 as far as the exporter reads them:
 * `jobscheduler/agent_clusters` (jobscheduler/agentClusters-schema.json; an unreachable Agent
 * carries only url and state, V1-HISTORY-NOTES §3.1) and `plan` (plan/plan-schema.json, §4).
 */

const state = z.looseObject({ _text: z.string().min(1) });

export const AgentOfCluster = z.looseObject({
  url: z.string().min(1),
  state,
  runningTasks: z.number().int().nonnegative().optional(),
});

export const AgentCluster = z.looseObject({
  path: z.string().min(1),
  state,
  /** Absent when JOC answered from its database because the Master is down (stale data). */
  numOfProcesses: z.number().int().nonnegative().optional(),
  agents: z.array(AgentOfCluster).optional(),
});

export const AgentClustersAnswer = z.looseObject({
  agentClusters: z.array(AgentCluster),
});
export type AgentClustersAnswer = z.infer<typeof AgentClustersAnswer>;

export const PlanItem = z.looseObject({
  plannedStartTime: z.string(),
  state,
  late: z.boolean().optional(),
});

export const PlanAnswer = z.looseObject({
  deliveryDate: z.string(),
  planItems: z.array(PlanItem),
});
export type PlanAnswer = z.infer<typeof PlanAnswer>;
