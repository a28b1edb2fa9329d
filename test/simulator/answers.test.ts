import { ORDER_STATE_FILTERS, ORDER_STATE_TEXTS, type OrderStateText } from '../../src/joc/v1/enums';
import { clusterMembers, jobsSnapshot, ordersAnswer, ordersSnapshot, selectOrders } from '../../src/simulator/answers';
import { jobChainsAnswer, jobsAnswer } from '../../src/simulator/answers-jobs';
import { generateInventory } from '../../src/simulator/generator';
import type { SchedulerInventory } from '../../src/simulator/inventory';

const NOW = Date.parse('2024-03-01T12:00:00.000Z');
const inventory = generateInventory({ seed: 3, now: NOW });
const scheduler = inventory.schedulers[0]!;

/** Written out here on purpose, independent of the enums table the simulator uses. */
const CATEGORY_KEY: Record<OrderStateText, string> = {
  PENDING: 'pending', RUNNING: 'running', SUSPENDED: 'suspended', SETBACK: 'setback', BLACKLIST: 'blacklist',
  JOB_NOT_IN_PERIOD: 'waitingForResource', NODE_DELAY: 'waitingForResource', WAITING_FOR_LOCK: 'waitingForResource',
  WAITING_FOR_PROCESS: 'waitingForResource', WAITING_FOR_AGENT: 'waitingForResource', JOB_CHAIN_STOPPED: 'waitingForResource',
  NODE_STOPPED: 'waitingForResource', JOB_STOPPED: 'waitingForResource', WAITING_FOR_TASK: 'waitingForResource',
};

function directCount(s: SchedulerInventory, keep: (chain: string) => boolean = () => true): Record<string, number> {
  const counts: Record<string, number> = { pending: 0, running: 0, suspended: 0, setback: 0, waitingForResource: 0, blacklist: 0 };
  for (const o of s.orders) if (keep(o.jobChain)) counts[CATEGORY_KEY[o.processingState]]!++;
  return counts;
}

describe('orders/overview/snapshot', () => {
  test.each(inventory.schedulers.map((s) => [s.jobschedulerId, s] as const))('counts equal a direct count (%s)', (_id, s) => {
    const answer = ordersSnapshot(s, { jobschedulerId: s.jobschedulerId }, NOW - 5, NOW);
    expect(answer).toEqual({ deliveryDate: '2024-03-01T12:00:00.000Z', surveyDate: '2024-03-01T11:59:59.995Z', orders: directCount(s) });
  });

  test('all six keys are present, zeros included', () => {
    const answer = ordersSnapshot(scheduler, { jobschedulerId: 'x', jobChains: [{ jobChain: '/no/such/chain' }] }, NOW, NOW);
    expect(answer.orders).toEqual({ pending: 0, running: 0, suspended: 0, setback: 0, waitingForResource: 0, blacklist: 0 });
  });

  test('honours jobChains and folders', () => {
    const chain = scheduler.jobChains[0]!.path;
    expect(ordersSnapshot(scheduler, { jobschedulerId: 'x', jobChains: [{ jobChain: chain }] }, NOW, NOW).orders)
      .toEqual(directCount(scheduler, (c) => c === chain));
    const folder = chain.slice(0, chain.lastIndexOf('/'));
    expect(ordersSnapshot(scheduler, { jobschedulerId: 'x', folders: [{ folder }] }, NOW, NOW).orders)
      .toEqual(directCount(scheduler, (c) => c.startsWith(`${folder}/`)));
  });
});

describe('orders', () => {
  test('processingStates filter by category', () => {
    for (const category of ORDER_STATE_FILTERS) {
      const texts = ORDER_STATE_TEXTS.filter((t) => (CATEGORY_KEY[t] === 'waitingForResource' ? 'WAITINGFORRESOURCE' : t) === category);
      const got = selectOrders(scheduler, { jobschedulerId: 'x', processingStates: [category] });
      expect(got).toEqual(scheduler.orders.filter((o) => texts.includes(o.processingState)));
      expect(got.length).toBeGreaterThan(0);
    }
  });

  test('with orders:[...], processingStates and regex are ignored (NOTES §5.1, §8.5)', () => {
    const chain = scheduler.orders.find((o) => o.processingState === 'RUNNING')!.jobChain;
    const ofChain = scheduler.orders.filter((o) => o.jobChain === chain);
    expect(ofChain.some((o) => o.processingState !== 'SUSPENDED')).toBe(true);
    const got = selectOrders(scheduler, { jobschedulerId: 'x', orders: [{ jobChain: chain }], processingStates: ['SUSPENDED'], regex: '^nothing$' });
    expect(got).toEqual(ofChain);
    const one = ofChain[1]!;
    expect(selectOrders(scheduler, { jobschedulerId: 'x', orders: [{ jobChain: chain, orderId: one.orderId }] })).toEqual([one]);
  });

  test('folders, regex, types and excludeOrders', () => {
    const o = scheduler.orders[0]!;
    expect(selectOrders(scheduler, { jobschedulerId: 'x', regex: `${o.orderId}$` }).map((x) => x.orderId)).toContain(o.orderId);
    expect(selectOrders(scheduler, { jobschedulerId: 'x', folders: [{ folder: '/nowhere' }] })).toEqual([]);
    expect(selectOrders(scheduler, { jobschedulerId: 'x', folders: [{ folder: '/', recursive: false }] })).toEqual([]);
    expect(selectOrders(scheduler, { jobschedulerId: 'x', types: ['AD_HOC'] }).every((x) => x.type === 'AD_HOC')).toBe(true);
    expect(selectOrders(scheduler, { jobschedulerId: 'x', excludeOrders: [{ jobChain: o.jobChain }] }).some((x) => x.jobChain === o.jobChain)).toBe(false);
    expect(() => selectOrders(scheduler, { jobschedulerId: 'x', regex: '(' })).toThrow(/PatternSyntaxException/);
  });

  test('compact answers carry exactly the core fields', () => {
    const { orders } = ordersAnswer(scheduler, { jobschedulerId: 'x', compact: true }, NOW, NOW) as { orders: Record<string, unknown>[] };
    const core = ['surveyDate', 'path', 'orderId', 'jobChain', '_type', 'state', 'processingState', 'job', 'runTimeIsTemporary'];
    for (const o of orders) {
      const text = (o.processingState as { _text: string })._text;
      expect(Object.keys(o).sort()).toEqual(core.filter((k) => k !== 'job' || text !== 'BLACKLIST').sort());
      expect(o.path).toBe(`${o.jobChain as string},${o.orderId as string}`);
    }
  });

  test('detailed answers add the fields of the processing state', () => {
    const { orders } = ordersAnswer(scheduler, { jobschedulerId: 'x' }, NOW, NOW) as { orders: Record<string, unknown>[] };
    const byText = (t: string): Record<string, unknown> => orders.find((o) => (o.processingState as { _text: string })._text === t)!;
    expect(byText('PENDING')).toEqual(expect.objectContaining({ nextStartTime: expect.any(String) }));
    expect(byText('PENDING').historyId).toBeUndefined();
    expect(byText('RUNNING')).toEqual(expect.objectContaining({
      historyId: expect.any(String), startedAt: expect.any(String), taskId: expect.any(String), inProcessSince: expect.any(String),
      processedBy: expect.stringMatching(/^http:\/\//),
    }));
    expect(byText('SETBACK')).toEqual(expect.objectContaining({ historyId: expect.any(String), setback: expect.any(String) }));
    expect(byText('SUSPENDED').processingState).toEqual({ severity: 5, _text: 'SUSPENDED', manually: expect.any(Boolean) });
    expect(byText('SUSPENDED').taskId).toBeUndefined();
    expect(byText('WAITING_FOR_LOCK').lock).toEqual(expect.stringMatching(/^\//));
    expect(byText('BLACKLIST').job).toBeUndefined();
    expect(byText('NODE_DELAY').nextStartTime).toEqual(expect.any(String));
    for (const o of orders) expect(o.surveyDate).toBe('2024-03-01T12:00:00.000Z');
  });
});

describe('jobs and job chains', () => {
  test('jobs snapshot sums buckets and tasks', () => {
    const answer = jobsSnapshot(scheduler, NOW, NOW) as { jobs: Record<string, number> };
    const count = (states: string[]): number => scheduler.jobs.filter((j) => states.includes(j.state)).length;
    expect(answer.jobs).toEqual({
      pending: count(['PENDING']),
      running: count(['RUNNING', 'STOPPING']),
      stopped: count(['STOPPED']),
      waitingForResource: count(['ERROR', 'NOT_INITIALIZED', 'NOT_IN_PERIOD', 'WAITING_FOR_AGENT', 'WAITING_FOR_LOCK', 'WAITING_FOR_PROCESS', 'WAITING_FOR_TASK']),
      tasks: scheduler.jobs.reduce((n, j) => n + j.runningTasks, 0),
      queuedTasks: scheduler.jobs.reduce((n, j) => n + j.queuedTasks, 0),
    });
  });

  test('jobs filter: jobs list (unknown left out), states, isOrderJob, compact fields', () => {
    const [a, b] = scheduler.jobs;
    const listed = jobsAnswer(scheduler, { jobschedulerId: 'x', compact: true, jobs: [{ job: b!.path }, { job: '/no/such' }, { job: a!.path }] }, NOW, NOW);
    expect((listed.jobs as { path: string }[]).map((j) => j.path)).toEqual([b!.path, a!.path]);
    expect(Object.keys((listed.jobs as object[])[0]!).sort()).toEqual(
      ['surveyDate', 'path', 'name', 'state', 'stateText', 'ordersSummary', 'numOfRunningTasks', 'numOfQueuedTasks', 'runTimeIsTemporary'].sort(),
    );
    const stopped = jobsAnswer(scheduler, { jobschedulerId: 'x', states: ['STOPPED'] }, NOW, NOW).jobs as { state: { _text: string } }[];
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((j) => j.state._text === 'STOPPED')).toBe(true);
    const standalone = jobsAnswer(scheduler, { jobschedulerId: 'x', isOrderJob: false }, NOW, NOW).jobs as { ordersSummary: object }[];
    expect(standalone).toHaveLength(scheduler.jobs.filter((j) => !j.isOrderJob).length);
    expect(standalone.every((j) => Object.keys(j.ordersSummary).length === 0)).toBe(true);
    const queued = jobsAnswer(scheduler, { jobschedulerId: 'x', states: ['QUEUED'] }, NOW, NOW).jobs as { numOfQueuedTasks: number }[];
    expect(queued.every((j) => j.numOfQueuedTasks > 0)).toBe(true);
  });

  test('detailed jobs list running and queued tasks', () => {
    const busy = scheduler.jobs.find((j) => j.runningTasks > 0 && j.queuedTasks > 0) ?? scheduler.jobs.find((j) => j.runningTasks > 0)!;
    const [job] = jobsAnswer(scheduler, { jobschedulerId: 'x', jobs: [{ job: busy.path }] }, NOW, NOW).jobs as Record<string, unknown>[];
    expect(job!.runningTasks).toHaveLength(busy.runningTasks);
    expect((job!.taskQueue as unknown[] | undefined)?.length ?? 0).toBe(busy.queuedTasks);
    expect(job!.allTasks).toEqual(expect.any(Number));
  });

  test('job chains: summary from the chain orders, nodes only when not compact', () => {
    const compact = jobChainsAnswer(scheduler, { jobschedulerId: 'x', compact: true }, NOW, NOW).jobChains as Record<string, unknown>[];
    expect(compact).toHaveLength(scheduler.jobChains.length);
    for (const c of compact) {
      expect(c.nodes).toBeUndefined();
      expect(c.ordersSummary).toEqual(directCount(scheduler, (p) => p === c.path));
      expect(c.numOfOrders).toBe(scheduler.orders.filter((o) => o.jobChain === c.path).length);
    }
    const detailed = jobChainsAnswer(scheduler, { jobschedulerId: 'x', states: ['ACTIVE'], maxOrders: 1 }, NOW, NOW).jobChains as Record<string, unknown>[];
    expect(detailed.every((c) => (c.state as { _text: string })._text === 'ACTIVE')).toBe(true);
    for (const c of detailed) {
      const nodes = c.nodes as { orders: unknown[]; numOfOrders: number }[];
      expect(nodes.length).toBe(c.numOfNodes);
      for (const n of nodes) expect(n.orders.length).toBe(Math.min(1, n.numOfOrders));
    }
    const picked = jobChainsAnswer(scheduler, { jobschedulerId: 'x', jobChains: [{ jobChain: '/nope' }, { jobChain: scheduler.jobChains[2]!.path }] }, NOW, NOW);
    expect((picked.jobChains as { path: string }[]).map((c) => c.path)).toEqual([scheduler.jobChains[2]!.path]);
  });
});

describe('cluster members', () => {
  test('reachable members have surveyDate and startedAt; an unreachable Master is listed as UNREACHABLE', () => {
    const inv = generateInventory({ seed: 3, now: NOW });
    const s = inv.schedulers[0]!;
    const ok = clusterMembers([s], NOW, NOW).masters as Record<string, unknown>[];
    expect(ok).toHaveLength(2);
    expect(ok[0]).toMatchObject({ jobschedulerId: s.jobschedulerId, clusterType: { _type: 'passive', precedence: 0 }, state: { severity: 0, _text: 'RUNNING' } });
    expect(ok[0]!.surveyDate).toBeDefined();
    s.connection = 'refused';
    const down = clusterMembers([s], NOW, NOW).masters as Record<string, unknown>[];
    for (const m of down) {
      expect(m.state).toEqual({ severity: 2, _text: 'UNREACHABLE' });
      expect(m.surveyDate).toBeUndefined();
      expect(m.startedAt).toBeUndefined();
    }
  });
});
