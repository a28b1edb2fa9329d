/** Demo mode: the model moves as a live JOC's does (tasks across polls, failures, late rows, Agents, cluster). */
import { createPrng } from '../../../src/simulator/prng';
import { bucketOf, generateJs7Inventory, ORDER_BUCKETS, tickJs7 } from '../../../src/simulator/js7';
import { js7Login, manualClock, post, startFast } from './http';

const NOW = Date.parse('2026-03-02T12:00:00.000Z');
const TICK = 5000;

describe('JS7 demo mode', () => {
  test('history grows: tasks end (some failed), some run across several ticks, some rows appear late with an old start; every bucket keeps orders', () => {
    const inventory = generateJs7Inventory({ seed: 4, now: NOW });
    const rng = createPrng(99);
    const controller = inventory.controllers[0]!;
    const startRows = controller.taskHistory.length;
    const visible = new Map<number, number>();
    const runningAt = new Map<number, number[]>();
    let t = NOW;
    for (let i = 1; i <= 60; i++) {
      t += TICK;
      tickJs7(inventory, rng, t, { lateMs: 2 * TICK });
      for (const row of controller.taskHistory) {
        if (row.writtenAt <= t && !visible.has(row.taskId)) visible.set(row.taskId, t);
        if (row.endTime === undefined && row.writtenAt <= t) runningAt.set(row.taskId, [...(runningAt.get(row.taskId) ?? []), i]);
      }
    }
    const added = controller.taskHistory.slice(startRows);
    expect(added.length).toBeGreaterThan(100);
    expect(added.some((r) => r.state === 'FAILED')).toBe(true);
    expect(added.some((r) => r.state === 'SUCCESSFUL')).toBe(true);
    expect([...runningAt.values()].some((ticks) => ticks.length >= 3)).toBe(true);
    const late = added.filter((r) => r.endTime !== undefined && visible.get(r.taskId)! > r.endTime + TICK);
    expect(late.length).toBeGreaterThan(0);
    for (const r of late) expect(r.startTime).toBeLessThan(visible.get(r.taskId)! - TICK);
    expect(controller.orders).toHaveLength(300);
    for (let i = 0; i < 200; i++) tickJs7(inventory, rng, (t += TICK), { lateMs: 2 * TICK });
    for (const c of inventory.controllers) {
      const buckets = new Set(c.orders.map((o) => bucketOf(o.state)));
      expect([...ORDER_BUCKETS].filter((b) => !buckets.has(b))).toEqual([]);
    }
    expect(controller.orderHistory.some((r) => r.state === 'FAILED' && r.startTime > NOW)).toBe(true);
  });

  test('Agents go away and come back; the cluster Controller leaves Coupled and couples again; the JOC cluster switches', () => {
    const inventory = generateJs7Inventory({ seed: 4, now: NOW });
    const rng = createPrng(7);
    const seen = { agentDown: false, agentBack: false, subagentDown: false, clusterStates: new Set<string>(), jocSwitched: false, lateHeartbeat: false };
    let t = NOW;
    for (let i = 0; i < 400; i++) {
      t += TICK;
      tickJs7(inventory, rng, t);
      if (inventory.jocs[1]!.active) seen.jocSwitched = true;
      if (inventory.jocs[1]!.heartbeatAgeMs > 31_000) seen.lateHeartbeat = true;
      expect(inventory.jocs.filter((m) => m.active)).toHaveLength(1);
      for (const c of inventory.controllers) {
        if (c.clusterState) seen.clusterStates.add(c.clusterState);
        for (const a of c.agents) {
          if (a.state === 'SHUTDOWN' || a.problem) seen.agentDown = true;
          if (a.state === 'INITIALISED') seen.agentBack = true;
          if (a.subagents?.some((s) => s.state !== 'COUPLED' || s.problem)) seen.subagentDown = true;
        }
      }
    }
    expect(seen).toMatchObject({ agentDown: true, agentBack: true, subagentDown: true, jocSwitched: true, lateHeartbeat: true });
    expect(seen.clusterStates).toEqual(expect.objectContaining(new Set(['Coupled', 'PreparedToBeCoupled'])));
    expect([...seen.clusterStates].some((s) => s === 'PassiveLost' || s === 'FailedOver')).toBe(true);
    expect(inventory.controllers.every((c) => c.agents.every((a) => !a.subagents || a.subagents.length === 3))).toBe(true);
  });

  test('over HTTP, with demo on: tick() moves the answers; a new day gets a new plan', async () => {
    const clock = manualClock(NOW);
    const sim = await startFast({ now: clock.now, demo: true, tickMs: 60_000, sessionTimeoutMs: -1 });
    try {
      const token = await js7Login(sim);
      const before = (await post(sim, 'tasks/history', { controllerId: 'controller', limit: -1 }, token)).json.history.length;
      for (let i = 0; i < 5; i++) {
        clock.advance(TICK);
        sim.tick();
      }
      const after = (await post(sim, 'tasks/history', { controllerId: 'controller', limit: -1 }, token)).json.history.length;
      expect(after).toBeGreaterThan(before);
      clock.advance(86_400_000);
      sim.tick();
      const plan = await post(sim, 'daily_plan/orders/summary', { dailyPlanDateFrom: '2026-03-03' }, token);
      expect(Object.values(plan.json).reduce((a: number, b) => a + (b as number), 0)).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });
});

test('the daily plan: orders of a workflow out of sync stay late; the others are submitted, start and finish', () => {
  const inventory = generateJs7Inventory({ seed: 4, now: NOW });
  const controller = inventory.controllers[0]!;
  const workflows = controller.workflows.filter((w) => w.current && w.state !== 'NOT_DEPLOYED');
  // The demo changes only in-sync, outstanding and suspended workflows: NOT_IN_SYNC stays.
  workflows[0]!.state = 'NOT_IN_SYNC';
  workflows[1]!.state = 'IN_SYNC';
  const entry = (path: string, state: 'PLANNED' | 'SUBMITTED') => ({
    orderId: `#p-${path}-${state}`, workflowPath: path, schedulePath: `${path}_s`, dailyPlanDate: '2026-03-02', plannedStart: NOW - 60_000, state, started: false,
  });
  const planned = entry(workflows[0]!.path, 'PLANNED');
  const submitted = entry(workflows[0]!.path, 'SUBMITTED');
  const moving = entry(workflows[1]!.path, 'PLANNED');
  controller.dailyPlan.push(planned, submitted, moving);
  const rng = createPrng(1);
  for (let i = 1; i <= 60; i++) {
    workflows[1]!.state = 'IN_SYNC';
    tickJs7(inventory, rng, NOW + i * TICK);
  }
  expect(planned).toMatchObject({ state: 'PLANNED', started: false });
  expect(submitted).toMatchObject({ state: 'SUBMITTED', started: false });
  expect(moving).toMatchObject({ state: 'FINISHED', started: true });
});
