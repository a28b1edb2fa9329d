import bcrypt from 'bcryptjs';
import type { BcryptPool, CompareResult } from '../../src/bcrypt-pool';
import { BasicAuth, parseBasic, usualCost } from '../../src/web-auth';

const header = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A pool that checks synchronously and records what it was asked. */
function fakePool(answer?: () => CompareResult) {
  const calls: Array<{ password: string; hash: string }> = [];
  const pool = {
    compare: (password: string, hash: string) => {
      calls.push({ password, hash });
      return Promise.resolve(answer ? answer() : bcrypt.compareSync(password, hash));
    },
  } as unknown as BcryptPool;
  return { pool, calls };
}

describe('parseBasic reads the header as Go does', () => {
  const ok = Buffer.from('user:pw').toString('base64'); // dXNlcjpwdw==
  test.each([
    ['canonical padding', `Basic ${ok}`, { user: 'user', password: 'pw' }],
    ['the scheme in any case', `bAsIc ${ok}`, { user: 'user', password: 'pw' }],
    ['everything after the first colon is the password', header('u', 'a:b:c'), { user: 'u', password: 'a:b:c' }],
    ['an empty password', header('u', ''), { user: 'u', password: '' }],
    ['over-padded base64', `Basic ${ok}=`, null],
    ['padding left out', `Basic ${ok.replace(/=+$/, '')}`, null],
    ['two spaces after Basic', `Basic  ${ok}`, null],
    ['trailing space', `Basic ${ok} `, null],
    ['no colon', `Basic ${Buffer.from('user').toString('base64')}`, null],
    ['another scheme', `Bearer ${ok}`, null],
    ['URL-safe base64', `Basic ${Buffer.from('u:??>').toString('base64url')}`, null],
  ])('%s', (_what, value, expected) => {
    expect(parseBasic(value)).toEqual(expected);
  });
});

describe('usualCost', () => {
  test('the most common cost, the higher on a tie, 10 for no users', () => {
    expect(usualCost([])).toBe(10);
    expect(usualCost(['$2b$12$x', '$2b$12$y', '$2b$18$z'])).toBe(12);
    expect(usualCost(['$2b$08$x', '$2b$14$y'])).toBe(14);
  });
});

describe('BasicAuth', () => {
  const hash = bcrypt.hashSync('right-pw', 4);
  const users = new Map([['prometheus', hash]]);

  test('a right password is checked once, then served from the cache; a wrong one right after is still refused', async () => {
    const { pool, calls } = fakePool();
    const auth = new BasicAuth(users, pool);
    expect(await auth.check(header('prometheus', 'right-pw'))).toBe('ok');
    expect(await auth.check(header('prometheus', 'right-pw'))).toBe('ok');
    expect(await auth.check(header('prometheus', 'wrong-pw'))).toBe('refused');
    expect(calls.length).toBe(2);
  });

  test('a wrong password sent again costs no second hash; a flood of other wrong ones does not push out a valid user', async () => {
    const { pool, calls } = fakePool();
    const auth = new BasicAuth(users, pool);
    expect(await auth.check(header('prometheus', 'right-pw'))).toBe('ok');
    expect(await auth.check(header('prometheus', 'wrong-1'))).toBe('refused');
    expect(await auth.check(header('prometheus', 'wrong-1'))).toBe('refused');
    expect(calls.length).toBe(2);
    for (let i = 0; i < 2_000; i++) await auth.check(header('prometheus', `flood-${i}`));
    const before = calls.length;
    expect(await auth.check(header('prometheus', 'right-pw'))).toBe('ok');
    expect(calls.length).toBe(before);
  });

  test('an unknown user is checked against a dummy hash of the usual cost, never served', async () => {
    const { pool, calls } = fakePool(() => true); // even a pool saying "matches" lets no unknown user in
    const auth = new BasicAuth(new Map([['a', '$2b$12$' + 'x'.repeat(53)], ['b', '$2b$12$' + 'y'.repeat(53)], ['c', '$2b$05$' + 'z'.repeat(53)]]), pool);
    expect(await auth.check(header('nobody', 'pw'))).toBe('refused');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.hash).toMatch(/^\$2b\$12\$[./A-Za-z0-9]{53}$/);
  });

  test('concurrent checks of the same credentials share one hash', async () => {
    const { pool, calls } = fakePool();
    const auth = new BasicAuth(users, pool);
    const results = await Promise.all(Array.from({ length: 5 }, () => auth.check(header('prometheus', 'right-pw'))));
    expect(results).toEqual(Array(5).fill('ok'));
    expect(calls).toHaveLength(1);
  });

  test('a full pool answers busy, and nothing is cached for it', async () => {
    let busy = true;
    const { pool, calls } = fakePool(() => (busy ? 'busy' : true));
    const auth = new BasicAuth(users, pool);
    expect(await auth.check(header('prometheus', 'right-pw'))).toBe('busy');
    busy = false;
    expect(await auth.check(header('prometheus', 'right-pw'))).toBe('ok');
    expect(calls).toHaveLength(2);
  });

  test('a malformed header is refused without a hash', async () => {
    const { pool, calls } = fakePool();
    const auth = new BasicAuth(users, pool);
    expect(await auth.check(undefined)).toBe('refused');
    expect(await auth.check('Basic %%%')).toBe('refused');
    expect(calls).toHaveLength(0);
  });
});

describe('BasicAuth and clients that go away', () => {
  test('a shared check dropped because its first client left is made again for the client still waiting', async () => {
    const hash = bcrypt.hashSync('right-pw', 4);
    let calls = 0;
    const pool = {
      compare: (password: string, h: string, signal?: AbortSignal) => {
        calls += 1;
        // The first check waits for a worker until its client leaves; later ones run at once.
        if (calls === 1) return new Promise<CompareResult>((resolve) => signal?.addEventListener('abort', () => resolve(false)));
        return Promise.resolve(bcrypt.compareSync(password, h));
      },
    } as unknown as BcryptPool;
    const auth = new BasicAuth(new Map([['prometheus', hash]]), pool);
    const gone = new AbortController();
    const first = auth.check(header('prometheus', 'right-pw'), gone.signal);
    const second = auth.check(header('prometheus', 'right-pw'));
    gone.abort();
    expect(await first).toBe('refused');
    expect(await second).toBe('ok');
    expect(calls).toBe(2);
  });
});
