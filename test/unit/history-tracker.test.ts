/** Unit tests of the history tracker's edges: bound, gap past the window, paging limits, failures. */
import { HistoryTracker } from '../../src/history';
import { createPrng, HistoryModel, type ModelRow } from '../support/history-model';

const MINUTE = 60_000;
const T = Date.UTC(2026, 0, 5, 8, 0, 0);

function row(id: number, job: string, start: number, end: number | null, failed = false): ModelRow {
  return { id: String(id), job, start, end, failed, exitCode: failed ? 3 : 0, visibleAt: start, endVisibleAt: end ?? Infinity };
}

function setup(rows: ModelRow[], options = {}) {
  let now = T;
  let down = false;
  const model = new HistoryModel(createPrng(1), () => now, () => down);
  for (const r of rows) model.add(r);
  const tracker = new HistoryTracker(model, { overlapMs: 5 * MINUTE, windowMs: 60 * MINUTE, primeLookbackMs: 60 * MINUTE, ...options }, () => now);
  return {
    model,
    tracker,
    at: (t: number) => (now = t),
    setDown: (d: boolean) => (down = d),
  };
}

describe('HistoryTracker', () => {
  it('counts nothing at the first poll, but creates the series at 0 and fills the last-* values', async () => {
    const { tracker } = setup([row(1, '/a', T - 10 * MINUTE, T - 9 * MINUTE, true), row(2, '/b', T - MINUTE, null)]);
    const outcome = await tracker.poll();
    expect(outcome.counted).toBe(0);
    expect(tracker.book.get('/a')).toMatchObject({ completed: { successful: 0, failed: 0 }, lastFailureEnd: T - 9 * MINUTE });
    expect(tracker.book.get('/a')!.last).toMatchObject({ exitCode: 3, failed: true, durationSeconds: 60 });
    expect(tracker.book.get('/b')!.completed).toEqual({ successful: 0, failed: 0 });
    expect(tracker.openEntries).toBe(1);
  });

  it('defers the increments of a series born in this poll to the next poll', async () => {
    const { model, tracker, at } = setup([]);
    await tracker.poll();
    model.add(row(1, '/new', T + 10_000, T + 20_000));
    at(T + 30_000);
    expect((await tracker.poll()).counted).toBe(1);
    expect(tracker.book.get('/new')!.completed).toEqual({ successful: 0, failed: 0 });
    at(T + 60_000);
    await tracker.poll();
    expect(tracker.book.get('/new')!.completed).toEqual({ successful: 1, failed: 0 });
  });

  it('changes nothing when a request of the poll fails, and reads it all again next time', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(i + 10, '/a', T + 1000 * i, T + 1000 * i + 500));
    const { model, tracker, at, setDown } = setup([row(1, '/a', T - MINUTE, T - 30_000)], { pageLimit: 10 });
    await tracker.poll();
    for (const r of rows) model.add(r);
    at(T + MINUTE);
    let calls = 0;
    const window = model.window.bind(model);
    model.window = async (q) => {
      if (++calls === 2) throw new Error('second page fails');
      return window(q);
    };
    await expect(tracker.poll()).rejects.toThrow('second page fails');
    expect(tracker.book.totals).toEqual({ successful: 0, failed: 0 });
    setDown(false);
    const outcome = await tracker.poll();
    expect(outcome.pages).toBeGreaterThanOrEqual(3);
    expect(tracker.book.totals).toEqual({ successful: 30, failed: 0 });
  });

  it('flags a gap longer than the window as truncated and resumes at the window', async () => {
    const { tracker, at } = setup([]);
    await tracker.poll();
    at(T + 30 * MINUTE);
    expect((await tracker.poll()).truncated).toBe(false);
    at(T + 30 * MINUTE + 2 * 60 * MINUTE);
    expect((await tracker.poll()).truncated).toBe(true);
    expect(tracker.truncations).toBe(1);
  });

  it('flags a page full of one instant as truncated instead of asking for it forever', async () => {
    const { model, tracker, at } = setup([], { pageLimit: 5 });
    await tracker.poll();
    for (let i = 0; i < 12; i++) model.add(row(100 + i, '/burst', T + 10_000, T + 11_000));
    at(T + 30_000);
    const outcome = await tracker.poll();
    expect(outcome.truncated).toBe(true);
    expect(outcome.pages).toBe(2);
  });

  it('past the series bound, counts new jobs only in the totals and says so once', async () => {
    const { model, tracker, at } = setup([row(1, '/a', T - MINUTE, T - 50_000)], { maxSeries: 1 });
    await tracker.poll();
    model.add(row(2, '/b', T + 1000, T + 2000, true));
    model.add(row(3, '/a', T + 1000, T + 2000));
    at(T + 30_000);
    const first = await tracker.poll();
    expect(first.boundReached).toBe(true);
    model.add(row(4, '/c', T + 31_000, T + 32_000));
    at(T + 60_000);
    expect((await tracker.poll()).boundReached).toBe(false);
    expect(tracker.book.size).toBe(1);
    expect(tracker.book.get('/a')!.completed).toEqual({ successful: 1, failed: 0 });
    expect(tracker.book.totals).toEqual({ successful: 2, failed: 1 });
  });

  it('looks up open entries older than the window by id, one chunk per poll, taking turns', async () => {
    const open = Array.from({ length: 5 }, (_, i) => row(i + 1, '/long', T - 2 * MINUTE, T + 20 * MINUTE + i * 1000));
    const { model, tracker, at } = setup(open, { recheckChunk: 2 });
    await tracker.poll();
    expect(tracker.openEntries).toBe(5);
    for (let t = T + 30_000; t < T + 24 * MINUTE; t += 30_000) {
      at(t);
      const outcome = await tracker.poll();
      // the window request, and from when the start has left the window, one look-up
      expect(outcome.requests).toBe(t - 5 * MINUTE - 30_000 > T - 2 * MINUTE && tracker.openEntries + outcome.counted > 0 ? 2 : 1);
    }
    expect(tracker.openEntries).toBe(0);
    expect(tracker.book.get('/long')!.completed.successful).toBe(5);
    expect(model.byIdRequests).toBeGreaterThanOrEqual(3);
  });

  it('forgets open entries older than maxOpenAge', async () => {
    const { tracker, at } = setup([row(1, '/stuck', T - 2 * MINUTE, null)], { maxOpenAgeMs: 30 * MINUTE });
    await tracker.poll();
    expect(tracker.openEntries).toBe(1);
    at(T + 29 * MINUTE);
    await tracker.poll();
    at(T + 31 * MINUTE);
    await tracker.poll();
    expect(tracker.openEntries).toBe(0);
  });
});
