/**
 * End to end with a real Prometheus and both product lines: one in-process exporter polls a JOC
 * Cockpit 1.x simulator (JOC `classic`) and a JS7 simulator (JOC `js7`) every second, and Debian's
 * `prometheus` scrapes it, with a copy of prometheus/alerts.yml whose `for:` durations are
 * shortened. Checked through Prometheus' HTTP API: both JOCs' series arrive side by side, the JS7
 * series carry the JS7 simulator's figures, JobSchedulerOrdersFailed fires for the JS7 Controllers
 * with failed orders, JobSchedulerControllerClusterNotCoupled fires when the cluster loses its
 * coupling and resolves when it is back, and every query of the dashboard's JS7 rows returns data
 * (test/e2e/prometheus.test.ts runs the other rows). promtool checks the full mixed /metrics.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { stringify } from 'yaml';
import { findController, generateJs7Inventory } from '../../src/simulator/js7';
import { parsePromQL } from '../ops/promql';
import {
  escapeRegex, isJs7Row, keyed, labelValuesQuery, rowOf, run, seriesKey, substitute, type Dashboard,
} from '../support/e2e';
import { shortenedRules } from '../support/rules';
import { startPrometheus, type PromAlert, type RunningPrometheus } from '../support/prometheus';
import { startMixedStack, type MixedStack } from '../support/stack';
import { describeWithTools } from '../support/tools';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const ALERTS_FILE = join(ROOT, 'prometheus', 'alerts.yml');
const DASHBOARD_FILE = join(ROOT, 'grafana', 'dashboards', 'jobscheduler.json');
const SCRAPE_JOB = 'jobscheduler';
const SHORT_FOR = '3s';
const CLUSTER = 'controller-ha';

/** The ten buckets of the snapshot, as the label spells them, by the answer's keys. */
const BUCKET_LABEL: Readonly<Record<string, string>> = {
  pending: 'pending', scheduled: 'scheduled', inProgress: 'in_progress', running: 'running', prompting: 'prompting',
  suspended: 'suspended', waiting: 'waiting', blocked: 'blocked', failed: 'failed', terminated: 'terminated',
};

describeWithTools('e2e: Prometheus scrapes one exporter polling a 1.x and a JS7 JOC', ['prometheus', 'promtool'], (tools) => {
  let stack: MixedStack | undefined;
  let prom: RunningPrometheus | undefined;
  let rulesDir: string | undefined;
  let workflows: string[] = [];

  const alertsNamed = async (name: string): Promise<PromAlert[]> => (await prom!.alerts()).filter((a) => a.labels.alertname === name);

  /** The JS7 simulator's last answer to `endpoint` for `controllerId` (the model is static: no demo mode). */
  function lastAnswer(endpoint: string, controllerId: string): Record<string, unknown> {
    const entry = [...stack!.sim.js7.stats.requests]
      .reverse()
      .find((r) => r.endpoint === endpoint && (r.body as { controllerId?: string }).controllerId === controllerId && r.status === 200);
    if (!entry) throw new Error(`no ${endpoint} answer for ${controllerId} logged`);
    return entry.answer as Record<string, unknown>;
  }

  beforeAll(async () => {
    const inventory = generateJs7Inventory({ seed: 2 });
    workflows = [...new Set(findController(inventory, CLUSTER)!.workflows.map((w) => w.path))].slice(0, 4);
    stack = await startMixedStack({
      v1: { seed: 1 },
      js7: { inventory },
      js7Yaml: `    controllers:\n      - id: ${CLUSTER}\n        workflows: [${workflows.join(', ')}]\n      - id: controller\n`,
      schedule: '* * * * * *',
      deps: { processMetrics: true },
      start: true,
    });
    rulesDir = await mkdtemp(join(tmpdir(), 'jobscheduler-exporter-e2e-js7-'));
    const rulesFile = join(rulesDir, 'alerts.yml');
    await writeFile(rulesFile, stringify(shortenedRules(readFileSync(ALERTS_FILE, 'utf8'), SHORT_FOR)));
    prom = await startPrometheus({
      scrapeTargets: [`127.0.0.1:${stack.exporter.port}`],
      ruleFiles: [rulesFile],
      scrapeIntervalSeconds: 1,
      jobName: SCRAPE_JOB,
    });
    await prom.waitFor(async () => (await prom!.queryVector('count(jobscheduler_joc_up == 1) == 2')).length === 1, 30_000);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await stack?.close();
    if (rulesDir) await rm(rulesDir, { recursive: true, force: true });
  });

  test('(a) both JOCs are up side by side, each with its API and version', async () => {
    const info = await prom!.queryVector('jobscheduler_joc_info');
    expect(info.map((s) => [s.metric.joc, s.metric.api, s.metric.version]).sort()).toEqual([
      ['classic', 'v1', 'unknown'],
      ['js7', 'js7', '2.8.4'],
    ]);
    const up = await prom!.queryVector('jobscheduler_up == 1');
    expect(new Set(up.filter((s) => s.metric.joc === 'js7').map((s) => s.metric.jobscheduler_id))).toEqual(new Set([CLUSTER, 'controller']));
    expect(up.some((s) => s.metric.joc === 'classic')).toBe(true);
    // No series of the exporter's own carries job or instance: those are Prometheus' target labels.
    const anyJs7 = await prom!.queryVector('{joc="js7", __name__=~"jobscheduler_.*"}');
    for (const s of anyJs7) expect(s.metric).toMatchObject({ job: SCRAPE_JOB, instance: `127.0.0.1:${stack!.exporter.port}` });
  });

  test('(b) the JS7 series in Prometheus carry the JS7 simulator figures', async () => {
    for (const id of [CLUSTER, 'controller']) {
      const buckets = (lastAnswer('orders/overview/snapshot', id)['orders'] ?? {}) as Record<string, number>;
      const expected = Object.fromEntries(
        Object.entries(BUCKET_LABEL).map(([key, state]) => [seriesKey('jobscheduler_orders', { joc: 'js7', jobscheduler_id: id, state }), buckets[key] ?? 0]),
      );
      expect(keyed('jobscheduler_orders', await prom!.queryVector(`jobscheduler_orders{joc="js7", jobscheduler_id="${id}"}`))).toEqual(expected);
      const wf = (lastAnswer('workflows/overview/snapshot', id)['workflows'] ?? {}) as Record<string, number>;
      const exported = keyed('jobscheduler_workflows', await prom!.queryVector(`jobscheduler_workflows{joc="js7", jobscheduler_id="${id}"}`));
      expect(exported[seriesKey('jobscheduler_workflows', { joc: 'js7', jobscheduler_id: id, state: 'synchronized' })]).toBe(wf['synchronized'] ?? 0);
    }
    expect((await prom!.queryVector(`jobscheduler_controller_cluster_state{joc="js7", jobscheduler_id="${CLUSTER}"} == 1`)).map((s) => s.metric.state)).toEqual([
      'coupled',
    ]);
    expect(await prom!.queryVector('jobscheduler_controller_cluster_state{joc="js7", jobscheduler_id="controller"}')).toEqual([]);
    const states = await prom!.queryVector(`jobscheduler_workflow_state{joc="js7", jobscheduler_id="${CLUSTER}"} == 1`);
    expect(states.map((s) => s.metric.workflow).sort()).toEqual([...workflows].sort());
    const members = await prom!.queryVector('jobscheduler_joc_member_state{joc="js7"} == 1');
    expect(members.map((s) => s.metric.state).sort()).toEqual(['active', 'inactive']);
  });

  test('(c) JobSchedulerOrdersFailed fires for each JS7 Controller with failed orders, and for no 1.x JobScheduler', async () => {
    const failing = [CLUSTER, 'controller'].filter((id) => ((lastAnswer('orders/overview/snapshot', id)['orders'] as Record<string, number>)['failed'] ?? 0) > 0);
    expect(failing.length).toBeGreaterThan(0);
    const firing = await prom!.waitFor(async () => {
      const a = (await alertsNamed('JobSchedulerOrdersFailed')).filter((x) => x.state === 'firing');
      return a.length === failing.length ? a : null;
    }, 30_000);
    expect(firing.map((a) => [a.labels.joc, a.labels.jobscheduler_id]).sort()).toEqual(failing.map((id) => ['js7', id]).sort());
    expect(firing[0]!.annotations.description).toMatch(/^Controller \S+ \(JOC Cockpit js7\) has had failed orders for 5 minutes; now \d+\./);
  });

  test('(d) JobSchedulerControllerClusterNotCoupled: quiet while coupled, fires with the state when the coupling is lost, resolves when back', async () => {
    await prom!.waitFor(async () => (await prom!.queryVector(`count_over_time(jobscheduler_controller_cluster_state{joc="js7", state="coupled"}[1m]) >= 5`)).length === 1, 20_000);
    expect(await alertsNamed('JobSchedulerControllerClusterNotCoupled')).toEqual([]);
    const controller = findController(stack!.sim.js7.inventory, CLUSTER)!;
    const before = controller.clusterState;
    controller.clusterState = 'PassiveLost';
    try {
      const firing = await prom!.waitFor(async () => (await alertsNamed('JobSchedulerControllerClusterNotCoupled')).find((a) => a.state === 'firing'), 30_000, 200);
      expect(firing.labels).toMatchObject({ joc: 'js7', jobscheduler_id: CLUSTER, severity: 'warning' });
      expect(firing.annotations.description).toContain(`The Controller cluster ${CLUSTER} (JOC Cockpit js7) has not been coupled`);
      expect(firing.annotations.description).toContain('its state is now passive_lost.');
    } finally {
      controller.clusterState = before;
    }
    await prom!.waitFor(async () => (await alertsNamed('JobSchedulerControllerClusterNotCoupled')).length === 0, 30_000, 200);
  });

  test('(e) every query of the dashboard\'s JS7 rows parses and returns data, for All and for the JS7 JOC alone', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
    const rows = rowOf(dashboard);
    const panels = [...rows].filter(([, row]) => isJs7Row(row)).map(([panel]) => panel);
    expect(panels.length).toBeGreaterThanOrEqual(15);
    const names = dashboard.templating.list.map((v) => v.name);
    const all: Record<string, string> = Object.fromEntries(names.map((n) => [n, '.*']));
    // The JS7 JOC and its cluster Controller, each taken from the variable's own query.
    const chosen: Record<string, string> = { joc: 'js7', jobscheduler_id: CLUSTER };
    const concrete: Record<string, string> = {};
    for (const v of dashboard.templating.list.filter((x) => x.type === 'query')) {
      const { expr, label } = labelValuesQuery(typeof v.query === 'string' ? v.query : (v.query?.query ?? ''));
      const values = (await prom!.queryVector(substitute(expr, { ...all, ...concrete }))).map((s) => s.metric[label]);
      expect({ variable: v.name, has: values.includes(chosen[v.name]) }).toEqual({ variable: v.name, has: true });
      concrete[v.name] = escapeRegex(chosen[v.name]!);
    }
    const problems: string[] = [];
    for (const [context, values] of [['All', all], ['the JS7 JOC', concrete]] as const) {
      for (const panel of panels) {
        for (const t of (panel.targets ?? []).filter((x) => x.expr)) {
          const expr = substitute(t.expr!, values);
          const parsed = parsePromQL(expr);
          if (parsed.errors.length > 0) {
            problems.push(`${panel.title} ${t.refId} (${context}): ${parsed.errors.join('; ')}`);
            continue;
          }
          try {
            const result = await prom!.waitFor(async () => {
              const r = await prom!.queryVector(expr);
              return r.length > 0 ? r : null;
            }, 10_000);
            if (panel.type === 'state-timeline') {
              // Every object's numeric code maps to one of the states the panel knows.
              const mapping = panel.fieldConfig?.defaults?.mappings?.[0]?.options ?? {};
              for (const s of result) if (!mapping[s.value[1]] || s.value[1] === '0') problems.push(`${panel.title}: ${JSON.stringify(s.metric)} has code ${s.value[1]}`);
            }
          } catch (error) {
            problems.push(`${panel.title} ${t.refId} (${context}): no data: ${expr} ${(error as Error).message}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('(f) promtool check metrics finds nothing in the full /metrics of the mixed exporter (process metrics included)', async () => {
    const res = await request(`${stack!.exporter.url}/metrics`);
    const body = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(body).toMatch(/^process_cpu_seconds_total /m);
    expect(body).toMatch(/^jobscheduler_orders\{joc="classic",/m);
    expect(body).toMatch(/^jobscheduler_orders\{joc="js7",/m);
    for (const family of ['jobscheduler_workflow_orders', 'jobscheduler_controller_cluster_state', 'jobscheduler_joc_member_state', 'jobscheduler_master_state']) {
      expect(body).toMatch(new RegExp(`^${family}\\{`, 'm'));
    }
    const { code, stdout, stderr } = await run(tools.promtool!, ['check', 'metrics'], body);
    expect({ code, output: `${stdout}${stderr}`.trim() }).toEqual({ code: 0, output: '' });
  });
});
