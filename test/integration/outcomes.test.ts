/**
 * The outcome groups of CONTRACT §8 end to end through the 1.x simulator: counting across polls,
 * a missing permission (403 logged once, naming it; the group's series absent, the rest served),
 * Agent series absent while the order snapshot fails, a group switched off, the per-job bound.
 */
import { generateInventory } from '../../src/simulator';
import { select, value } from '../support/exposition';
import { stacksPerTest } from '../support/stack';

const stack = stacksPerTest();

function inventoryWithHistory(now: number) {
  const inventory = generateInventory({ seed: 6, jobschedulerIds: ['scheduler'] });
  const s = inventory.schedulers[0]!;
  const jobs = s.jobs.map((j) => j.path);
  s.taskHistory = jobs.map((job, i) => ({ id: i + 1, job, start: now - 60_000, end: now - 50_000, failed: false, exitCode: 0 }));
  return { inventory, jobs };
}

describe('outcomes through the 1.x simulator', () => {
  test('a task that ends after the first poll counts once, across later polls too', async () => {
    const now = Date.now();
    const { inventory, jobs } = inventoryWithHistory(now);
    const s = await stack({ sim: { inventory } });
    await s.poll();
    const history = s.sim.inventory.schedulers[0]!.taskHistory!;
    // it started before the first poll's end and ends after it: counted, once, when it has ended
    history.push({ id: 1000, job: jobs[0]!, start: Date.now() - 1_000, end: Date.now() + 100, failed: true, exitCode: 7 });
    await s.poll();
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (let i = 0; i < 3; i++) await s.poll();
    const samples = s.samples();
    const labels = { jobscheduler_id: 'scheduler', job_path: jobs[0]! };
    expect(value(samples, 'jobscheduler_tasks_completed_total', { ...labels, result: 'failed' })).toBe(1);
    expect(value(samples, 'jobscheduler_tasks_completed_total', { ...labels, result: 'successful' })).toBe(0);
    expect(value(samples, 'jobscheduler_job_last_exit_code', labels)).toBe(7);
    expect(value(samples, 'jobscheduler_task_duration_seconds_count', { jobscheduler_id: 'scheduler' })).toBe(1);
    expect(select(samples, 'jobscheduler_tasks_completed_total', { result: 'failed' }).reduce((n, x) => n + x.value, 0)).toBe(1);
  });

  test('403 for the history: logged once naming the permission, its series absent, Agents, plan and the rest served', async () => {
    const { inventory } = inventoryWithHistory(Date.now());
    const s = await stack({ sim: { inventory } });
    s.sim.deny('tasks/history');
    await s.poll();
    const samples = await s.poll();
    expect(select(samples, 'jobscheduler_tasks_completed_total')).toEqual([]);
    expect(select(samples, 'jobscheduler_orders_completed_total')).toEqual([]);
    expect(value(samples, 'jobscheduler_up', { jobscheduler_id: 'scheduler' })).toBe(1);
    expect(select(samples, 'jobscheduler_agent_state').length).toBeGreaterThan(0);
    expect(select(samples, 'jobscheduler_daily_plan_orders')).toHaveLength(8);
    const named = s.logs.records().filter((r) => String(r.msg).includes('sos:products:joc_cockpit:history:view:status'));
    expect(named).toHaveLength(1);
    expect(named[0]!.level).toBe('warn');
    // A denied optional group does not make the poll incomplete: last_poll_success keeps advancing
    // (JobSchedulerExporterPollStale stays quiet), while a denied core resource would stop it.
    const success = (from: typeof samples) => value(from, 'jobscheduler_exporter_last_poll_success_timestamp_seconds', { jobscheduler_id: 'scheduler' });
    const before = success(samples);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = await s.poll();
    expect(success(later)).toBeGreaterThan(before);
    s.sim.deny('jobscheduler/cluster/members');
    const denied = await s.poll();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(success(await s.poll())).toBe(success(denied));
  });

  test('Agent series are absent while the order snapshot fails (JOC answers stale database data then)', async () => {
    const s = await stack({ sim: { seed: 6 } });
    const before = await s.poll();
    expect(select(before, 'jobscheduler_agent_state', { jobscheduler_id: 'scheduler' }).length).toBeGreaterThan(0);
    s.sim.setMasterReachable('scheduler', false);
    const after = await s.poll();
    expect(value(after, 'jobscheduler_up', { jobscheduler_id: 'scheduler' })).toBe(0);
    expect(select(after, 'jobscheduler_agent_state', { jobscheduler_id: 'scheduler' })).toEqual([]);
    expect(select(after, 'jobscheduler_agent_cluster_state', { jobscheduler_id: 'scheduler' })).toEqual([]);
    // the other JobScheduler keeps its Agents; the history does not need the Master
    expect(select(after, 'jobscheduler_agent_state', { jobscheduler_id: 'scheduler2' }).length).toBeGreaterThan(0);
    expect(select(after, 'jobscheduler_task_duration_seconds_count', { jobscheduler_id: 'scheduler' })).toHaveLength(1);
  });

  test('a group switched off makes no request and has no series', async () => {
    const s = await stack({ sim: { seed: 6 }, jocYaml: '    history: { enabled: false }\n    agents: { enabled: false }\n' });
    await s.poll();
    const samples = await s.poll();
    expect(s.sim.stats.perEndpoint['tasks/history']).toBeUndefined();
    expect(s.sim.stats.perEndpoint['jobscheduler/agent_clusters']).toBeUndefined();
    expect(s.sim.stats.perEndpoint['plan']).toBeGreaterThan(0);
    expect(select(samples, 'jobscheduler_task_duration_seconds_count')).toEqual([]);
    expect(select(samples, 'jobscheduler_agent_state')).toEqual([]);
    expect(select(samples, 'jobscheduler_daily_plan_orders').length).toBeGreaterThan(0);
  });

  test('past history.maxJobs, further jobs count only in the totals, logged once', async () => {
    const { inventory, jobs } = inventoryWithHistory(Date.now());
    expect(jobs.length).toBeGreaterThan(3);
    const s = await stack({ sim: { inventory }, jocYaml: '    history: { maxJobs: 2 }\n' });
    await s.poll();
    await s.poll();
    const samples = s.samples();
    expect(new Set(select(samples, 'jobscheduler_tasks_completed_total').map((x) => x.labels['job_path'])).size).toBe(2);
    expect(s.logs.records().filter((r) => String(r.msg).includes('history.maxJobs'))).toHaveLength(1);
  });
});
