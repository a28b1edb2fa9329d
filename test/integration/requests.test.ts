import { generateInventory } from '../../src/simulator';
import { describeWithSchemas, validateRequest } from '../support/schemas';
import { startStack, stacksPerTest, type Stack } from '../support/stack';

// What the exporter sends to JOC Cockpit: how many requests a poll makes, and that every one of
// them is a request JOC accepts (CONTRACT §5, JOC's own request schemas).

/** The requests of CONTRACT §8 per JobScheduler and poll in a quiet history. */
const OUTCOME_REQUESTS = { 'tasks/history': 1, 'orders/history': 1, 'jobscheduler/agent_clusters': 1, plan: 1 };

const LARGE = { seed: 11, jobschedulerIds: ['big'], jobChainsPerScheduler: 100, jobsPerChain: 3, ordersPerChain: 4 };

function jocYaml(chains: readonly string[], jobs: readonly string[]): string {
  return `    jobschedulers:
      - id: big
        orderStates: [SUSPENDED, SETBACK, BLACKLIST, WAITINGFORRESOURCE]
        jobChains: [${chains.join(', ')}]
        jobs: [${jobs.join(', ')}]
`;
}

/** Requests per endpoint of the second poll (the first one also logs in). */
async function requestsOfOnePoll(stack: Stack): Promise<Record<string, number>> {
  await stack.poll();
  stack.sim.resetStats();
  await stack.poll();
  return { ...stack.sim.stats.perEndpoint };
}

describe('requests per poll', () => {
  const inventory = generateInventory(LARGE);
  const chains = inventory.schedulers[0]!.jobChains.map((c) => c.path);
  const jobs = inventory.schedulers[0]!.jobs.map((j) => j.path);
  const stack = stacksPerTest();

  test('do not grow with the number of configured jobs and job chains', async () => {
    expect(chains.length).toBeGreaterThanOrEqual(100);
    expect(jobs.length).toBeGreaterThanOrEqual(300);
    const counts: Record<string, Record<string, number>> = {};
    for (const [name, c, j] of [
      ['1 job chain, 1 job', chains.slice(0, 1), jobs.slice(0, 1)],
      ['100 job chains, 300 jobs', chains.slice(0, 100), jobs.slice(0, 300)],
    ] as const) {
      const s = await stack({ sim: { inventory: generateInventory(LARGE) }, jocYaml: jocYaml(c, j) });
      counts[name] = await requestsOfOnePoll(s);
      if (name === '100 job chains, 300 jobs') {
        const samples = s.samples();
        expect(samples.filter((s) => s.name === 'jobscheduler_job_state')).toHaveLength(300 * 15);
        expect(samples.filter((s) => s.name === 'jobscheduler_job_chain_state')).toHaveLength(100 * 5);
      }
    }
    const expected = {
      'orders/overview/snapshot': 1,
      orders: 1,
      'jobs/overview/snapshot': 1,
      jobs: 1,
      job_chains: 1,
      'jobscheduler/cluster/members': 1,
      // CONTRACT §8, counted apart: one window per history kind (a look-up by id only when an
      // entry seen running has left the window), the Agents, today's plan
      ...OUTCOME_REQUESTS,
    };
    expect(counts['1 job chain, 1 job']).toEqual(expected);
    expect(counts['100 job chains, 300 jobs']).toEqual(expected);
  });

  test('discovery adds one jobscheduler/ids call; no jobs or job chains configured means no such calls', async () => {
    const s = await stack({ sim: { seed: 2 } });
    const ids = s.sim.inventory.schedulers.length;
    expect(await requestsOfOnePoll(s)).toEqual({
      'jobscheduler/ids': 1,
      'orders/overview/snapshot': ids,
      orders: ids,
      'jobs/overview/snapshot': ids,
      'jobscheduler/cluster/members': ids,
      ...Object.fromEntries(Object.keys(OUTCOME_REQUESTS).map((e) => [e, ids])),
    });
  });
});

describe('every request is one JOC Cockpit accepts', () => {
  let stack: Stack;
  beforeAll(async () => {
    const inventory = generateInventory({ seed: 5 });
    const s = inventory.schedulers[0]!;
    stack = await startStack({
      sim: { inventory },
      jocYaml: `    jobschedulers:
      - id: ${s.jobschedulerId}
        orderStates: [pending, RUNNING, suspended, SETBACK, blacklist, waitingForResource]
        jobChains: [${s.jobChains.map((c) => c.path).join(', ')}]
        jobs: [${s.jobs.map((j) => j.path).join(', ')}]
`,
    });
    await stack.poll();
    stack.sim.expireSessions('440');
    await stack.poll();
    await stack.exporter.close();
  });
  afterAll(() => stack.close());

  test('POST, JSON content type and accept, a JSON object body, the token on every data call', () => {
    const requests = stack.sim.stats.requests;
    expect(requests.length).toBeGreaterThan(10);
    for (const r of requests) {
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['accept']).toBe('application/json');
      expect(typeof r.body).toBe('object');
      if (r.endpoint === 'security/login') {
        expect(r.headers['authorization']).toMatch(/^Basic /);
        expect(r.headers['x-access-token']).toBeUndefined();
      } else {
        expect(r.headers['x-access-token']).toMatch(/\S/);
        expect(r.headers['authorization']).toBeUndefined();
      }
    }
    expect(requests.map((r) => r.endpoint)).toContain('security/logout');
  });

  test('no request was refused for its body (JOC validates bodies before the token)', () => {
    const refused = stack.sim.stats.requests.filter(
      (r) => r.status === 420 && JSON.stringify(r.answer).includes('SOSJsonSchemaException'),
    );
    expect(refused).toEqual([]);
  });

  describeWithSchemas("JOC's own request schemas", () => {
    test('every request body is valid under them', () => {
      const checked = new Set<string>();
      for (const r of stack.sim.stats.requests) {
        const result = validateRequest(r.endpoint, r.body);
        expect({ endpoint: r.endpoint, valid: result.valid, errors: result.errors }).toEqual({ endpoint: r.endpoint, valid: true, errors: result.errors });
        if (result.schema) checked.add(r.endpoint);
      }
      expect([...checked].sort()).toEqual([
        'job_chains', 'jobs', 'jobs/overview/snapshot', 'jobscheduler/agent_clusters', 'jobscheduler/cluster/members', 'orders',
        'orders/history', 'orders/overview/snapshot', 'plan', 'tasks/history',
      ]);
    });
  });
});
