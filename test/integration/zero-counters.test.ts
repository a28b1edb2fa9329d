import { select } from '../support/exposition';
import { startStack } from '../support/stack';

/**
 * Counters whose label sets are known from the start are exposed at 0 before their first event,
 * so that `rate()` and `increase()` show 0 instead of nothing (and alerts on them can resolve).
 */
test('invalid_answers_total has a series at 0 per data endpoint, logins and renewals too, before anything happened', async () => {
  const stack = await startStack();
  try {
    await stack.exporter.exposition.render();
    const before = stack.samples();
    expect(select(before, 'jobscheduler_exporter_invalid_answers_total').map((s) => [s.labels.endpoint, s.value]).sort()).toEqual([
      ['job_chains', 0],
      ['jobs', 0],
      ['jobs/overview/snapshot', 0],
      ['jobscheduler/agent_clusters', 0],
      ['jobscheduler/cluster/members', 0],
      ['orders', 0],
      ['orders/history', 0],
      ['orders/overview/snapshot', 0],
      ['plan', 0],
      ['tasks/history', 0],
    ]);
    expect(select(before, 'jobscheduler_exporter_logins_total').map((s) => [s.labels.result, s.value]).sort()).toEqual([['failure', 0], ['success', 0]]);
    expect(select(before, 'jobscheduler_exporter_session_renewals_total').map((s) => s.value)).toEqual([0]);
    // After a poll with answers of the right shape they are still there, still 0.
    const after = await stack.poll();
    expect(select(after, 'jobscheduler_exporter_invalid_answers_total').every((s) => s.value === 0)).toBe(true);
    expect(select(after, 'jobscheduler_exporter_invalid_answers_total')).toHaveLength(10);
  } finally {
    await stack.close();
  }
});
