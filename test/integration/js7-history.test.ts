/**
 * The history engine on a JS7 JOC (the JS7 simulator over HTTP, the real JS7 client): random
 * task and main-order histories, written as JS7's history service writes them (running rows that
 * end later, late rows with an old start), polled with missed polls and an outage; at the end the
 * counters equal the ground truth of the same rows. Also the JS7 Agent and daily-plan series.
 */
import { js7OrderSource, js7TaskSource } from '../../src/collectors/js7/history-source';
import { js7AgentSamples, js7PlanSamples } from '../../src/collectors/js7/outcomes';
import { localDate } from '../../src/util/time-zone';
import { HistoryTracker, type HistoryOptions } from '../../src/history';
import { JocCaller } from '../../src/joc/caller';
import { JocTransport } from '../../src/joc/http';
import { AgentsAnswer, DailyPlanSummaryAnswer } from '../../src/joc/js7/answers';
import { JocApiJs7 } from '../../src/joc/js7/api';
import { JocSession, SESSION_PATHS_JS7 } from '../../src/joc/session';
import { SelfMetrics } from '../../src/metrics/self';
import { Secret } from '../../src/secret';
import { generateJs7Inventory, startJs7Simulator, type Js7Simulator } from '../../src/simulator/js7';
import type { OrderHistoryEntry, TaskHistoryEntry } from '../../src/simulator/js7/model';
import { createPrng, generateRows, groundTruth, type ModelRow } from '../support/history-model';
import { captureLogger } from '../support/logs';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T_START = Date.UTC(2026, 0, 5, 8, 0, 0);
const INTERVAL = 30_000;
const OPTIONS: Partial<HistoryOptions> = { overlapMs: 5 * MINUTE, windowMs: HOUR, primeLookbackMs: 30 * MINUTE, recheckChunk: 7, maxPages: 1000 };

/** The rows as JOC shows them at `now`: written from visibleAt, ended from endVisibleAt. */
function showTasks(rows: readonly ModelRow[], live: TaskHistoryEntry[], now: number): void {
  rows.forEach((row, i) => {
    const entry = live[i]!;
    const ended = row.end !== null && now >= row.endVisibleAt;
    entry.state = ended ? (row.failed ? 'FAILED' : 'SUCCESSFUL') : 'INCOMPLETE';
    if (ended) {
      entry.endTime = row.end!;
      entry.exitCode = row.exitCode;
    } else {
      delete entry.endTime;
      delete entry.exitCode;
    }
  });
}

function showOrders(rows: readonly ModelRow[], live: OrderHistoryEntry[], now: number): void {
  rows.forEach((row, i) => {
    const entry = live[i]!;
    const ended = row.end !== null && now >= row.endVisibleAt;
    entry.state = ended ? (row.failed ? 'FAILED' : 'SUCCESSFUL') : 'INCOMPLETE';
    if (ended) entry.endTime = row.end!;
    else delete entry.endTime;
  });
}

/** A workflow per job, and the job's name in it: JS7 jobs are named within their workflow. */
function workflowOf(job: string): { workflow: string; job: string } {
  const m = /^(.*)\/(job\d+)$/.exec(job)!;
  return { workflow: `${m[1]}/wf-${m[2]}`, job: m[2]! };
}

describe('history of a JS7 JOC over HTTP', () => {
  let sim: Js7Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it.each([21, 22, 23])('counts tasks (per workflow and job) and main orders exactly once (seed %i)', async (seed) => {
    let now = T_START;
    const prng = createPrng(seed);
    const genEnd = T_START + HOUR;
    const tasks = generateRows(seed, { pageLimit: 15, overlapMs: OPTIONS.overlapMs! }, T_START - 40 * MINUTE, genEnd).rows;
    const orders = generateRows(seed + 1000, { pageLimit: 15, overlapMs: OPTIONS.overlapMs! }, T_START - 40 * MINUTE, genEnd).rows
      .map((r) => ({ ...r, id: String(Number(r.id) + 500_000), job: workflowOf(r.job).workflow }));
    const inventory = generateJs7Inventory({ seed, now: T_START });
    const controller = inventory.controllers[0]!;
    controller.taskHistory = tasks.map((row) => ({
      taskId: Number(row.id), ...workflowOf(row.job), orderId: `o${row.id}`, position: 0, startTime: row.start, state: 'INCOMPLETE',
      agentUrl: 'http://agent:4445', criticality: 'NORMAL', writtenAt: row.visibleAt,
    }));
    controller.orderHistory = orders.map((row) => ({
      historyId: Number(row.id), orderId: `o${row.id}`, workflow: row.job, plannedTime: row.start, startTime: row.start, state: 'INCOMPLETE',
      orderState: 'FINISHED', position: 0, writtenAt: row.visibleAt,
    }));
    sim = await startJs7Simulator({ now: () => now, inventory, sessionTimeoutMs: -1, maxLoggedRequests: 0 });

    const metrics = new SelfMetrics();
    const { logger } = captureLogger('silent');
    const transport = new JocTransport({ name: 'js7', url: sim.url, timeoutMs: 10_000, ca: null, insecureSkipVerify: false, metrics, maxResponseBytes: 64 << 20 });
    const session = new JocSession({ name: 'js7', transport, user: 'root', password: new Secret('root'), logger, metrics, paths: SESSION_PATHS_JS7 });
    const api = new JocApiJs7(new JocCaller(session, metrics, 'js7', logger));
    const id = controller.controllerId;
    const taskTracker = new HistoryTracker(js7TaskSource(api, id), { ...OPTIONS, pageLimit: 15 }, () => now);
    const orderTracker = new HistoryTracker(js7OrderSource(api, id), { ...OPTIONS, pageLimit: 15 }, () => now);

    const outageFrom = T_START + prng.int(5, 20) * MINUTE;
    const outageTo = outageFrom + prng.int(5, 40) * MINUTE;
    let firstPoll: number | null = null;
    try {
      for (; now < genEnd + 100 * MINUTE; now += INTERVAL) {
        const down = now >= outageFrom && now < outageTo;
        for (const e of ['tasks/history', 'orders/history'] as const) sim.setFault(e, down ? { kind: 'html500' } : null);
        if (firstPoll !== null && !down && prng.chance(0.1)) continue;
        showTasks(tasks, controller.taskHistory, now);
        showOrders(orders, controller.orderHistory, now);
        const results = await Promise.allSettled([taskTracker.poll(), orderTracker.poll()]);
        if (results.every((r) => r.status === 'fulfilled')) firstPoll ??= now;
        if (!down) expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      }
      await Promise.all([taskTracker.poll(), orderTracker.poll()]);
    } finally {
      await session.close();
      await transport.destroy();
    }
    expect(firstPoll).not.toBeNull();
    const check = (tracker: HistoryTracker, rows: readonly ModelRow[], key: (job: string) => string): number => {
      const truthRows = rows.map((r) => ({ ...r, job: key(r.job) }));
      const truth = groundTruth(truthRows, tracker.countingFrom, firstPoll! - OPTIONS.primeLookbackMs!, now);
      const exposed = new Map([...tracker.book.values()].map((s) => [s.key, s.completed]));
      for (const [k, counts] of truth) expect([k, exposed.get(k)]).toEqual([k, counts]);
      for (const [k, counts] of exposed) expect([k, counts]).toEqual([k, truth.get(k) ?? { successful: 0, failed: 0 }]);
      return [...truth.values()].reduce((n, c) => n + c.successful + c.failed, 0);
    };
    expect(check(taskTracker, tasks, (job) => { const w = workflowOf(job); return `${w.workflow}\u0000${w.job}`; })).toBeGreaterThan(100);
    expect(check(orderTracker, orders, (wf) => wf)).toBeGreaterThan(100);
    const someTask = [...taskTracker.book.values()][0]!;
    expect(Object.keys(someTask.labels).sort()).toEqual(['job_name', 'workflow']);
  });

  it('Agents: standalone by state, cluster Agents by health and their Subagents; the daily plan by state and lateness', async () => {
    const now = Date.now();
    sim = await startJs7Simulator({ now: () => now, seed: 3 });
    const metrics = new SelfMetrics();
    const { logger } = captureLogger('silent');
    const transport = new JocTransport({ name: 'js7', url: sim.url, timeoutMs: 10_000, ca: null, insecureSkipVerify: false, metrics, maxResponseBytes: 64 << 20 });
    const session = new JocSession({ name: 'js7', transport, user: 'root', password: new Secret('root'), logger, metrics, paths: SESSION_PATHS_JS7 });
    const api = new JocApiJs7(new JocCaller(session, metrics, 'js7', logger));
    try {
      const id = sim.inventory.controllers[0]!.controllerId;
      const base = { joc: 'js7', jobscheduler_id: id };
      const agents = AgentsAnswer.parse(await api.agents(id));
      const samples = js7AgentSamples(agents, base);
      const standalone = agents.agents.filter((a) => a.state && a.url);
      const clusters = agents.agents.filter((a) => a.healthState && !a.state);
      expect(standalone.length + clusters.length).toBe(agents.agents.length);
      expect([standalone.length > 0, clusters.length > 0]).toEqual([true, true]);
      for (const a of standalone) {
        const hot = samples.filter((s) => s.family.name === 'jobscheduler_agent_state' && s.labels['agent'] === a.agentId && s.value === 1);
        expect(hot.map((s) => s.labels['state'])).toEqual([a.state!._text.toLowerCase()]);
        expect(hot[0]!.labels['url']).toBe(a.url);
      }
      for (const a of clusters) {
        const hot = samples.filter((s) => s.family.name === 'jobscheduler_agent_cluster_state' && s.labels['agent_cluster'] === a.agentId && s.value === 1);
        expect(hot.map((s) => s.labels['state'])).toEqual([a.healthState!._text.toLowerCase()]);
        expect(samples.filter((s) => s.family.name === 'jobscheduler_subagent_state' && s.labels['agent'] === a.agentId && s.value === 1)).toHaveLength(a.subagents?.length ?? 0);
      }
      const day = localDate(now, 'UTC');
      const summary = DailyPlanSummaryAnswer.parse(await api.dailyPlanSummary(id, day));
      const plan = Object.fromEntries(js7PlanSamples(summary, base).map((s) => [`${s.labels['state']}/${s.labels['late']}`, s.value]));
      expect(plan).toEqual({
        'planned/false': summary.planned ?? 0, 'planned/true': summary.plannedLate ?? 0,
        'submitted/false': summary.submitted ?? 0, 'submitted/true': summary.submittedLate ?? 0,
        'finished/false': summary.finished ?? 0, 'finished/true': 0,
      });
    } finally {
      await session.close();
      await transport.destroy();
    }
  });
});
