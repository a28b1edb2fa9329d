import type { OrderStateFilter } from '../../src/joc/v1/enums';
import type { SchedulerInventory } from '../../src/simulator';
import { masterUrl } from '../../src/simulator/inventory';
import { jobCounts, orderCounts, ORDER_STATE_LABEL, taskCounts } from '../support/expected';
import { select, value, type ParsedSample } from '../support/exposition';
import { startStack, type Stack } from '../support/stack';

// The daemon polls the simulator; every metric must equal what the simulator's inventory holds,
// computed here directly from the inventory.

const ALL_STATES = Object.keys(ORDER_STATE_LABEL) as OrderStateFilter[];

function ordersByCategory(scheduler: SchedulerInventory, chain?: string): Record<string, number> {
  return orderCounts(chain === undefined ? scheduler.orders : scheduler.orders.filter((o) => o.jobChain === chain));
}

function labelsToValues(samples: ParsedSample[], key: string): Record<string, number> {
  return Object.fromEntries(samples.map((s) => [s.labels[key]!, s.value]));
}

describe('metrics equal the simulator inventory', () => {
  let stack: Stack;
  let samples: ParsedSample[];
  let schedulers: SchedulerInventory[];

  beforeAll(async () => {
    stack = await startStack({
      sim: { seed: 7 },
      jocYaml: '', // filled below through a second stack: first we need the inventory's paths
    });
    schedulers = stack.sim.inventory.schedulers;
    const jobschedulers = schedulers
      .map(
        (s) => `      - id: ${s.jobschedulerId}
        orderStates: [${ALL_STATES.join(', ')}]
        jobChains: [${s.jobChains.map((c) => c.path).join(', ')}]
        jobs: [${s.jobs.slice(0, 6).map((j) => j.path).join(', ')}]`,
      )
      .join('\n');
    await stack.close();
    stack = await startStack({ sim: { seed: 7 }, jocYaml: `    jobschedulers:\n${jobschedulers}\n` });
    schedulers = stack.sim.inventory.schedulers;
    samples = await stack.poll();
  });
  afterAll(() => stack.close());

  test('JOC and every JobScheduler are up', () => {
    expect(value(samples, 'jobscheduler_joc_up', { joc: 'sim' })).toBe(1);
    for (const s of schedulers) expect(value(samples, 'jobscheduler_up', { jobscheduler_id: s.jobschedulerId })).toBe(1);
  });

  test('jobscheduler_orders: all six states per JobScheduler, counted from the inventory', () => {
    for (const s of schedulers) {
      const got = labelsToValues(select(samples, 'jobscheduler_orders', { joc: 'sim', jobscheduler_id: s.jobschedulerId }), 'state');
      expect(got).toEqual(ordersByCategory(s));
    }
  });

  test('jobscheduler_job_chain_orders: every configured chain and state, zeros included', () => {
    for (const s of schedulers) {
      for (const chain of s.jobChains) {
        const got = labelsToValues(
          select(samples, 'jobscheduler_job_chain_orders', { jobscheduler_id: s.jobschedulerId, job_chain: chain.path }),
          'state',
        );
        expect(got).toEqual(ordersByCategory(s, chain.path));
      }
    }
  });

  test('jobscheduler_job_chain_state: one-hot current state of each chain', () => {
    for (const s of schedulers) {
      for (const chain of s.jobChains) {
        const got = select(samples, 'jobscheduler_job_chain_state', { jobscheduler_id: s.jobschedulerId, job_chain: chain.path });
        expect(got).toHaveLength(5);
        expect(got.filter((g) => g.value === 1).map((g) => g.labels.state)).toEqual([chain.state.toLowerCase()]);
      }
    }
  });

  test('jobscheduler_job_state and task counts of the configured jobs', () => {
    for (const s of schedulers) {
      for (const job of s.jobs.slice(0, 6)) {
        const match = { jobscheduler_id: s.jobschedulerId, job_path: job.path };
        const states = select(samples, 'jobscheduler_job_state', match);
        expect(states).toHaveLength(15);
        expect(states.filter((g) => g.value === 1).map((g) => g.labels.state)).toEqual([job.state.toLowerCase()]);
        expect(value(samples, 'jobscheduler_job_running_tasks', match)).toBe(job.runningTasks);
        expect(value(samples, 'jobscheduler_job_queued_tasks', match)).toBe(job.queuedTasks);
      }
    }
  });

  test('jobscheduler_jobs and jobscheduler_tasks from the jobs snapshot', () => {
    for (const s of schedulers) {
      const match = { jobscheduler_id: s.jobschedulerId };
      expect(labelsToValues(select(samples, 'jobscheduler_jobs', match), 'state')).toEqual(jobCounts(s.jobs));
      expect(labelsToValues(select(samples, 'jobscheduler_tasks', match), 'state')).toEqual(taskCounts(s.jobs));
    }
  });

  test('jobscheduler_master_state: one-hot state per cluster member url', () => {
    for (const s of schedulers) {
      const got = select(samples, 'jobscheduler_master_state', { jobscheduler_id: s.jobschedulerId });
      expect(got).toHaveLength(10 * s.masters.length);
      const current = got.filter((g) => g.value === 1).map((g) => `${g.labels.url} ${g.labels.state}`).sort();
      expect(current).toEqual(s.masters.map((m) => `${masterUrl(m)} ${m.state.toLowerCase()}`).sort());
    }
  });

  test('no sample carries an order id, a task id or a timestamp label', () => {
    const allowed = new Set(['joc', 'jobscheduler_id', 'state', 'job_chain', 'job_path', 'url', 'endpoint', 'code', 'result', 'le', 'version', 'nodejs_version', 'api', 'kind',
      // CONTRACT §8: Agents, Agent clusters, the daily plan
      'agent', 'agent_cluster', 'late']);
    for (const s of samples) for (const label of Object.keys(s.labels)) expect(allowed).toContain(label);
  });

  test('a change in JOC shows in the next poll, and vanished objects vanish', async () => {
    const s = schedulers[0]!;
    const chain = s.jobChains[0]!.path;
    const removedMaster = s.masters.pop()!;
    const suspendedBefore = value(samples, 'jobscheduler_job_chain_orders', { jobscheduler_id: s.jobschedulerId, job_chain: chain, state: 'suspended' });
    const order = s.orders.find((o) => o.jobChain === chain && o.processingState !== 'SUSPENDED')!;
    order.processingState = 'SUSPENDED';
    const after = await stack.poll();
    expect(value(after, 'jobscheduler_job_chain_orders', { jobscheduler_id: s.jobschedulerId, job_chain: chain, state: 'suspended' })).toBe(
      suspendedBefore + 1,
    );
    const urls = new Set(select(after, 'jobscheduler_master_state', { jobscheduler_id: s.jobschedulerId }).map((m) => m.labels.url));
    expect(urls.has(masterUrl(removedMaster))).toBe(false);
    expect(urls.size).toBe(s.masters.length);
  });
});

describe('discovery: jobschedulers omitted', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ sim: { seed: 3 } });
  });
  afterAll(() => stack.close());

  test('polls every id jobscheduler/ids lists, with the default order states', async () => {
    const samples = await stack.poll();
    const ids = stack.sim.inventory.schedulers.map((s) => s.jobschedulerId);
    expect(select(samples, 'jobscheduler_up').map((s) => s.labels.jobscheduler_id).sort()).toEqual([...ids].sort());
    const states = new Set(select(samples, 'jobscheduler_job_chain_orders').map((s) => s.labels.state));
    expect([...states].sort()).toEqual(['blacklist', 'setback', 'suspended']);
    expect(select(samples, 'jobscheduler_job_state')).toHaveLength(0);
    expect(select(samples, 'jobscheduler_job_chain_state')).toHaveLength(0);
  });

  test('a JobScheduler id that JOC stops listing vanishes with its last-success timestamp', async () => {
    await stack.poll();
    const gone = stack.sim.inventory.schedulers.pop()!.jobschedulerId;
    const page = async (): Promise<string> => (await stack.exporter.exposition.page()).body;
    expect(await page()).toContain(`jobscheduler_id="${gone}"`);
    await stack.poll();
    expect(await page()).not.toContain(`jobscheduler_id="${gone}"`);
  });
});
