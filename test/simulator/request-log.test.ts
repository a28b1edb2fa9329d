import { generateInventory, startSimulator, type RequestLogEntry, type Simulator } from '../../src/simulator';
import { call, login } from './http';

/** 40 job chains of 100 orders: the full `orders` answer is well over the 256 KiB the log keeps. */
const LARGE = generateInventory({ seed: 3, jobschedulerIds: ['scheduler'], jobChainsPerScheduler: 40, ordersPerChain: 100 });

describe('request log', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  test('maxLoggedRequests 0 and no listener: nothing is logged, requests are still counted', async () => {
    sim = await startSimulator({ maxLoggedRequests: 0 });
    const token = await login(sim);
    expect((await call(sim, 'orders', { jobschedulerId: 'scheduler' }, { token })).status).toBe(200);
    expect(sim.stats.requests).toEqual([]);
    expect(sim.stats.perEndpoint).toEqual({ 'security/login': 1, orders: 1 });
  });

  test('maxLoggedRequests 0 with a listener: the listener gets each entry, the log stays empty', async () => {
    const seen: RequestLogEntry[] = [];
    sim = await startSimulator({ maxLoggedRequests: 0, onRequest: (e) => seen.push(e) });
    const token = await login(sim);
    const res = await call(sim, 'orders/overview/snapshot', { jobschedulerId: 'scheduler' }, { token });
    expect(seen.map((e) => e.endpoint)).toEqual(['security/login', 'orders/overview/snapshot']);
    expect(seen[1]).toMatchObject({ status: 200, body: { jobschedulerId: 'scheduler' }, answer: res.json });
    expect(sim.stats.requests).toEqual([]);
  });

  test('an answer is logged as sent; one over 256 KiB only as its size', async () => {
    sim = await startSimulator({ inventory: LARGE });
    const token = await login(sim);
    const oneChain = [{ jobChain: LARGE.schedulers[0]!.jobChains[0]!.path }];
    const small = await call(sim, 'orders', { jobschedulerId: 'scheduler', compact: true, orders: oneChain }, { token });
    const large = await call(sim, 'orders', { jobschedulerId: 'scheduler' }, { token });
    const bytes = Number(large.headers['content-length']);
    expect(bytes).toBeGreaterThan(256 * 1024);
    expect(large.json.orders).toHaveLength(LARGE.schedulers[0]!.orders.length);
    const [, smallEntry, largeEntry] = sim.stats.requests;
    expect(smallEntry!.answer).toEqual(small.json);
    expect(largeEntry).toMatchObject({ endpoint: 'orders', status: 200, answer: { omitted: `answer of ${bytes} bytes` } });
  });
});
