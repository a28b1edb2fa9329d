import { select, value } from '../support/exposition';
import { stacksPerTest } from '../support/stack';

/**
 * CONTRACT §4: a configured job chain or job that JOC does not know has no series at all (never
 * zeros that read as "nothing suspended"), is logged once at warn naming its path, and is counted
 * in jobscheduler_exporter_configured_objects_missing{kind}, which is 0 when all is known.
 */
describe('configured objects that JOC does not know', () => {
  const startStack = stacksPerTest();

  async function stackWith(jobChains: (chains: string[]) => string[], jobs: (known: string[]) => string[]) {
    const probe = await startStack({ sim: { seed: 3 } });
    const scheduler = probe.sim.inventory.schedulers[0]!;
    const chains = jobChains(scheduler.jobChains.map((c) => c.path));
    const jobPaths = jobs(scheduler.jobs.map((j) => j.path));
    const list = (paths: string[]) => (paths.length ? `[${paths.join(', ')}]` : '[]');
    return startStack({
      sim: { seed: 3 },
      jocYaml: `    jobschedulers:\n      - id: ${scheduler.jobschedulerId}\n        orderStates: [SUSPENDED, PENDING]\n        jobChains: ${list(chains)}\n        jobs: ${list(jobPaths)}\n`,
    });
  }

  test('have no series, are counted per kind, and are logged once at warn', async () => {
    const stack = await stackWith(
      (known) => [known[0]!, '/no/such_chain'],
      (known) => [known[0]!, '/no/such_job', '/no/other_job'],
    );
    const id = stack.sim.inventory.schedulers[0]!.jobschedulerId;
    await stack.poll();
    const samples = await stack.poll();
    for (const label of ['job_chain', 'job_path']) {
      expect(samples.filter((s) => s.labels[label]?.startsWith('/no/'))).toEqual([]);
    }
    // The known ones are there: the chain with its orders per state and its state, the job with its state.
    expect(select(samples, 'jobscheduler_job_chain_orders', { jobscheduler_id: id })).not.toHaveLength(0);
    expect(select(samples, 'jobscheduler_job_chain_state', { jobscheduler_id: id })).not.toHaveLength(0);
    expect(select(samples, 'jobscheduler_job_state', { jobscheduler_id: id })).not.toHaveLength(0);
    expect(value(samples, 'jobscheduler_exporter_configured_objects_missing', { jobscheduler_id: id, kind: 'job_chain' })).toBe(1);
    expect(value(samples, 'jobscheduler_exporter_configured_objects_missing', { jobscheduler_id: id, kind: 'job' })).toBe(2);
    const warnings = stack.logs.records().filter((r) => r['level'] === 'warn' && typeof r['path'] === 'string');
    expect(warnings.map((r) => r['path']).sort()).toEqual(['/no/other_job', '/no/such_chain', '/no/such_job']);
    expect(warnings.every((r) => String(r['msg']).includes(String(r['path'])))).toBe(true);
  });

  test('are 0 when everything configured is known, and when nothing of a kind is configured', async () => {
    const stack = await stackWith(
      (known) => known.slice(0, 2),
      () => [],
    );
    const id = stack.sim.inventory.schedulers[0]!.jobschedulerId;
    const samples = await stack.poll();
    expect(value(samples, 'jobscheduler_exporter_configured_objects_missing', { jobscheduler_id: id, kind: 'job_chain' })).toBe(0);
    expect(value(samples, 'jobscheduler_exporter_configured_objects_missing', { jobscheduler_id: id, kind: 'job' })).toBe(0);
  });

  test('get their series once JOC knows them, and are logged again if they go missing again', async () => {
    const stack = await stackWith(
      (known) => [known[0]!],
      () => [],
    );
    const scheduler = stack.sim.inventory.schedulers[0]!;
    const chain = scheduler.jobChains[0]!;
    const removed = scheduler.jobChains.splice(0, 1);
    let samples = await stack.poll();
    expect(select(samples, 'jobscheduler_job_chain_orders', { job_chain: chain.path })).toEqual([]);
    scheduler.jobChains.unshift(...removed);
    samples = await stack.poll();
    expect(select(samples, 'jobscheduler_job_chain_state', { job_chain: chain.path })).not.toHaveLength(0);
    expect(value(samples, 'jobscheduler_exporter_configured_objects_missing', { kind: 'job_chain' })).toBe(0);
    scheduler.jobChains.splice(0, 1);
    await stack.poll();
    const warned = stack.logs.records().filter((r) => r['level'] === 'warn' && r['path'] === chain.path);
    expect(warned).toHaveLength(2);
  });

  test('jobscheduler_joc_info says api v1 and version unknown while JOC answers, and is absent when it does not', async () => {
    const stack = await stackWith(
      () => [],
      () => [],
    );
    let samples = await stack.poll();
    expect(select(samples, 'jobscheduler_joc_info')).toEqual([{ name: 'jobscheduler_joc_info', labels: { joc: 'sim', api: 'v1', version: 'unknown' }, value: 1 }]);
    await stack.sim.refuseConnections(true);
    samples = await stack.poll();
    expect(select(samples, 'jobscheduler_joc_info')).toEqual([]);
  });
});
