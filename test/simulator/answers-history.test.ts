/** The simulator's tasks/history and orders/history semantics (V1-HISTORY-NOTES §1.2-1.6). */
import { ordersHistoryAnswer, tasksHistoryAnswer } from '../../src/simulator/answers-history';
import { parseJocDate } from '../../src/simulator/dates';
import type { SchedulerInventory } from '../../src/simulator/inventory';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const MIN = 60_000;
type Json = Record<string, any>;

function scheduler(): SchedulerInventory {
  return {
    jobschedulerId: 'scheduler',
    masters: [],
    jobChains: [],
    jobs: [],
    orders: [],
    taskHistory: [
      { id: 1, job: '/a/x', start: NOW - 30 * MIN, end: NOW - 29 * MIN, failed: false, exitCode: 0 },
      { id: 2, job: '/a/y', start: NOW - 20 * MIN, end: NOW - 19 * MIN, failed: true, exitCode: 4 },
      { id: 3, job: '/b/x', start: NOW - 10 * MIN, end: NOW + 10 * MIN, failed: false, exitCode: 0 },
      // written late: visible only from NOW - 1 min, with its old start
      { id: 4, job: '/a/x', start: NOW - 25 * MIN, end: NOW - 24 * MIN, failed: false, exitCode: 0, visibleAt: NOW - MIN, endVisibleAt: NOW - MIN },
      { id: 5, job: '/a/x', start: NOW - 5 * MIN, end: NOW - 4 * MIN, failed: false, exitCode: 0, visibleAt: NOW + MIN },
    ],
    orderHistory: [
      { id: 10, jobChain: '/c/chain', orderId: 'o1', node: 'end', start: NOW - 30 * MIN, end: NOW - 20 * MIN, resultError: true },
      { id: 11, jobChain: '/c/chain', orderId: 'o1-+10+-child', node: 'end', start: NOW - 29 * MIN, end: NOW - 21 * MIN, resultError: false },
      { id: 12, jobChain: '/c/chain', orderId: 'o2', node: 'success', start: NOW - 10 * MIN, end: NOW - 9 * MIN, resultError: true },
    ],
  };
}

describe('tasks/history', () => {
  it('answers the window on start time, newest first, with running tasks INCOMPLETE and rows only once written', () => {
    const answer = tasksHistoryAnswer(scheduler(), { jobschedulerId: 'scheduler', dateFrom: '-1h' }, NOW) as Json;
    expect(answer.history.map((h: Json) => h.taskId)).toEqual(['3', '2', '4', '1']);
    const running = answer.history[0];
    expect(running).toMatchObject({ state: { severity: 1, _text: 'INCOMPLETE' }, exitCode: 0 });
    expect(running.endTime).toBeUndefined();
    expect(answer.history[1]).toMatchObject({ state: { severity: 2, _text: 'FAILED' }, exitCode: 4, error: { code: expect.any(String) } });
  });

  it('takes dateFrom inclusive and dateTo exclusive, cuts at the limit (dropping the oldest), and limit <= 0 is unlimited', () => {
    const s = scheduler();
    const iso = (ms: number) => new Date(ms).toISOString();
    const window = tasksHistoryAnswer(s, { jobschedulerId: 'scheduler', dateFrom: iso(NOW - 25 * MIN), dateTo: iso(NOW - 10 * MIN) }, NOW) as Json;
    expect(window.history.map((h: Json) => h.taskId)).toEqual(['2', '4']);
    const cut = tasksHistoryAnswer(s, { jobschedulerId: 'scheduler', dateFrom: '-1h', limit: 2 }, NOW) as Json;
    expect(cut.history.map((h: Json) => h.taskId)).toEqual(['3', '2']);
    expect((tasksHistoryAnswer(s, { jobschedulerId: 'scheduler', limit: -1 }, NOW) as Json).history).toHaveLength(4);
  });

  it('with taskIds ignores dates and other filters', () => {
    const answer = tasksHistoryAnswer(scheduler(), { jobschedulerId: 'scheduler', taskIds: [1, 3], dateFrom: '-1m', jobs: [{ job: '/zzz' }] }, NOW) as Json;
    expect(answer.history.map((h: Json) => h.taskId)).toEqual(['3', '1']);
  });

  it('matches jobs exactly with a leading slash, else by suffix', () => {
    const s = scheduler();
    const exact = tasksHistoryAnswer(s, { jobschedulerId: 'scheduler', jobs: [{ job: '/a/x' }] }, NOW) as Json;
    expect(exact.history.map((h: Json) => h.taskId)).toEqual(['4', '1']);
    const suffix = tasksHistoryAnswer(s, { jobschedulerId: 'scheduler', jobs: [{ job: 'x' }] }, NOW) as Json;
    expect(suffix.history.map((h: Json) => h.taskId)).toEqual(['3', '4', '1']);
  });
});

describe('orders/history', () => {
  it('nests children into their parent, and the success-node rule makes a failed last step SUCCESSFUL', () => {
    const answer = ordersHistoryAnswer(scheduler(), { jobschedulerId: 'scheduler', dateFrom: '-1h' }, NOW) as Json;
    expect(answer.history.map((h: Json) => h.historyId)).toEqual(['12', '10']);
    expect(answer.history[0].state._text).toBe('SUCCESSFUL');
    expect(answer.history[1].state._text).toBe('FAILED');
    expect(answer.history[1].children.map((c: Json) => c.historyId)).toEqual(['11']);
  });

  it('drops a child whose parent is not in the result', () => {
    const byId = ordersHistoryAnswer(scheduler(), { jobschedulerId: 'scheduler', historyIds: [11] }, NOW) as Json;
    expect(byId.history).toEqual([]);
  });
});

describe('JOC date parameters', () => {
  it('reads absolute dates with offsets, relative ones from now, truncates day units, shifts a relative dateTo by a day, refuses "0"', () => {
    expect(parseJocDate('2024-05-01T10:00:00.000Z', NOW, 'dateFrom')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(parseJocDate('2024-05-01T10:00:00+02:00', NOW, 'dateFrom')).toBe(Date.UTC(2024, 4, 1, 8));
    expect(parseJocDate('-1h', NOW, 'dateFrom')).toBe(NOW - 60 * MIN);
    expect(parseJocDate('-1h', NOW, 'dateTo')).toBe(NOW + 23 * 60 * MIN);
    expect(parseJocDate('-1d', NOW, 'dateFrom')).toBe(Date.UTC(2024, 3, 30));
    expect(parseJocDate('0s', NOW, 'dateFrom')).toBe(NOW);
    expect(() => parseJocDate('0', NOW, 'dateFrom')).toThrow(/could not be parsed/);
  });
});
