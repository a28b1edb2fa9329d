/**
 * `jobscheduler/agent_clusters` of JOC 1.13 (V1-HISTORY-NOTES §3.1; schema
 * jobscheduler/agentClusters-schema.json): one item per Agent cluster with its state from the
 * number of running Agents, `agents` and `processes` unless compact. With the Master down JOC
 * answers the last-known states from its database without `numOfProcesses` (the DB fallback).
 */
import { agentClustersOf, type AgentInventory } from './agents-store';
import { baseName, type SchedulerInventory } from './inventory';
import { iso } from './shapes';

export interface AgentClustersBody {
  jobschedulerId: string;
  compact?: boolean;
  agentClusters?: { agentCluster: string }[];
  state?: number;
}

const AGENT_SEVERITY = { RUNNING: 0, TERMINATING: 3, UNREACHABLE: 2, UNKNOWN_AGENT: 2 } as const;

function clusterState(any: number, running: number): { severity: number; _text: string } {
  if (any === running) return { severity: 0, _text: 'ALL_AGENTS_ARE_RUNNING' };
  if (running === 0) return { severity: 2, _text: 'ALL_AGENTS_ARE_UNREACHABLE' };
  return { severity: 1, _text: 'ONLY_SOME_AGENTS_ARE_RUNNING' };
}

function agentItem(agent: AgentInventory, now: number, fromDb: boolean): object {
  const survey = iso(now);
  if (agent.state === 'UNREACHABLE' || agent.state === 'UNKNOWN_AGENT') {
    // only these three: a schema violation JOC commits (V1-HISTORY-NOTES §3.1)
    return { surveyDate: survey, url: agent.url, state: { severity: AGENT_SEVERITY[agent.state], _text: agent.state } };
  }
  return {
    surveyDate: survey,
    version: agent.version,
    host: agent.host,
    url: agent.url,
    os: { name: 'Linux', architecture: 'x64', distribution: 'Debian GNU/Linux 12' },
    state: { severity: AGENT_SEVERITY[agent.state], _text: agent.state },
    startedAt: iso(agent.startedAt),
    ...(fromDb ? {} : { runningTasks: agent.runningTasks }),
  };
}

export function agentClustersAnswer(scheduler: SchedulerInventory, body: AgentClustersBody, now: number, masterDown: boolean): object {
  const wanted = body.agentClusters && body.agentClusters.length > 0 ? new Set(body.agentClusters.map((c) => c.agentCluster)) : undefined;
  const agentClusters = agentClustersOf(scheduler, now)
    .filter((cluster) => !wanted || wanted.has(cluster.path))
    .map((cluster) => {
      const running = cluster.agents.filter((a) => a.state === 'RUNNING').length;
      const state = clusterState(cluster.agents.length, running);
      const processes = cluster.agents.reduce((n, a) => n + (a.state === 'RUNNING' ? a.runningTasks : 0), 0);
      return {
        surveyDate: iso(now),
        path: cluster.path,
        name: baseName(cluster.path),
        maxProcesses: cluster.maxProcesses,
        _type: cluster.type,
        state,
        numOfAgents: { any: cluster.agents.length, running },
        ...(masterDown ? {} : { numOfProcesses: processes }),
        ...(body.compact === true ? {} : { agents: cluster.agents.map((a) => agentItem(a, now, masterDown)), processes: [] }),
      };
    })
    .filter((cluster) => body.state === undefined || cluster.state.severity === body.state);
  return { deliveryDate: iso(now), agentClusters };
}
