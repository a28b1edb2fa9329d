/** Demo mode grows the 1.x history: failures, tasks that run across polls, late rows; Agents come and go. */
import { tasksHistoryAnswer } from '../../src/simulator/answers-history';
import { tick } from '../../src/simulator/demo';
import { generateInventory } from '../../src/simulator/generator';
import { visibleEnd } from '../../src/simulator/history-store';
import { createPrng } from '../../src/simulator/prng';

type Json = Record<string, any>;

describe('demo history', () => {
  it('grows with ended, failed, running and late rows, and Agents go away and come back', () => {
    const start = Date.UTC(2024, 4, 1, 12);
    const inventory = generateInventory({ seed: 4, now: start });
    const rng = createPrng(9);
    const agentStates = new Set<string>();
    let now = start;
    for (let i = 0; i < 400; i++, now += 5_000) {
      tick(inventory, rng, now);
      for (const cluster of inventory.schedulers[0]!.agentClusters ?? []) for (const a of cluster.agents) agentStates.add(a.state);
    }
    const scheduler = inventory.schedulers[0]!;
    const rows = scheduler.taskHistory ?? [];
    expect(rows.length).toBeGreaterThan(300);
    const states = rows.map((r) => visibleEnd(r, now));
    expect(states.filter((s) => s === 'running').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.failed).length / rows.length).toBeGreaterThan(0.05);
    expect(rows.filter((r) => r.visibleAt !== undefined && r.visibleAt > r.start + 30_000).length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.end! - r.start > 60_000).length).toBeGreaterThan(10);
    expect((scheduler.orderHistory ?? []).length).toBeGreaterThan(100);
    expect([...agentStates].sort()).toEqual(['RUNNING', 'UNREACHABLE']);
    const answer = tasksHistoryAnswer(scheduler, { jobschedulerId: scheduler.jobschedulerId, dateFrom: '-10m' }, now) as Json;
    expect(answer.history.map((h: Json) => h.state._text)).toEqual(expect.arrayContaining(['SUCCESSFUL', 'FAILED', 'INCOMPLETE']));
  });
});
