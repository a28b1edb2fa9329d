import bcrypt from 'bcryptjs';
import { BcryptPool } from '../../src/bcrypt-pool';

/** The longest gap between timer ticks of 10 ms while `work` runs: how long the event loop was blocked. */
async function longestStall(work: Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 10);
  await work;
  clearInterval(timer);
  return longest;
}

describe('BcryptPool', () => {
  const pools: BcryptPool[] = [];
  const pool = (options?: { size?: number; queueLimit?: number }): BcryptPool => {
    const p = new BcryptPool(options);
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  test('checks passwords on a worker: right true, wrong false, a malformed hash false', async () => {
    const hash = bcrypt.hashSync('pw', 4);
    const p = pool();
    expect(await p.compare('pw', hash)).toBe(true);
    expect(await p.compare('other', hash)).toBe(false);
    expect(await p.compare('pw', 'not a hash')).toBe(false);
  });

  test('a cost-14 check (hundreds of ms of CPU) leaves the event loop free', async () => {
    const hash = bcrypt.genSaltSync(14) + 'x'.repeat(31);
    const started = performance.now();
    const stall = await longestStall(pool().compare('pw', hash));
    const took = performance.now() - started;
    // The check itself takes far longer than the longest stall: it ran elsewhere.
    expect(took).toBeGreaterThan(200);
    expect(stall).toBeLessThan(Math.max(150, took / 2));
  });

  test('at most size checks run and queueLimit wait; more are answered busy at once', async () => {
    const hash = bcrypt.genSaltSync(12) + 'x'.repeat(31);
    const p = pool({ size: 1, queueLimit: 2 });
    const running = [p.compare('a', hash), p.compare('b', hash), p.compare('c', hash)];
    expect(p.pending).toBe(3);
    expect(await p.compare('d', hash)).toBe('busy');
    expect(await Promise.all(running)).toEqual([false, false, false]);
  });

  test('a check whose client is gone before its turn is dropped without hashing', async () => {
    const hash = bcrypt.genSaltSync(12) + 'x'.repeat(31);
    const p = pool({ size: 1, queueLimit: 5 });
    const first = p.compare('a', hash);
    const gone = new AbortController();
    const second = p.compare('b', hash, gone.signal);
    expect(p.pending).toBe(2);
    gone.abort();
    expect(p.pending).toBe(1);
    expect(await second).toBe(false);
    await first;
  });

  test('close() ends a worker in the middle of a long hash at once', async () => {
    const p = pool();
    const long = p.compare('pw', bcrypt.genSaltSync(18) + 'x'.repeat(31)); // some 20 s of CPU
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await p.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await long).toBe(false);
  });
});
