/**
 * End to end with a real Prometheus: Debian's `prometheus` scrapes the in-process exporter, which
 * polls the in-process JOC Cockpit simulator every second; Prometheus loads a copy of
 * prometheus/alerts.yml whose `for:` durations are shortened. Checked through Prometheus' HTTP API:
 * the series carry the simulator's values, a suspended order makes JobSchedulerOrdersSuspended
 * (and JobSchedulerJobChainOrdersSuspended) go pending, fire and resolve, and every dashboard
 * query outside the JS7 rows (test/e2e/js7.test.ts runs those) parses and returns data. promtool
 * checks prometheus/prometheus.yml and the live /metrics.
 *
 * The tests run in order and share one scenario: (d) suspends and resumes an order, (e) forces a
 * session expiry and a failed request (so that (c), which counts logins, comes before it).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { request } from 'undici';
import { parse, stringify } from 'yaml';
import { DEFAULT_ORDER_STATES } from '../../src/config/types';
import type { OrderStateText } from '../../src/joc/v1/enums';
import { generateInventory, type Inventory, type SchedulerInventory } from '../../src/simulator';
import { parsePromQL } from '../ops/promql';
import { masterUrl } from '../../src/simulator/inventory';
import { jobCounts, orderCounts, ORDER_STATE_LABEL, taskCounts, v1Joc } from '../support/expected';
import { startPrometheus, type PromAlert, type PromSample, type RunningPrometheus } from '../support/prometheus';
import { shortenedRules, type AlertRule, type RuleFile } from '../support/rules';
import { startStack, type Stack } from '../support/stack';
import { describeWithTools } from '../support/tools';
import {
  escapeRegex, isJs7Row, keyed, labelValuesQuery, rowOf, run, seriesKey, substitute, type Dashboard,
} from '../support/e2e';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const ALERTS_FILE = join(ROOT, 'prometheus', 'alerts.yml');
const DASHBOARD_FILE = join(ROOT, 'grafana', 'dashboards', 'jobscheduler.json');
/** Seed of the simulator's generated inventory (deterministic per seed). */
const SEED = 1;
/** The configured JOC name: the `joc` label. */
const JOC = 'e2e';
/** Prometheus' scrape job name (its `job` label). */
const SCRAPE_JOB = 'jobscheduler';
/** Every `for:` of the test copy of the alert rules. */
const SHORT_FOR = '3s';
const SHORT_FOR_MS = 3_000;
/**
 * Dashboard queries that may legitimately return nothing in this scenario, with the reason.
 * Keep it short: better cause the data (as the dashboard test does for failed requests and
 * session renewals). Every entry must really return nothing, so the list cannot go stale.
 */
const NO_DATA_EXPECTED: Readonly<Record<string, string>> = {};

// ---- Scenario ----------------------------------------------------------------------------------

/**
 * The simulator's generated inventory without suspended orders (they become setback orders),
 * so that JobSchedulerOrdersSuspended starts quiet and the test decides when an order suspends.
 */
function scenarioInventory(): Inventory {
  const inventory = generateInventory({ seed: SEED });
  const now = Date.now();
  for (const scheduler of inventory.schedulers) {
    // History for the §8 panels: tasks and orders that ended before the first poll (series at 0
    // and the last-* gauges), and some that end during the test (one in three failing), so
    // that the counters move.
    const jobs = scheduler.jobs.slice(0, 4).map((j) => j.path);
    scheduler.taskHistory = jobs.flatMap((job, i) => [
      { id: 100 + i, job, start: now - 120_000, end: now - 110_000, failed: false, exitCode: 0 },
      { id: 200 + i, job, start: now - 100_000, end: now - 90_000, failed: i === 0, exitCode: i === 0 ? 2 : 0 },
      ...[1, 2, 3].map((k) => ({ id: 300 + 10 * i + k, job, start: now - 1_000, end: now + 3_000 * k, failed: k === 2, exitCode: k === 2 ? 1 : 0 })),
    ]);
    scheduler.orderHistory = scheduler.jobChains.slice(0, 2).flatMap((chain, i) => [
      { id: 500 + i, jobChain: chain.path, orderId: 'done', node: 'end', start: now - 120_000, end: now - 100_000, resultError: false },
      { id: 600 + i, jobChain: chain.path, orderId: 'later', node: 'error', start: now - 1_000, end: now + 5_000, resultError: true },
    ]);
    for (const order of scheduler.orders) {
      if (order.processingState === 'SUSPENDED') {
        order.processingState = 'SETBACK';
        delete order.manually;
      }
    }
  }
  return inventory;
}

/** Some jobs of a JobScheduler: one of each state, and one with queued tasks. */
function someJobs(scheduler: SchedulerInventory): string[] {
  const picked = new Map<string, string>();
  for (const job of scheduler.jobs) if (!picked.has(job.state)) picked.set(job.state, job.path);
  const queued = scheduler.jobs.find((j) => j.queuedTasks > 0);
  const paths = [...picked.values()];
  if (queued && !paths.includes(queued.path)) paths.push(queued.path);
  return paths;
}

/** Every job chain of every JobScheduler, and some jobs; default orderStates. */
function exporterYaml(inventory: Inventory): string {
  return stringify({
    listen: { host: '127.0.0.1', port: 0 },
    poll: { schedule: '* * * * * *', timeoutSeconds: 5 },
    log: { level: 'info' },
    joc: [
      {
        name: JOC,
        url: '${SIM_URL}',
        user: 'exporter',
        password: '${SIM_PASSWORD}',
        jobschedulers: inventory.schedulers.map((s) => ({
          id: s.jobschedulerId,
          jobChains: s.jobChains.map((c) => c.path),
          jobs: someJobs(s),
        })),
      },
    ],
  });
}

// ---- Expected values from the inventory ---------------------------------------------------------

/** What Prometheus must hold per family (one-hot families: only the series at 1), from the inventory. */
function expectedFamilies(inventory: Inventory, configuredJobs: ReadonlyMap<string, readonly string[]>): Record<string, Record<string, number>> {
  const families: Record<string, Record<string, number>> = {};
  const add = (family: string, labels: Record<string, string>, value: number): void => {
    (families[family] ??= {})[seriesKey(family, labels)] = value;
  };
  for (const s of inventory.schedulers) {
    const js = { joc: JOC, jobscheduler_id: s.jobschedulerId };
    add('jobscheduler_up', js, 1);
    for (const [state, n] of Object.entries(orderCounts(s.orders))) add('jobscheduler_orders', { ...js, state }, n);
    for (const chain of s.jobChains) {
      const counts = orderCounts(s.orders.filter((o) => o.jobChain === chain.path));
      for (const category of DEFAULT_ORDER_STATES) {
        const state = ORDER_STATE_LABEL[category];
        add('jobscheduler_job_chain_orders', { ...js, job_chain: chain.path, state }, counts[state]!);
      }
      add('jobscheduler_job_chain_state', { ...js, job_chain: chain.path, state: chain.state.toLowerCase() }, 1);
    }
    for (const path of configuredJobs.get(s.jobschedulerId) ?? []) {
      const job = s.jobs.find((j) => j.path === path)!;
      add('jobscheduler_job_state', { ...js, job_path: path, state: job.state.toLowerCase() }, 1);
      add('jobscheduler_job_running_tasks', { ...js, job_path: path }, job.runningTasks);
      add('jobscheduler_job_queued_tasks', { ...js, job_path: path }, job.queuedTasks);
    }
    for (const [state, n] of Object.entries(jobCounts(s.jobs))) add('jobscheduler_jobs', { ...js, state }, n);
    for (const [state, n] of Object.entries(taskCounts(s.jobs))) add('jobscheduler_tasks', { ...js, state }, n);
    for (const m of s.masters) {
      add('jobscheduler_master_state', { ...js, url: masterUrl(m), state: m.state.toLowerCase() }, 1);
    }
  }
  return families;
}

/** The PromQL of each family checked: one-hot families only at 1. */
const FAMILY_QUERIES: Readonly<Record<string, string>> = {
  jobscheduler_up: `jobscheduler_up{joc="${JOC}"}`,
  jobscheduler_orders: `jobscheduler_orders{joc="${JOC}"}`,
  jobscheduler_job_chain_orders: `jobscheduler_job_chain_orders{joc="${JOC}"}`,
  jobscheduler_job_chain_state: `jobscheduler_job_chain_state{joc="${JOC}"} == 1`,
  jobscheduler_job_state: `jobscheduler_job_state{joc="${JOC}"} == 1`,
  jobscheduler_job_running_tasks: `jobscheduler_job_running_tasks{joc="${JOC}"}`,
  jobscheduler_job_queued_tasks: `jobscheduler_job_queued_tasks{joc="${JOC}"}`,
  jobscheduler_jobs: `jobscheduler_jobs{joc="${JOC}"}`,
  jobscheduler_tasks: `jobscheduler_tasks{joc="${JOC}"}`,
  jobscheduler_master_state: `jobscheduler_master_state{joc="${JOC}"} == 1`,
};

// ---- Processes -------------------------------------------------------------------------------------

async function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; body: string }> {
  const res = await request(url, { headers, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const body = await res.body.text();
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body };
}

// ---- The suite -------------------------------------------------------------------------------------

describeWithTools('e2e: Prometheus scrapes the exporter polling the simulator', ['prometheus', 'promtool'], (tools) => {
  let stack: Stack | undefined;
  let prom: RunningPrometheus | undefined;
  let rulesDir: string | undefined;
  let inventory: Inventory;
  let target: string;
  const configuredJobs = new Map<string, string[]>();

  /** The instant query's single value (the first sample), or undefined when it has none. */
  async function scalarOf(expr: string): Promise<number | undefined> {
    const r = await prom!.queryVector(expr);
    return r.length === 0 ? undefined : Number(r[0]!.value[1]);
  }

  /** Waits until `compute` gives actual == expected, then asserts it (with a diff on timeout). */
  async function eventuallyEqual<T>(compute: () => Promise<{ actual: T; expected: T }>, timeoutMs: number): Promise<void> {
    let last: { actual: T; expected: T } | undefined;
    try {
      await prom!.waitFor(async () => {
        last = await compute();
        return isDeepStrictEqual(last.actual, last.expected);
      }, timeoutMs);
    } catch {
      // the assertion below shows the difference
    }
    if (!last) last = await compute();
    expect(last.actual).toEqual(last.expected);
  }

  const activeAlerts = async (...names: string[]): Promise<PromAlert[]> =>
    (await prom!.alerts()).filter((a) => names.includes(a.labels.alertname ?? ''));

  beforeAll(async () => {
    const scenario = scenarioInventory();
    stack = await startStack({
      sim: { inventory: scenario, seed: SEED },
      yaml: exporterYaml(scenario),
      deps: { processMetrics: true },
      start: true,
    });
    inventory = stack.sim.inventory; // the live model: the same object
    for (const js of v1Joc(stack.config.joc[0]).jobschedulers ?? []) configuredJobs.set(js.id, [...js.jobs]);
    target = `127.0.0.1:${stack.exporter.port}`;

    rulesDir = await mkdtemp(join(tmpdir(), 'jobscheduler-exporter-e2e-'));
    const rulesFile = join(rulesDir, 'alerts.yml');
    await writeFile(rulesFile, stringify(shortenedRules(readFileSync(ALERTS_FILE, 'utf8'), SHORT_FOR)));

    prom = await startPrometheus({ scrapeTargets: [target], ruleFiles: [rulesFile], scrapeIntervalSeconds: 1, jobName: SCRAPE_JOB });
    // Target discovery makes the first scrape take ~6 s.
    await prom.waitFor(async () => (await scalarOf(`jobscheduler_joc_up{job="${SCRAPE_JOB}"}`)) !== undefined, 30_000);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await stack?.close();
    if (rulesDir) await rm(rulesDir, { recursive: true, force: true });
  });

  test('the test copy of alerts.yml differs from the original only in `for:`, and every rule loads and evaluates', async () => {
    const original = parse(readFileSync(ALERTS_FILE, 'utf8')) as RuleFile;
    const copy = shortenedRules(readFileSync(ALERTS_FILE, 'utf8'), SHORT_FOR);
    const rulesWithFor = original.groups.flatMap((g) => g.rules).filter((r) => r.for !== undefined);
    expect(rulesWithFor.length).toBeGreaterThan(0);
    expect(shortenedRules(stringify(original), 'X')).toEqual(shortenedRules(stringify(copy), 'X'));

    const groups = await prom!.waitFor(async () => {
      const g = await prom!.rules();
      return g.length > 0 && g.every((group) => group.rules.every((r) => r.health !== 'unknown')) ? g : null;
    }, 20_000);
    const loaded = groups.flatMap((g) => g.rules) as unknown as { name: string; health: string; lastError?: string; duration?: number }[];
    expect(loaded.map((r) => r.name)).toEqual(original.groups.flatMap((g) => g.rules).map((r) => r.alert ?? r.record));
    expect(loaded.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    for (const r of loaded) expect({ name: r.name, duration: r.duration }).toEqual({ name: r.name, duration: SHORT_FOR_MS / 1000 });
  });

  test('(a) up of the exporter target is 1', async () => {
    const up = await prom!.queryVector(`up{job="${SCRAPE_JOB}"}`);
    expect(up.map((s) => ({ instance: s.metric.instance, value: s.value[1] }))).toEqual([{ instance: target, value: '1' }]);
  });

  test('(b) orders, job chain orders and states, jobs, tasks and masters in Prometheus equal the simulator inventory', async () => {
    expect(inventory.schedulers.length).toBeGreaterThanOrEqual(2);
    await eventuallyEqual(async () => {
      const actual: Record<string, Record<string, number>> = {};
      for (const [family, expr] of Object.entries(FAMILY_QUERIES)) actual[family] = keyed(family, await prom!.queryVector(expr));
      return { actual, expected: expectedFamilies(inventory, configuredJobs) };
    }, 20_000);
    // The scenario is not trivial: suspended orders are zero (for (d)), other counts are not.
    const orders = await prom!.queryVector(`jobscheduler_orders{joc="${JOC}"} > 0`);
    expect(new Set(orders.map((s) => s.metric.state))).toEqual(new Set(['pending', 'running', 'setback', 'waiting_for_resource', 'blacklist']));
    // One state per one-hot object, and the job path arrives as job_path next to Prometheus' job.
    for (const [expr, by] of [
      ['jobscheduler_job_chain_state', 'job_chain'],
      ['jobscheduler_job_state', 'job_path'],
      ['jobscheduler_master_state', 'url'],
    ] as const) {
      const sums = await prom!.queryVector(`sum by (joc, jobscheduler_id, ${by}) (${expr}{joc="${JOC}"}) != 1`);
      expect({ expr, notOne: sums.map((s) => s.metric) }).toEqual({ expr, notOne: [] });
    }
    const jobState = await prom!.queryVector(`jobscheduler_job_state{joc="${JOC}"} == 1`);
    for (const s of jobState) expect(s.metric).toMatchObject({ job: SCRAPE_JOB, instance: target, job_path: expect.stringMatching(/^\//) });
  });

  test('(c) jobscheduler_joc_up is 1 and the exporter logged in exactly once over many polls', async () => {
    const ids = inventory.schedulers.length;
    const polls = 10;
    await prom!.waitFor(async () => {
      const n = await scalarOf(`sum(jobscheduler_exporter_requests_total{joc="${JOC}", endpoint="orders/overview/snapshot", code="200"})`);
      return n !== undefined && n >= polls * ids;
    }, 30_000);
    expect(await scalarOf(`jobscheduler_joc_up{joc="${JOC}"}`)).toBe(1);
    expect(await scalarOf(`jobscheduler_exporter_logins_total{joc="${JOC}", result="success"}`)).toBe(1);
    expect(await scalarOf(`jobscheduler_exporter_logins_total{joc="${JOC}", result="failure"}`)).toBe(0);
    expect(await scalarOf(`jobscheduler_exporter_session_renewals_total{joc="${JOC}"}`)).toBe(0);
    expect(stack!.sim.stats.logins).toBe(1);
    expect(stack!.sim.stats.perEndpoint['orders/overview/snapshot']).toBeGreaterThanOrEqual(polls * ids);
  });

  test('(d) a suspended order makes JobSchedulerOrdersSuspended and JobSchedulerJobChainOrdersSuspended pending, firing, then resolved', async () => {
    const NAMES = ['JobSchedulerOrdersSuspended', 'JobSchedulerJobChainOrdersSuspended'];
    const original = parse(readFileSync(ALERTS_FILE, 'utf8')) as RuleFile;
    const ruleOf = (name: string): AlertRule => original.groups.flatMap((g) => g.rules).find((r) => r.alert === name)!;

    // Quiet at first: no suspended order anywhere, over several rule evaluations.
    for (const s of inventory.schedulers) expect(s.orders.filter((o) => o.processingState === 'SUSPENDED')).toEqual([]);
    await prom!.waitFor(async () => {
      const r = await prom!.queryVector(`count_over_time(jobscheduler_orders{joc="${JOC}", state="suspended"}[1m]) >= 6`);
      return r.length === inventory.schedulers.length;
    }, 20_000);
    expect(await prom!.queryVector(`jobscheduler_orders{joc="${JOC}", state="suspended"} != 0`)).toEqual([]);
    expect(await activeAlerts(...NAMES)).toEqual([]);

    // Suspend one pending order of an active, configured job chain of the first JobScheduler.
    const scheduler = inventory.schedulers[0]!;
    const id = scheduler.jobschedulerId;
    const activeChains = new Set(scheduler.jobChains.filter((c) => c.state === 'ACTIVE').map((c) => c.path));
    const order = scheduler.orders.find((o) => o.processingState === 'PENDING' && activeChains.has(o.jobChain))!;
    expect(order).toBeDefined();
    expect(v1Joc(stack!.config.joc[0]).jobschedulers!.find((j) => j.id === id)!.jobChains).toContain(order.jobChain);
    const before: OrderStateText = order.processingState;
    const suspendedAt = Date.now();
    order.processingState = 'SUSPENDED';
    order.manually = true;

    const expectedLabels = {
      instance: target,
      job: SCRAPE_JOB,
      joc: JOC,
      jobscheduler_id: id,
      state: 'suspended',
      severity: String((ruleOf('JobSchedulerOrdersSuspended').labels as Record<string, string>).severity),
    };
    try {
      const pending = await prom!.waitFor(async () => (await activeAlerts(NAMES[0]!)).find((a) => a.state === 'pending'), 20_000, 100);
      expect(pending.labels).toEqual({ alertname: NAMES[0], ...expectedLabels });
      expect(Number(pending.value)).toBe(1);

      const firing = await prom!.waitFor(async () => (await activeAlerts(NAMES[0]!)).find((a) => a.state === 'firing'), 20_000, 100);
      const firingSeen = Date.now();
      expect(firing.labels).toEqual({ alertname: NAMES[0], ...expectedLabels });
      expect(firing.activeAt).toBe(pending.activeAt);
      expect(Date.parse(firing.activeAt)).toBeGreaterThanOrEqual(suspendedAt - 1_000);
      expect(firingSeen - Date.parse(firing.activeAt)).toBeGreaterThanOrEqual(SHORT_FOR_MS - 100);
      expect(firing.annotations.summary).toBe((ruleOf(NAMES[0]!).annotations as Record<string, string>).summary);
      expect(firing.annotations.description).toContain(`JobScheduler ${id} (JOC Cockpit ${JOC}) has had suspended orders`);
      expect(firing.annotations.description).toMatch(/now 1\.?$/);
      expect(firing.annotations.runbook_url).toMatch(/#jobschedulerorderssuspended$/);

      // The job chain is configured (with SUSPENDED in the default orderStates): its alert names it.
      const chainAlert = await prom!.waitFor(async () => (await activeAlerts(NAMES[1]!)).find((a) => a.state === 'firing'), 20_000, 100);
      expect(chainAlert.labels).toEqual({ alertname: NAMES[1], ...expectedLabels, job_chain: order.jobChain });
      expect(chainAlert.annotations.description).toContain(`Job chain ${order.jobChain} of JobScheduler ${id}`);
      expect(chainAlert.annotations.description).toContain(`(JOC Cockpit ${JOC})`);

      // Only this JobScheduler and this job chain.
      const all = await activeAlerts(...NAMES);
      expect(all.map((a) => [a.labels.alertname, a.labels.jobscheduler_id, a.labels.job_chain ?? null]).sort()).toEqual(
        [[NAMES[1], id, order.jobChain], [NAMES[0], id, null]].sort(),
      );
    } finally {
      order.processingState = before;
      delete order.manually;
    }

    await prom!.waitFor(async () => (await activeAlerts(...NAMES)).length === 0, 20_000, 100);
    expect(await scalarOf(`jobscheduler_orders{joc="${JOC}", jobscheduler_id="${id}", state="suspended"}`)).toBe(0);
  });

  test('(e) every dashboard query parses and returns data from the live Prometheus', async () => {
    const sim = stack!.sim;
    // Cause the data of the exporter panels that stay empty in a quiet scenario: a session the
    // simulator forgets (a renewal, and a 401) and a request that fails with a JOC error (420).
    sim.expireSessions('401');
    sim.failNext('jobscheduler/cluster/members', {
      status: 420,
      body: {
        deliveryDate: new Date().toISOString(),
        surveyDate: new Date().toISOString(),
        error: { code: 'JOC-420', message: 'e2e: injected failure' },
      },
    });
    await prom!.waitFor(async () => {
      const renewals = await scalarOf(`jobscheduler_exporter_session_renewals_total{joc="${JOC}"}`);
      // rate() needs two samples of the failure counters.
      const failures = await prom!.queryVector(`count_over_time(jobscheduler_exporter_requests_total{joc="${JOC}", code!~"2.."}[1m]) >= 2`);
      return renewals === 1 && failures.length >= 2;
    }, 20_000);
    expect(await scalarOf(`jobscheduler_exporter_logins_total{joc="${JOC}", result="success"}`)).toBe(2);
    expect(new Set((await prom!.queryVector(`jobscheduler_exporter_requests_total{joc="${JOC}", code!~"2.."}`)).map((s) => s.metric.code))).toEqual(
      new Set(['401', '420']),
    );

    const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
    const problems: string[] = [];
    const noData = new Set<string>();

    // Template variables: the metric query inside label_values(...) parses and returns the label.
    const variables = dashboard.templating.list.filter((v) => v.type === 'query');
    const variableNames = dashboard.templating.list.map((v) => v.name);
    const concrete: Record<string, string> = {};
    const all: Record<string, string> = Object.fromEntries(variableNames.map((n) => [n, '.*']));
    for (const v of variables) {
      const query = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
      const { expr, label } = labelValuesQuery(query);
      // Variables refer to earlier ones: substitute the values chosen so far (All for the rest).
      const substituted = substitute(expr, { ...all, ...concrete });
      const parsed = parsePromQL(substituted);
      if (parsed.errors.length > 0) problems.push(`variable ${v.name}: ${substituted}: ${parsed.errors.join('; ')}`);
      const result = await prom!.queryVector(substituted);
      const values = [...new Set(result.map((s) => s.metric[label]).filter((x): x is string => x !== undefined))].sort();
      if (values.length === 0) problems.push(`variable ${v.name}: ${substituted} has no series with label ${label}`);
      else concrete[v.name] = escapeRegex(values[0]!);
    }
    expect(concrete).toMatchObject({ joc: JOC, jobscheduler_id: escapeRegex(inventory.schedulers.map((s) => s.jobschedulerId).sort()[0]!) });

    // The JS7 rows have data only from a JS7 JOC: test/e2e/js7.test.ts runs their queries.
    const rows = rowOf(dashboard);
    const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => !isJs7Row(rows.get(p) ?? ''));
    const queries = panels.flatMap((panel) => (panel.targets ?? []).filter((t) => t.expr).map((t) => ({ panel, target: t })));
    expect(queries.length).toBeGreaterThan(20);
    for (const [context, values] of [['All', all], ['one value each', concrete]] as const) {
      for (const { panel, target: t } of queries) {
        const name = `${panel.title} ${t.refId}`;
        const expr = substitute(t.expr!, values);
        const parsed = parsePromQL(expr);
        if (parsed.errors.length > 0) {
          problems.push(`${name} (${context}): does not parse: ${parsed.errors.join('; ')}`);
          continue;
        }
        let result: readonly PromSample[] = [];
        try {
          // Bounded retry: a series may be absent for one scrape after the injected failure.
          result = await prom!.waitFor(async () => {
            const r = await prom!.queryVector(expr);
            return r.length > 0 ? r : null;
          }, NO_DATA_EXPECTED[name] ? 1 : 10_000);
        } catch (error) {
          if (NO_DATA_EXPECTED[name]) noData.add(name);
          else problems.push(`${name} (${context}): no data: ${expr} ${(error as Error).message}`);
          continue;
        }
        if (NO_DATA_EXPECTED[name]) problems.push(`${name} (${context}) is in NO_DATA_EXPECTED but returns data`);
        if (panel.type === 'state-timeline') {
          // The numeric code of each object maps back to its state in the inventory.
          const mapping = panel.fieldConfig?.defaults?.mappings?.[0]?.options ?? {};
          for (const s of result) {
            const scheduler = inventory.schedulers.find((x) => x.jobschedulerId === s.metric.jobscheduler_id)!;
            const state =
              s.metric.job_chain !== undefined
                ? scheduler.jobChains.find((c) => c.path === s.metric.job_chain)?.state
                : s.metric.job_path !== undefined
                  ? scheduler.jobs.find((j) => j.path === s.metric.job_path)?.state
                  : scheduler.masters.find((m) => (m.url ?? `http://${m.host}:${m.port}`) === s.metric.url)?.state;
            const shown = mapping[s.value[1]]?.text;
            if (shown !== state?.toLowerCase()) problems.push(`${name}: ${JSON.stringify(s.metric)} shows ${shown}, the inventory has ${state}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect([...noData].sort()).toEqual(Object.keys(NO_DATA_EXPECTED).sort());
  });

  test('(f) promtool check config passes on prometheus/prometheus.yml', async () => {
    const { code, stdout, stderr } = await run(tools.promtool!, ['check', 'config', join('prometheus', 'prometheus.yml')]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: expect.stringContaining('SUCCESS'), stderr: expect.anything() });
    expect(`${stdout}${stderr}`).not.toMatch(/FAILED|WARNING/);
  });

  test('(g) promtool check metrics finds nothing in the live /metrics (process metrics included)', async () => {
    const page = await httpGet(`${stack!.exporter.url}/metrics`);
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(page.body).toMatch(/^process_cpu_seconds_total /m);
    expect(page.body).toMatch(/^jobscheduler_orders\{/m);
    const { code, stdout, stderr } = await run(tools.promtool!, ['check', 'metrics'], page.body);
    expect({ code, output: `${stdout}${stderr}`.trim() }).toEqual({ code: 0, output: '' });
  });

  test('(h) the exporter serves OpenMetrics when asked, and Prometheus ingests its scrapes', async () => {
    const page = await httpGet(`${stack!.exporter.url}/metrics`, { accept: 'application/openmetrics-text; version=1.0.0' });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    expect(page.body.endsWith('# EOF\n')).toBe(true);
    expect(page.body.match(/^# EOF$/gm)).toHaveLength(1);
    expect(page.body).toMatch(/^# TYPE jobscheduler_exporter_logins counter$/m);

    // Prometheus 2.42 asks for OpenMetrics first; its scrapes of the exporter succeed.
    const targets = (await (await request(`${prom!.url}/api/v1/targets?state=active`)).body.json()) as {
      data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] };
    };
    const ours = targets.data.activeTargets.filter((t) => t.labels.job === SCRAPE_JOB);
    expect(ours.map((t) => ({ instance: t.labels.instance, health: t.health, lastError: t.lastError }))).toEqual([
      { instance: target, health: 'up', lastError: '' },
    ]);
    const scraped = await scalarOf(`scrape_samples_scraped{job="${SCRAPE_JOB}", instance="${target}"}`);
    expect(scraped).toBeGreaterThan(0);
    // It parsed them as OpenMetrics: the metadata of a counter is under its family name without _total.
    const metadata = (await (
      await request(`${prom!.url}/api/v1/targets/metadata?metric=jobscheduler_exporter_logins&match_target=${encodeURIComponent(`{job="${SCRAPE_JOB}"}`)}`)
    ).body.json()) as { data: { type: string }[] };
    expect(metadata.data.map((m) => m.type)).toEqual(['counter']);
    const textFormatName = (await (
      await request(`${prom!.url}/api/v1/targets/metadata?metric=jobscheduler_exporter_logins_total&match_target=${encodeURIComponent(`{job="${SCRAPE_JOB}"}`)}`)
    ).body.json()) as { data: unknown[] };
    expect(textFormatName.data).toEqual([]);
  });
});
