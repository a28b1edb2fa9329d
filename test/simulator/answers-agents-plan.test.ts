/** The simulator's jobscheduler/agent_clusters and plan (V1-HISTORY-NOTES §3.1, §4). */
import { agentClustersAnswer } from '../../src/simulator/answers-agents';
import { planAnswer } from '../../src/simulator/answers-plan';
import type { SchedulerInventory } from '../../src/simulator/inventory';
import { planOf } from '../../src/simulator/plan-store';
import { validateAnswer, jocSchemasAvailable } from '../support/schemas';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
type Json = Record<string, any>;

function scheduler(): SchedulerInventory {
  return { jobschedulerId: 'scheduler', masters: [], jobChains: [{ path: '/c/chain', state: 'ACTIVE', nodes: [] } as never], jobs: [], orders: [] };
}

describe('agent_clusters', () => {
  it('derives the cluster state from its running Agents; an unreachable Agent has only url and state', () => {
    const s = scheduler();
    s.agentClusters = [{ path: '/agents/pair', type: 'FIX_PRIORITY', maxProcesses: 5, agents: [
      { url: 'http://a1:4445', state: 'RUNNING', startedAt: NOW - 1000, version: '1.13', host: 'a1', runningTasks: 2 },
      { url: 'http://a2:4445', state: 'UNREACHABLE', startedAt: NOW - 1000, version: '1.13', host: 'a2', runningTasks: 0 },
    ] }];
    const answer = agentClustersAnswer(s, { jobschedulerId: 'scheduler' }, NOW, false) as Json;
    const cluster = answer.agentClusters[0];
    expect(cluster).toMatchObject({ state: { severity: 1, _text: 'ONLY_SOME_AGENTS_ARE_RUNNING' }, numOfAgents: { any: 2, running: 1 }, numOfProcesses: 2 });
    expect(Object.keys(cluster.agents[1]).sort()).toEqual(['state', 'surveyDate', 'url']);
    s.agentClusters[0]!.agents[0]!.state = 'UNREACHABLE';
    const down = agentClustersAnswer(s, { jobschedulerId: 'scheduler', compact: true }, NOW, true) as Json;
    expect(down.agentClusters[0].state._text).toBe('ALL_AGENTS_ARE_UNREACHABLE');
    expect(down.agentClusters[0].numOfProcesses).toBeUndefined();
    expect(down.agentClusters[0].agents).toBeUndefined();
    if (jocSchemasAvailable) {
      expect(validateAnswer('jobscheduler/agent_clusters', 200, answer, { compact: false }).errors).toEqual([]);
      expect(validateAnswer('jobscheduler/agent_clusters', 200, down, { compact: true }).errors).toEqual([]);
    }
  });
});

describe('plan', () => {
  it('keeps the stored late flag of a missed start false until JOC adjusts it, and answers only the asked window and states', () => {
    const s = scheduler();
    const plan = planOf(s, NOW);
    plan.items = [
      { jobChain: '/c/chain', orderId: 'missed', plannedStart: NOW - 3 * 60_000, startDelay: null, durationMs: 1000, failed: false, historyId: 1 },
      { jobChain: '/c/chain', orderId: 'missed-long-ago', plannedStart: NOW - 60 * 60_000, startDelay: null, durationMs: 1000, failed: false, historyId: 2 },
      { jobChain: '/c/chain', orderId: 'late-start', plannedStart: NOW - 30 * 60_000, startDelay: 5 * 60_000, durationMs: 60 * 60_000, failed: false, historyId: 3 },
      { jobChain: '/c/chain', orderId: 'done', plannedStart: NOW - 40 * 60_000, startDelay: 1000, durationMs: 1000, failed: true, historyId: 4 },
      { jobChain: '/c/chain', orderId: 'later', plannedStart: NOW + 60 * 60_000, startDelay: 0, durationMs: 1000, failed: false, historyId: 5 },
    ];
    const answer = planAnswer(s, { jobschedulerId: 'scheduler', dateFrom: '2024-05-01T00:00:00.000Z', dateTo: '2024-05-01T12:00:00.000Z', states: ['INCOMPLETE', 'PLANNED'] }, NOW) as Json;
    const byId = Object.fromEntries(answer.planItems.map((i: Json) => [i.orderId, i]));
    expect(Object.keys(byId).sort()).toEqual(['late-start', 'missed', 'missed-long-ago']);
    expect(byId['missed']).toMatchObject({ late: false, state: { _text: 'PLANNED', severity: 4 } });
    expect(byId['missed-long-ago']).toMatchObject({ late: true, state: { _text: 'PLANNED', severity: 5 } });
    expect(byId['late-start']).toMatchObject({ late: true, state: { _text: 'INCOMPLETE', severity: 5 } });
    const all = planAnswer(s, { jobschedulerId: 'scheduler', dateFrom: '0d', dateTo: '0d' }, NOW) as Json;
    expect(all.planItems).toHaveLength(5);
    expect(all.planItems.find((i: Json) => i.orderId === 'done').state).toEqual({ severity: 2, _text: 'FAILED' });
    if (jocSchemasAvailable) expect(validateAnswer('plan', 200, all).errors).toEqual([]);
    expect(() => planAnswer(s, { jobschedulerId: 'scheduler', dateTo: '0d' }, NOW)).toThrow(/NullPointer/);
  });
});
