import {
  JOB_CHAIN_STATE_TEXTS,
  ORDER_STATE_TEXTS,
} from '../../src/joc/v1/enums';
import { generateInventory } from '../../src/simulator/generator';
import { tick } from '../../src/simulator/demo';
import { orderJob, type Inventory } from '../../src/simulator/inventory';
import { createPrng } from '../../src/simulator/prng';

const NOW = Date.parse('2024-03-01T12:00:00.000Z');

function checkConsistency(inventory: Inventory): void {
  for (const s of inventory.schedulers) {
    const jobPaths = new Set(s.jobs.map((j) => j.path));
    for (const chain of s.jobChains) {
      expect(chain.nodes.length).toBeGreaterThan(0);
      for (const node of chain.nodes) expect(jobPaths.has(node.job)).toBe(true);
    }
    for (const order of s.orders) {
      const chain = s.jobChains.find((c) => c.path === order.jobChain);
      expect(chain).toBeDefined();
      expect(chain!.nodes.map((n) => n.name)).toContain(order.node);
      if (order.processingState === 'BLACKLIST') expect(orderJob(s, order)).toBeUndefined();
      else expect(jobPaths.has(orderJob(s, order)!)).toBe(true);
    }
    for (const job of s.jobs) {
      expect(job.runningTasks).toBeGreaterThanOrEqual(0);
      expect(job.queuedTasks).toBeGreaterThanOrEqual(0);
    }
    const paths = s.orders.map((o) => `${o.jobChain},${o.orderId}`);
    expect(new Set(paths).size).toBe(paths.length);
  }
}

describe('generateInventory', () => {
  test('is deterministic for a seed and differs between seeds', () => {
    const a = generateInventory({ seed: 42, now: NOW });
    const b = generateInventory({ seed: 42, now: NOW });
    const c = generateInventory({ seed: 43, now: NOW });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  test.each([1, 2, 3, 99, 12345])('covers every order _text and job chain state (seed %i)', (seed) => {
    const inv = generateInventory({ seed, now: NOW });
    const texts = new Set(inv.schedulers.flatMap((s) => s.orders.map((o) => o.processingState)));
    expect([...texts].sort()).toEqual([...ORDER_STATE_TEXTS].sort());
    const chainStates = new Set(inv.schedulers.flatMap((s) => s.jobChains.map((c) => c.state)));
    expect([...chainStates].sort()).toEqual([...JOB_CHAIN_STATE_TEXTS].sort());
    const jobStates = new Set(inv.schedulers.flatMap((s) => s.jobs.map((j) => j.state)));
    expect(jobStates.size).toBeGreaterThanOrEqual(6);
    for (const state of ['PENDING', 'RUNNING', 'STOPPED'] as const) expect(jobStates).toContain(state);
    checkConsistency(inv);
  });

  test('has a two-member passive cluster and a standalone Master', () => {
    const inv = generateInventory({ seed: 7, now: NOW, jobschedulerIds: ['prod', 'test'] });
    const [prod, test] = inv.schedulers;
    expect(prod!.masters.map((m) => [m.clusterType, m.precedence, m.state])).toEqual([
      ['passive', 0, 'RUNNING'],
      ['passive', 1, 'WAITING_FOR_ACTIVATION'],
    ]);
    expect(test!.masters).toHaveLength(1);
    expect(test!.masters[0]).toMatchObject({ clusterType: 'standalone', state: 'RUNNING' });
  });

  test('honours the size options', () => {
    const inv = generateInventory({ seed: 1, now: NOW, jobschedulerIds: ['a', 'b', 'c'], jobChainsPerScheduler: 7, jobsPerChain: 4, ordersPerChain: 5, standaloneJobsPerScheduler: 2 });
    expect(inv.schedulers.map((s) => s.jobschedulerId)).toEqual(['a', 'b', 'c']);
    for (const s of inv.schedulers) {
      expect(s.jobChains).toHaveLength(7);
      expect(s.jobs).toHaveLength(7 * 4 + 2);
      for (const c of s.jobChains) expect(c.nodes).toHaveLength(4);
    }
  });
});

describe('demo tick', () => {
  test('is deterministic, changes the inventory and keeps it consistent', () => {
    const a = generateInventory({ seed: 5, now: NOW });
    const b = generateInventory({ seed: 5, now: NOW });
    const before = JSON.stringify(a);
    const rngA = createPrng(9);
    const rngB = createPrng(9);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      tick(a, rngA, NOW + i * 5000);
      tick(b, rngB, NOW + i * 5000);
      for (const s of a.schedulers) for (const o of s.orders) seen.add(o.processingState);
      if (i % 25 === 0) checkConsistency(a);
    }
    checkConsistency(a);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(before);
    // orders keep moving through states (a chain being stopped shows JOB_CHAIN_STOPPED, too)
    for (const text of ['PENDING', 'RUNNING', 'SUSPENDED', 'SETBACK', 'WAITING_FOR_TASK', 'JOB_CHAIN_STOPPED'] as const) {
      expect(seen).toContain(text);
    }
    expect(a.schedulers.reduce((n, s) => n + s.orders.length, 0)).toBe(JSON.parse(before).schedulers.reduce(
      (n: number, s: { orders: unknown[] }) => n + s.orders.length, 0));
  });

  test('running order jobs have as many running tasks as running orders', () => {
    const inv = generateInventory({ seed: 11, now: NOW });
    const rng = createPrng(1);
    for (let i = 0; i < 20; i++) tick(inv, rng, NOW + i * 1000);
    for (const s of inv.schedulers) {
      for (const job of s.jobs.filter((j) => j.isOrderJob)) {
        const running = s.orders.filter((o) => o.processingState === 'RUNNING' && orderJob(s, o) === job.path).length;
        expect(job.runningTasks).toBe(running);
        if (running > 0) expect(['RUNNING', 'STOPPING']).toContain(job.state);
      }
    }
  });
});
