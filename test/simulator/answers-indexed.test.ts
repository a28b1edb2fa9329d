import { ordersAnswer } from '../../src/simulator/answers';
import { jobChainsAnswer, jobsAnswer } from '../../src/simulator/answers-jobs';
import { generateInventory } from '../../src/simulator/generator';
import { orderJob, type OrderInventory, type SchedulerInventory } from '../../src/simulator/inventory';

/**
 * The answers index the orders once per answer (by job chain, by job); these tests hold them to
 * the plain definitions: an order's job is `orderJob`, a job chain's orders those naming it.
 */
const NOW = Date.parse('2024-03-01T12:00:00.000Z');
const scheduler: SchedulerInventory = generateInventory({
  seed: 5, now: NOW, jobschedulerIds: ['scheduler'], jobChainsPerScheduler: 12, jobsPerChain: 3, ordersPerChain: 20,
}).schedulers[0]!;
const body = { jobschedulerId: 'scheduler' };

function summaryCount(summary: Record<string, number>): number {
  return Object.values(summary).reduce((a, b) => a + b, 0);
}

test('jobs: each order job counts the orders whose job it is', () => {
  const answer = jobsAnswer(scheduler, { ...body, isOrderJob: true }, NOW, NOW);
  const { jobs } = answer as { jobs: Array<{ path: string; ordersSummary: Record<string, number> }> };
  expect(jobs.length).toBeGreaterThan(10);
  for (const job of jobs) {
    const at = scheduler.orders.filter((o) => orderJob(scheduler, o) === job.path);
    expect(summaryCount(job.ordersSummary)).toBe(at.length);
  }
});

test('job_chains: each chain has its orders, and its nodes the non-blacklisted orders at them', () => {
  const { jobChains } = jobChainsAnswer(scheduler, body, NOW, NOW) as {
    jobChains: Array<{ path: string; numOfOrders: number; nodes?: Array<{ name: string; numOfOrders: number; orders: Array<{ orderId: string }> }> }>;
  };
  for (const chain of jobChains) {
    const mine: OrderInventory[] = scheduler.orders.filter((o) => o.jobChain === chain.path);
    expect(chain.numOfOrders).toBe(mine.length);
    for (const node of chain.nodes ?? []) {
      const here = mine.filter((o) => o.node === node.name && o.processingState !== 'BLACKLIST');
      expect(node.orders.map((o) => o.orderId)).toEqual(here.map((o) => o.orderId));
    }
  }
});

test('orders: each order names the job orderJob gives, none when it has none', () => {
  const { orders } = ordersAnswer(scheduler, body, NOW, NOW) as { orders: Array<{ orderId: string; jobChain: string; job?: string }> };
  expect(orders).toHaveLength(scheduler.orders.length);
  orders.forEach((o, i) => {
    const source = scheduler.orders[i]!;
    expect([o.jobChain, o.orderId]).toEqual([source.jobChain, source.orderId]);
    if (orderJob(scheduler, source) === undefined) expect(o).not.toHaveProperty('job');
    else expect(o.job).toBe(orderJob(scheduler, source));
  });
});
