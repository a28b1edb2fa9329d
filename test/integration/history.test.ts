/**
 * The history engine through the 1.x simulator over HTTP (real transport, session, API and
 * answer checks): random histories of tasks and orders (with child orders), polled with missed
 * polls and history outages; at the end the counters equal the ground truth of the same rows.
 */
import { v1OrderSource, v1TaskSource } from '../../src/collectors/v1/history-source';
import { HistoryTracker, type HistoryOptions } from '../../src/history';
import { JocTransport } from '../../src/joc/http';
import { JocSession } from '../../src/joc/session';
import { JocCaller } from '../../src/joc/caller';
import { JocApiV1 } from '../../src/joc/v1/api';
import { SelfMetrics } from '../../src/metrics/self';
import { Secret } from '../../src/secret';
import { generateInventory, startSimulator, type Simulator } from '../../src/simulator';
import type { OrderHistoryRow, TaskHistoryRow } from '../../src/simulator/history-store';
import { createPrng, generateRows, groundTruth, type ModelRow } from '../support/history-model';
import { captureLogger } from '../support/logs';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T_START = Date.UTC(2026, 0, 5, 8, 0, 0);
const INTERVAL = 30_000;
const OPTIONS: Partial<HistoryOptions> = { overlapMs: 5 * MINUTE, windowMs: HOUR, primeLookbackMs: 30 * MINUTE, recheckChunk: 7, maxPages: 1000 };

function taskRow(row: ModelRow): TaskHistoryRow {
  return {
    id: Number(row.id), job: row.job, start: row.start, failed: row.failed, exitCode: row.exitCode,
    visibleAt: row.visibleAt, endVisibleAt: row.endVisibleAt, ...(row.end === null ? {} : { end: row.end }),
  };
}

/** Orders from rows; one in eight gets a child that starts a second later and ends before it. */
function orderRows(rows: readonly ModelRow[], prng: ReturnType<typeof createPrng>): { orders: OrderHistoryRow[]; truthRows: ModelRow[] } {
  const orders: OrderHistoryRow[] = [];
  const truthRows: ModelRow[] = [];
  let childId = 900_000;
  for (const row of rows) {
    const chain = row.job.replace('/job', '/chain');
    const end = row.end === null ? {} : { end: row.end };
    orders.push({ id: Number(row.id), jobChain: chain, orderId: `o${row.id}`, node: row.failed ? 'error' : 'end', start: row.start,
      resultError: row.failed, visibleAt: row.visibleAt, endVisibleAt: row.endVisibleAt, ...end });
    truthRows.push({ ...row, job: chain });
    if (row.end !== null && row.end - row.start > 3_000 && row.visibleAt <= row.start + 5_000 && prng.chance(0.125)) {
      const child: ModelRow = { ...row, id: String(childId++), job: chain, start: row.start + 1_000, end: row.end - 1_000, failed: false,
        visibleAt: row.visibleAt + 1_000, endVisibleAt: row.endVisibleAt };
      orders.push({ id: Number(child.id), jobChain: chain, orderId: `o${row.id}-+${row.id}+-child`, node: 'end', start: child.start,
        end: child.end!, resultError: false, visibleAt: child.visibleAt, endVisibleAt: child.endVisibleAt });
      truthRows.push(child);
    }
  }
  return { orders, truthRows };
}

describe('history through the 1.x simulator over HTTP', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it.each([11, 12, 13, 14])('counts tasks and orders exactly once (seed %i)', async (seed) => {
    let now = T_START;
    const prng = createPrng(seed);
    const genEnd = T_START + HOUR;
    const tasks = generateRows(seed, { pageLimit: 15, overlapMs: OPTIONS.overlapMs! }, T_START - 40 * MINUTE, genEnd);
    const ordersFrom = generateRows(seed + 1000, { pageLimit: 15, overlapMs: OPTIONS.overlapMs! }, T_START - 40 * MINUTE, genEnd);
    const { orders, truthRows } = orderRows(ordersFrom.rows.map((r) => ({ ...r, id: String(Number(r.id) + 500_000) })), prng);
    const inventory = generateInventory({ seed, now: T_START, jobschedulerIds: ['scheduler'] });
    inventory.schedulers[0]!.taskHistory = tasks.rows.map(taskRow);
    inventory.schedulers[0]!.orderHistory = orders;
    sim = await startSimulator({ now: () => now, inventory, sessionTimeoutMs: 100 * HOUR, maxLoggedRequests: 0 });

    const metrics = new SelfMetrics();
    const { logger } = captureLogger('silent');
    const transport = new JocTransport({ name: 'joc', url: sim.url, timeoutMs: 10_000, ca: null, insecureSkipVerify: false, metrics, maxResponseBytes: 64 << 20 });
    const session = new JocSession({ name: 'joc', transport, user: 'root', password: new Secret('root'), logger, metrics });
    const api = new JocApiV1(new JocCaller(session, metrics, 'joc', logger));
    const taskTracker = new HistoryTracker(v1TaskSource(api, 'scheduler'), { ...OPTIONS, pageLimit: 15 }, () => now);
    const orderTracker = new HistoryTracker(v1OrderSource(api, 'scheduler'), { ...OPTIONS, pageLimit: 5000 }, () => now);

    const outageFrom = T_START + prng.int(5, 20) * MINUTE;
    const outageTo = outageFrom + prng.int(5, 40) * MINUTE;
    let outage = false;
    let firstPoll: number | null = null;
    let pages = 0;
    try {
      for (; now < genEnd + 100 * MINUTE; now += INTERVAL) {
        const down = now >= outageFrom && now < outageTo;
        if (down !== outage) {
          outage = down;
          for (const e of ['tasks/history', 'orders/history'] as const) sim.setFault(e, down ? { kind: 'html500' } : null);
        }
        if (firstPoll !== null && !down && prng.chance(0.1)) continue;
        const results = await Promise.allSettled([taskTracker.poll(), orderTracker.poll()]);
        if (results[0].status === 'fulfilled') pages += results[0].value.pages;
        if (results.every((r) => r.status === 'fulfilled')) firstPoll ??= now;
        if (!down) expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      }
      await Promise.all([taskTracker.poll(), orderTracker.poll()]);
    } finally {
      await session.close();
      await transport.destroy();
    }
    expect(firstPoll).not.toBeNull();
    const check = (tracker: HistoryTracker, rows: readonly ModelRow[]): number => {
      // counting starts at JOC's time of the first poll: its deliveryDate minus the round trip
      const from = tracker.countingFrom;
      expect(from).toBeGreaterThan(firstPoll! - 5_000);
      const truth = groundTruth(rows, from, firstPoll! - OPTIONS.primeLookbackMs!, now);
      const exposed = new Map([...tracker.book.values()].map((s) => [s.key, s.completed]));
      for (const [key, counts] of truth) expect([key, exposed.get(key)]).toEqual([key, counts]);
      for (const [key, counts] of exposed) expect([key, counts]).toEqual([key, truth.get(key) ?? { successful: 0, failed: 0 }]);
      return [...truth.values()].reduce((n, c) => n + c.successful + c.failed, 0);
    };
    expect(check(taskTracker, tasks.rows)).toBeGreaterThan(100);
    expect(check(orderTracker, truthRows)).toBeGreaterThan(100);
    expect(pages).toBeGreaterThan(220);
    expect(taskTracker.truncations + orderTracker.truncations).toBe(0);
  });
});
