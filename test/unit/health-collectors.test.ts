/** The v1 Agent and daily-plan series (CONTRACT §8.2, §8.3). */
import { agentSamples } from '../../src/collectors/v1/agents';
import { planSamples } from '../../src/collectors/v1/daily-plan';
import { AgentClustersAnswer, PlanAnswer } from '../../src/joc/v1/health-answers';
import { agentClustersAnswer } from '../../src/simulator/answers-agents';
import { planAnswer } from '../../src/simulator/answers-plan';
import type { SchedulerInventory } from '../../src/simulator/inventory';
import type { Sample } from '../../src/metrics/families';

const BASE = { joc: 'primary', jobscheduler_id: 'scheduler' };
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

function values(samples: Sample[], name: string): Record<string, number> {
  return Object.fromEntries(
    samples.filter((s) => s.family.name === name).map((s) => [Object.entries(s.labels).filter(([k]) => !(k in BASE)).map(([k, v]) => `${k}=${v}`).join(','), s.value]),
  );
}

function scheduler(): SchedulerInventory {
  return {
    jobschedulerId: 'scheduler', masters: [], jobChains: [], jobs: [], orders: [],
    agentClusters: [
      { path: '/agents/a', type: 'SINGLE_AGENT', maxProcesses: 5, agents: [{ url: 'http://a1:4445', state: 'RUNNING', startedAt: NOW, version: '1', host: 'a1', runningTasks: 3 }] },
      { path: '/agents/b', type: 'ROUND_ROBIN', maxProcesses: 5, agents: [
        { url: 'http://a1:4445', state: 'RUNNING', startedAt: NOW, version: '1', host: 'a1', runningTasks: 3 },
        { url: 'http://a2:4445', state: 'UNREACHABLE', startedAt: NOW, version: '1', host: 'a2', runningTasks: 0 },
      ] },
    ],
  };
}

describe('v1 Agent series', () => {
  it('one-hot states per cluster and per Agent URL (once), running tasks where JOC sends them', () => {
    const answer = AgentClustersAnswer.parse(agentClustersAnswer(scheduler(), { jobschedulerId: 'scheduler' }, NOW, false));
    const samples = agentSamples(answer, BASE);
    expect(values(samples, 'jobscheduler_agent_cluster_state')).toEqual({
      'agent_cluster=/agents/a,state=all_agents_are_running': 1,
      'agent_cluster=/agents/a,state=only_some_agents_are_running': 0,
      'agent_cluster=/agents/a,state=all_agents_are_unreachable': 0,
      'agent_cluster=/agents/b,state=all_agents_are_running': 0,
      'agent_cluster=/agents/b,state=only_some_agents_are_running': 1,
      'agent_cluster=/agents/b,state=all_agents_are_unreachable': 0,
    });
    const states = values(samples, 'jobscheduler_agent_state');
    expect(states['agent=http://a2:4445,url=http://a2:4445,state=unreachable']).toBe(1);
    expect(states['agent=http://a1:4445,url=http://a1:4445,state=running']).toBe(1);
    expect(Object.keys(states)).toHaveLength(8);
    expect(values(samples, 'jobscheduler_agent_running_tasks')).toEqual({ 'agent=http://a1:4445': 3 });
  });

  it('nothing from JOC database fallback (Master down: no numOfProcesses, stale states)', () => {
    const answer = AgentClustersAnswer.parse(agentClustersAnswer(scheduler(), { jobschedulerId: 'scheduler' }, NOW, true));
    expect(agentSamples(answer, BASE)).toEqual([]);
  });
});

describe('v1 daily plan series', () => {
  it('counts by state and lateness, a planned start over 2 minutes past counts as late before JOC flags it', () => {
    const s: SchedulerInventory = { jobschedulerId: 'scheduler', masters: [], jobChains: [], jobs: [], orders: [] };
    s.plan = { day: Date.UTC(2024, 4, 1), items: [
      { jobChain: '/c', orderId: '1', plannedStart: NOW - 3 * 60_000, startDelay: null, durationMs: 1, failed: false, historyId: 1 },
      { jobChain: '/c', orderId: '2', plannedStart: NOW - 60_000, startDelay: null, durationMs: 1, failed: false, historyId: 2 },
      { jobChain: '/c', orderId: '3', plannedStart: NOW + 60_000, startDelay: 0, durationMs: 1, failed: false, historyId: 3 },
      { jobChain: '/c', orderId: '4', plannedStart: NOW - 60 * 60_000, startDelay: 10 * 60_000, durationMs: 1000, failed: true, historyId: 4 },
      { jobChain: '/c', orderId: '5', plannedStart: NOW - 60 * 60_000, startDelay: 0, durationMs: 1000, failed: false, historyId: 5 },
    ] };
    const answer = PlanAnswer.parse(planAnswer(s, { jobschedulerId: 'scheduler', dateFrom: '0d', dateTo: '0d' }, NOW));
    expect(values(planSamples(answer, BASE), 'jobscheduler_daily_plan_orders')).toEqual({
      'state=planned,late=true': 1,
      'state=planned,late=false': 2,
      'state=incomplete,late=true': 0,
      'state=incomplete,late=false': 0,
      'state=successful,late=true': 0,
      'state=successful,late=false': 1,
      'state=failed,late=true': 1,
      'state=failed,late=false': 0,
    });
  });
});
