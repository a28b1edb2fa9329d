/**
 * The simulated Agent clusters of JOC 1.13 (V1-HISTORY-NOTES §3.1): process classes that have
 * Agents. Each Agent is probed by JOC at every `jobscheduler/agent_clusters` call; an Agent that
 * is down reads UNREACHABLE and carries only its url and state.
 */
import type { SchedulerInventory } from './inventory';

export type AgentStateText = 'RUNNING' | 'TERMINATING' | 'UNREACHABLE' | 'UNKNOWN_AGENT';

export interface AgentInventory {
  url: string;
  state: AgentStateText;
  startedAt: number;
  version: string;
  host: string;
  runningTasks: number;
}

export interface AgentClusterInventory {
  path: string;
  type: 'SINGLE_AGENT' | 'FIX_PRIORITY' | 'ROUND_ROBIN';
  maxProcesses: number;
  agents: AgentInventory[];
}

/** The Agent clusters of a scheduler, a small default set when the inventory has none. */
export function agentClustersOf(scheduler: SchedulerInventory, now: number): AgentClusterInventory[] {
  if (scheduler.agentClusters) return scheduler.agentClusters;
  const agent = (n: number): AgentInventory => ({
    url: `http://agent-${n}.example.com:4445`,
    state: 'RUNNING',
    startedAt: now - n * 3_600_000,
    version: '1.13.23',
    host: `agent-${n}.example.com`,
    runningTasks: 0,
  });
  scheduler.agentClusters = [
    { path: '/agents/single', type: 'SINGLE_AGENT', maxProcesses: 10, agents: [agent(1)] },
    { path: '/agents/cluster', type: 'ROUND_ROBIN', maxProcesses: 30, agents: [agent(2), agent(3)] },
  ];
  return scheduler.agentClusters;
}
