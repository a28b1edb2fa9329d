import type { AgentClustersAnswer } from '../../joc/v1/health-answers';
import { AGENT_CLUSTER_STATE, AGENT_RUNNING_TASKS, AGENT_STATE } from '../../metrics/outcome-families';
import type { Sample } from '../../metrics/families';
import { oneHot } from '../labels';

/** Agent states of `jobscheduler/agent_clusters` (V1-HISTORY-NOTES §3.1; CONTRACT §8.2). */
export const AGENT_STATE_TEXTS = ['RUNNING', 'TERMINATING', 'UNKNOWN_AGENT', 'UNREACHABLE'] as const;
export const AGENT_CLUSTER_STATE_TEXTS = ['ALL_AGENTS_ARE_RUNNING', 'ONLY_SOME_AGENTS_ARE_RUNNING', 'ALL_AGENTS_ARE_UNREACHABLE'] as const;

/**
 * The Agent series of one JobScheduler: per Agent cluster its state, per Agent (once per URL,
 * however many clusters it is in) its state and running tasks. None at all when JOC answered from
 * its database (no `numOfProcesses`: the Master is down and the states are stale).
 */
export function agentSamples(answer: AgentClustersAnswer, base: Readonly<Record<string, string>>): Sample[] {
  if (answer.agentClusters.some((cluster) => cluster.numOfProcesses === undefined)) return [];
  const samples: Sample[] = [];
  const seen = new Set<string>();
  for (const cluster of answer.agentClusters) {
    samples.push(...oneHot(AGENT_CLUSTER_STATE, { ...base, agent_cluster: cluster.path }, AGENT_CLUSTER_STATE_TEXTS, cluster.state._text));
    for (const agent of cluster.agents ?? []) {
      if (seen.has(agent.url)) continue;
      seen.add(agent.url);
      samples.push(...oneHot(AGENT_STATE, { ...base, agent: agent.url, url: agent.url }, AGENT_STATE_TEXTS, agent.state._text));
      if (agent.runningTasks !== undefined) {
        samples.push({ family: AGENT_RUNNING_TASKS, labels: { ...base, agent: agent.url }, value: agent.runningTasks });
      }
    }
  }
  return samples;
}
