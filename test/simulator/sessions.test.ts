import { expiredSessionText, SessionStore } from '../../src/simulator/sessions';

function clock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

describe('SessionStore (NOTES §2.4: only login and touch reset the idle timer)', () => {
  test('a session is valid up to its timeout and expired 1 ms later (Shiro: lastAccess < now - timeout)', () => {
    const c = clock();
    const store = new SessionStore(c.now, 1000);
    const s = store.create('root');
    c.advance(1000);
    expect(store.lookup(s.accessToken).kind).toBe('valid');
    c.advance(1);
    expect(store.lookup(s.accessToken)).toMatchObject({ kind: 'expired', shape: '401' });
  });

  test('data reads (lookup) do not extend the session', () => {
    const c = clock();
    const store = new SessionStore(c.now, 1000);
    const s = store.create('root');
    for (let i = 0; i < 5; i++) {
      c.advance(200);
      expect(store.lookup(s.accessToken).kind).toBe('valid');
    }
    c.advance(1);
    expect(store.lookup(s.accessToken).kind).toBe('expired');
  });

  test('touch extends the session', () => {
    const c = clock();
    const store = new SessionStore(c.now, 1000);
    const s = store.create('root');
    c.advance(900);
    expect(store.touch(s.accessToken).kind).toBe('valid');
    c.advance(900);
    expect(store.lookup(s.accessToken).kind).toBe('valid');
    c.advance(101);
    expect(store.lookup(s.accessToken).kind).toBe('expired');
  });

  test('once expired, a session stays expired: touch does not revive it', () => {
    const c = clock();
    const store = new SessionStore(c.now, 1000);
    const s = store.create('root');
    c.advance(1001);
    expect(store.touch(s.accessToken).kind).toBe('expired');
    expect(store.lookup(s.accessToken).kind).toBe('expired');
  });

  test('timeout -1 never expires', () => {
    const c = clock();
    const store = new SessionStore(c.now, -1);
    const s = store.create('root');
    c.advance(365 * 86_400_000);
    expect(store.lookup(s.accessToken).kind).toBe('valid');
    expect(store.active()).toHaveLength(1);
  });

  test('unknown, removed and cleared tokens are unknown', () => {
    const store = new SessionStore(() => 0, 1000);
    expect(store.lookup(undefined).kind).toBe('unknown');
    expect(store.lookup('nope').kind).toBe('unknown');
    const a = store.create('a');
    const b = store.create('b');
    expect(store.remove(a.accessToken)?.user).toBe('a');
    expect(store.lookup(a.accessToken).kind).toBe('unknown');
    store.clear();
    expect(store.lookup(b.accessToken).kind).toBe('unknown');
  });

  test('the default expiry shape is configurable, expireAll forces a shape and 440 purges', () => {
    const c = clock();
    const store = new SessionStore(c.now, 1000, '420');
    const a = store.create('a');
    c.advance(1001);
    expect(store.lookup(a.accessToken)).toMatchObject({ kind: 'expired', shape: '420' });
    const b = store.create('b');
    store.expireAll('401');
    expect(store.lookup(b.accessToken)).toMatchObject({ kind: 'expired', shape: '401' });
    expect(store.active()).toEqual([]);
    const d = store.create('d');
    store.expireAll('440');
    expect(store.lookup(d.accessToken).kind).toBe('unknown');
  });

  test('tokens are distinct UUIDs and active() lists valid sessions only', () => {
    const c = clock();
    const store = new SessionStore(c.now, 1000);
    const a = store.create('a');
    c.advance(600);
    const b = store.create('b');
    expect(a.accessToken).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a.accessToken).not.toBe(b.accessToken);
    c.advance(600);
    expect(store.active().map((s) => s.user)).toEqual(['b']);
  });

  test('expiredSessionText reads like Shiro', () => {
    const c = clock(Date.parse('2024-01-01T00:00:00.000Z'));
    const store = new SessionStore(c.now, 900_000);
    const s = store.create('root');
    expect(expiredSessionText(s, c.now() + 1_000_000)).toBe(
      `Session with id [${s.accessToken}] has expired. Last access time: 2024-01-01T00:00:00.000Z. `
        + 'Current time: 2024-01-01T00:16:40.000Z. Session timeout is set to 900 seconds (15 minutes)',
    );
  });
});
