/**
 * A real Prometheus (test/support/prometheus.ts) over exporter-shaped data: the helper itself,
 * every dashboard query and every alert rule evaluated by the Prometheus version installed here.
 * The data is synthetic (every CONTRACT §4 and §7.2 metric: two 1.x JOCs of two JobSchedulers
 * each, and a JS7 JOC with a standalone and a cluster Controller); the
 * end-to-end test runs the same against the real exporter and the simulator.
 */
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { CONTRACT_METRICS } from '../support/contract-metrics';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus';
import { describeWithTools } from '../support/tools';
import { substituteGrafanaVariables } from './promql';

const ROOT = join(__dirname, '..', '..');

// ---- Synthetic exporter ------------------------------------------------------------------------
const JOCS = ['primary', 'secondary'];
const IDS = ['scheduler', 'scheduler2'];
const CHAIN_STATES = ['active', 'initialized', 'not_initialized', 'stopped', 'under_construction'];
const MASTER_STATES = ['starting', 'running', 'paused', 'waiting_for_activation', 'waiting_for_activation_paused', 'terminating', 'waiting_for_database', 'dead', 'unreachable', 'unknown_agent'];
const JOB_STATES = ['initialized', 'not_initialized', 'loaded', 'pending', 'running', 'waiting_for_process', 'waiting_for_lock', 'waiting_for_agent', 'waiting_for_task', 'not_in_period', 'stopping', 'stopped', 'disabled', 'error', 'unknown'];
const ORDER_STATES = ['pending', 'running', 'suspended', 'setback', 'waiting_for_resource', 'blacklist'];
// A JS7 JOC beside the two 1.x ones (CONTRACT §7.2): a standalone and a cluster Controller.
const JS7_JOC = 'js7';
const JS7_IDS = ['controller', 'controller-ha'];
const JS7_BUCKETS = ['pending', 'scheduled', 'in_progress', 'running', 'prompting', 'suspended', 'waiting', 'blocked', 'failed', 'terminated'];
const SYNC_STATES = ['in_sync', 'not_in_sync', 'not_deployed', 'suspended', 'outstanding', 'unknown'];
const COMPONENT_STATES = ['operational', 'limited', 'inoperable', 'unknown'];
const CONNECTION_STATES = ['established', 'unstable', 'unreachable', 'unknown'];
const NODE_STATES = ['active', 'inactive', 'unknown'];
const CLUSTER_STATES = ['coupled', 'failed_over', 'switched_over', 'passive_lost', 'nodes_appointed', 'active_shut_down', 'prepared_to_be_coupled', 'active_node_is_not_ready', 'node_loss_to_be_confirmed', 'failover_to_be_confirmed', 'empty', 'unknown'];

/** The current state of each one-hot object, by a key of its identifying labels. */
const CURRENT: Record<string, string> = {};
function current(key: string, states: readonly string[], pick: number): string {
  CURRENT[key] = states[pick % states.length];
  return CURRENT[key];
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
}

function exposition(): string {
  const lines: string[] = [];
  const family = (name: string, type: string, samples: [Record<string, string>, number][]): void => {
    lines.push(`# HELP ${name} synthetic`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}{${labelText(labels)}} ${value}`);
  };
  const s: Record<string, [Record<string, string>, number][]> = {};
  const add = (name: string, labels: Record<string, string>, value: number): void => {
    (s[name] ??= []).push([labels, value]);
  };
  const now = Math.floor(Date.now() / 1000);
  add('jobscheduler_exporter_build_info', { version: '0.1.0', nodejs_version: process.version }, 1);
  JOCS.forEach((joc, j) => {
    add('jobscheduler_joc_up', { joc }, 1);
    add('jobscheduler_joc_info', { joc, api: 'v1', version: 'unknown' }, 1);
    add('jobscheduler_exporter_poll_duration_seconds', { joc }, 0.25);
    add('jobscheduler_exporter_logins_total', { joc, result: 'success' }, 1);
    add('jobscheduler_exporter_logins_total', { joc, result: 'failure' }, 0);
    add('jobscheduler_exporter_session_renewals_total', { joc }, 0);
    for (const endpoint of ['orders/overview/snapshot', 'orders']) {
      add('jobscheduler_exporter_requests_total', { joc, endpoint, code: '200' }, 100);
      add('jobscheduler_exporter_requests_total', { joc, endpoint, code: '420' }, 3);
      let cumulative = 0;
      for (const [le, n] of [['0.05', 60], ['0.1', 30], ['0.5', 10], ['1', 3], ['+Inf', 0]] as const) {
        cumulative += n;
        add('jobscheduler_exporter_request_duration_seconds_bucket', { joc, endpoint, le }, cumulative);
      }
      add('jobscheduler_exporter_request_duration_seconds_sum', { joc, endpoint }, 9.5);
      add('jobscheduler_exporter_request_duration_seconds_count', { joc, endpoint }, cumulative);
    }
    IDS.forEach((jobscheduler_id, i) => {
      const js = { joc, jobscheduler_id };
      const n = j * 2 + i;
      add('jobscheduler_up', js, 1);
      add('jobscheduler_exporter_last_poll_success_timestamp_seconds', js, now);
      ORDER_STATES.forEach((state, k) => add('jobscheduler_orders', { ...js, state }, (k + n) % 4));
      for (const state of ['pending', 'running', 'stopped', 'waiting_for_resource']) add('jobscheduler_jobs', { ...js, state }, 2);
      add('jobscheduler_tasks', { ...js, state: 'running' }, 3);
      add('jobscheduler_tasks', { ...js, state: 'queued' }, 1);
      ['/demo/chain1', '/demo/chain2'].forEach((job_chain, c) => {
        for (const state of ['suspended', 'setback', 'blacklist']) add('jobscheduler_job_chain_orders', { ...js, job_chain, state }, (c + n) % 3);
        const now = current(`${joc}|${jobscheduler_id}|${job_chain}`, CHAIN_STATES, n + c);
        for (const state of CHAIN_STATES) add('jobscheduler_job_chain_state', { ...js, job_chain, state }, state === now ? 1 : 0);
      });
      ['/demo/job1', '/demo/job2'].forEach((job_path, c) => {
        const now = current(`${joc}|${jobscheduler_id}|${job_path}`, JOB_STATES, 7 * n + 11 * c);
        for (const state of JOB_STATES) add('jobscheduler_job_state', { ...js, job_path, state }, state === now ? 1 : 0);
        add('jobscheduler_job_running_tasks', { ...js, job_path }, c);
        add('jobscheduler_job_queued_tasks', { ...js, job_path }, 0);
      });
      for (const kind of ['job_chain', 'job']) add('jobscheduler_exporter_configured_objects_missing', { ...js, kind }, 0);
      ['http://master-a:40444', 'http://master-b:40444'].forEach((url, c) => {
        const now = current(`${joc}|${jobscheduler_id}|${url}`, MASTER_STATES, 3 * n + 5 * c);
        for (const state of MASTER_STATES) add('jobscheduler_master_state', { ...js, url, state }, state === now ? 1 : 0);
      });
      // CONTRACT §8: history counters and last-* gauges per job, the duration histogram, Agents, the plan
      ['/demo/job1', '/demo/job2'].forEach((job_path, c) => {
        const job = { ...js, job_path };
        for (const result of ['successful', 'failed']) add('jobscheduler_tasks_completed_total', { ...job, result }, 10 * (c + 1) + (result === 'failed' ? n : 0));
        add('jobscheduler_job_last_success_timestamp_seconds', job, now - 600 * (c + 1));
        add('jobscheduler_job_last_failure_timestamp_seconds', job, now - 3600);
        add('jobscheduler_job_last_exit_code', job, c);
        add('jobscheduler_job_last_duration_seconds', job, 30 + c);
      });
      for (const result of ['successful', 'failed']) add('jobscheduler_orders_completed_total', { ...js, job_chain: '/demo/chain1', result }, 5);
      let tasks = 0;
      for (const [le, k] of [['1', 4], ['60', 10], ['3600', 2], ['+Inf', 0]] as const) {
        tasks += k;
        add('jobscheduler_task_duration_seconds_bucket', { ...js, le }, tasks);
      }
      add('jobscheduler_task_duration_seconds_sum', js, 420);
      add('jobscheduler_task_duration_seconds_count', js, tasks);
      for (const state of ['running', 'terminating', 'unknown_agent', 'unreachable']) {
        add('jobscheduler_agent_state', { ...js, agent: 'http://agent-1:4445', url: 'http://agent-1:4445', state }, state === 'running' ? 1 : 0);
      }
      add('jobscheduler_agent_running_tasks', { ...js, agent: 'http://agent-1:4445' }, 2);
      for (const state of ['all_agents_are_running', 'only_some_agents_are_running', 'all_agents_are_unreachable']) {
        add('jobscheduler_agent_cluster_state', { ...js, agent_cluster: '/agents/cluster', state }, state === 'all_agents_are_running' ? 1 : 0);
      }
      for (const state of ['coupled', 'resetting', 'initialised', 'shutdown', 'unknown']) {
        add('jobscheduler_subagent_state', { ...js, agent: 'agent-c', subagent: 'sub-1', url: 'http://sub-1:4445', state }, state === 'coupled' ? 1 : 0);
      }
      for (const state of ['planned', 'incomplete', 'successful', 'failed']) {
        for (const late of ['true', 'false']) add('jobscheduler_daily_plan_orders', { ...js, state, late }, late === 'true' ? (state === 'planned' ? 1 : 0) : 3);
      }
    });
  });
  js7Series(add, now);
  for (const metric of CONTRACT_METRICS) {
    if (metric.type === 'histogram') {
      lines.push(`# HELP ${metric.name} synthetic`, `# TYPE ${metric.name} histogram`);
      for (const suffix of ['_bucket', '_sum', '_count']) {
        for (const [labels, value] of s[metric.name + suffix] ?? []) lines.push(`${metric.name}${suffix}{${labelText(labels)}} ${value}`);
      }
    } else {
      family(metric.name, metric.type, s[metric.name] ?? []);
    }
  }
  return lines.join('\n') + '\n';
}

/** The series of the JS7 JOC: every §7.2 family, one-hot where the contract says so. */
function js7Series(add: (name: string, labels: Record<string, string>, value: number) => void, now: number): void {
  const joc = JS7_JOC;
  const oneHot = (name: string, labels: Record<string, string>, states: readonly string[], state: string): void => {
    for (const s of states) add(name, { ...labels, state: s }, s === state ? 1 : 0);
  };
  add('jobscheduler_joc_up', { joc }, 1);
  add('jobscheduler_joc_info', { joc, api: 'js7', version: '2.8.4' }, 1);
  add('jobscheduler_exporter_poll_duration_seconds', { joc }, 0.4);
  add('jobscheduler_exporter_logins_total', { joc, result: 'success' }, 1);
  add('jobscheduler_exporter_session_renewals_total', { joc }, 0);
  ['http://joc-a:4446', 'http://joc-b:4446'].forEach((url, m) => {
    const state = current(`${joc}|undefined|${url}`, NODE_STATES, m);
    oneHot('jobscheduler_joc_member_state', { joc, member: `joc-${m + 1}`, url }, NODE_STATES, state);
  });
  JS7_IDS.forEach((jobscheduler_id, i) => {
    const js = { joc, jobscheduler_id };
    add('jobscheduler_up', js, 1);
    add('jobscheduler_exporter_last_poll_success_timestamp_seconds', js, now);
    add('jobscheduler_exporter_configured_objects_missing', { ...js, kind: 'workflow' }, 0);
    JS7_BUCKETS.forEach((state, k) => add('jobscheduler_orders', { ...js, state }, (k + i) % 5 + 1));
    for (const state of ['synchronized', 'not_synchronized', 'suspended', 'outstanding']) add('jobscheduler_workflows', { ...js, state }, 3);
    ['/billing/nightly', '/etl/load'].forEach((workflow, w) => {
      for (const state of ['suspended', 'failed', 'blocked', 'prompting']) add('jobscheduler_workflow_orders', { ...js, workflow, state }, (w + i) % 3 + 1);
      oneHot('jobscheduler_workflow_state', { ...js, workflow }, SYNC_STATES, current(`${joc}|${jobscheduler_id}|${workflow}`, SYNC_STATES, 2 * i + w));
    });
    const instances: Array<[string, string]> = i === 0 ? [['http://controller:4444', 'standalone']] : [['http://primary:4444', 'primary'], ['http://backup:4444', 'backup']];
    instances.forEach(([url, role], n) => {
      const labels = { ...js, url, role };
      oneHot('jobscheduler_controller_component_state', labels, COMPONENT_STATES, current(`${joc}|${jobscheduler_id}|${url}`, COMPONENT_STATES, n));
      oneHot('jobscheduler_controller_connection_state', labels, CONNECTION_STATES, CONNECTION_STATES[n]!);
      if (role !== 'standalone') oneHot('jobscheduler_controller_cluster_node_state', labels, NODE_STATES, NODE_STATES[n]!);
    });
    if (i === 1) oneHot('jobscheduler_controller_cluster_state', js, CLUSTER_STATES, 'passive_lost');
  });
}

async function startSyntheticExporter(): Promise<{ server: Server; target: string }> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    res.end(exposition());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, target: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// ---- Dashboards --------------------------------------------------------------------------------
interface Target { expr: string; refId: string }
interface Panel {
  type: string;
  title: string;
  targets?: Target[];
  panels?: Panel[];
  fieldConfig?: { defaults?: { mappings?: { type: string; options: Record<string, { text?: string }> }[] } };
}

const dashboardPanels = readdirSync(join(ROOT, 'grafana', 'dashboards'))
  .filter((f) => f.endsWith('.json'))
  .flatMap((file) => {
    const d = JSON.parse(readFileSync(join(ROOT, 'grafana', 'dashboards', file), 'utf8')) as {
      panels: Panel[];
      templating: { list: { name: string }[] };
    };
    const variables = d.templating.list.map((v) => v.name);
    return d.panels
      .flatMap((p) => [p, ...(p.panels ?? [])])
      .filter((p) => (p.targets ?? []).length > 0)
      .map((p) => ({ file, panel: p, variables }));
  });

describeWithTools('test/support/prometheus.ts', ['prometheus'], () => {
  test('starts Prometheus, scrapes its own /metrics, answers PromQL, and stops cleanly', async () => {
    const prom = await startPrometheus({ scrapeTargets: [], scrapeSelf: true });
    let stopped = false;
    try {
      expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const up = await prom.waitFor(async () => (await prom.queryVector('up{job="prometheus"}'))[0], 20_000);
      expect(up.metric).toMatchObject({ job: 'prometheus', instance: prom.url.replace('http://', '') });
      expect(up.value[1]).toBe('1');
      await expect(prom.query('sum(')).rejects.toThrow(/bad_data|parse error/);
      expect(await prom.alerts()).toEqual([]);
      await prom.stop();
      stopped = true;
      expect(existsSync(prom.configFile)).toBe(false);
      await expect(request(`${prom.url}/-/ready`)).rejects.toThrow();
    } finally {
      if (!stopped) await prom.stop();
    }
  }, 60_000);
});

describeWithTools('dashboards and alerts on a real Prometheus over exporter-shaped data', ['prometheus'], () => {
  let prom: RunningPrometheus;
  let exporter: Server;

  beforeAll(async () => {
    const synthetic = await startSyntheticExporter();
    exporter = synthetic.server;
    prom = await startPrometheus({
      scrapeTargets: [synthetic.target],
      ruleFiles: [join(ROOT, 'prometheus', 'alerts.yml')],
      scrapeIntervalSeconds: 1,
    });
    // Enough samples for rate() over the dashboards' 1m windows, and a few rule evaluations.
    await prom.waitFor(async () => {
      const r = await prom.queryVector('count_over_time(jobscheduler_joc_up{joc="primary"}[1m])');
      return r.length > 0 && Number(r[0].value[1]) >= 3;
    }, 30_000);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    exporter?.close();
  });

  test.each(dashboardPanels.map((p) => [`${p.file}: ${p.panel.title}`, p] as const))('%s: every query returns data', async (_title, { panel, variables }) => {
    for (const t of panel.targets ?? []) {
      const expr = substituteGrafanaVariables(t.expr, variables);
      const result = await prom.queryVector(expr);
      expect({ refId: t.refId, expr, series: result.length > 0 }).toEqual({ refId: t.refId, expr, series: true });
      if (panel.type === 'state-timeline') {
        // The numeric code of each object must map back to its current state.
        const mapping = panel.fieldConfig?.defaults?.mappings?.[0]?.options ?? {};
        for (const sample of result) {
          const m = sample.metric;
          const object = m.job_chain ?? m.job_path ?? m.workflow ?? m.url;
          const key = `${m.joc}|${m.jobscheduler_id}|${object}`;
          expect({ key, state: mapping[sample.value[1]]?.text }).toEqual({ key, state: CURRENT[key] });
        }
      }
    }
  });

  test('the job path arrives as job_path next to Prometheus\' own job label, which the dashboard and alerts use', async () => {
    const r = await prom.queryVector('jobscheduler_job_state == 1');
    expect(r.length).toBeGreaterThan(0);
    for (const s of r) expect(s.metric).toMatchObject({ job: 'jobscheduler', job_path: expect.stringMatching(/^\/demo\/job\d$/) });
  });

  test('every alert rule evaluates without error', async () => {
    const groups = await prom.waitFor(async () => {
      const g = await prom.rules();
      return g.length > 0 && g.every((group) => group.rules.every((r) => r.health !== 'unknown')) ? g : null;
    }, 20_000);
    expect(groups.map((g) => g.name)).toEqual(['jobscheduler']);
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
  });

  test('alerts over the data go pending with rendered annotations', async () => {
    const alerts = await prom.waitFor(async () => {
      const a = await prom.alerts();
      return a.some((x) => x.labels.alertname === 'JobSchedulerJobStopped') ? a : null;
    }, 20_000);
    const names = new Set(alerts.map((a) => a.labels.alertname));
    for (const name of [
      'JobSchedulerOrdersSuspended',
      'JobSchedulerJobChainOrdersSuspended',
      'JobSchedulerJobChainStopped',
      'JobSchedulerMasterUnreachable',
      'JobSchedulerOrdersFailed',
      'JobSchedulerControllerClusterNotCoupled',
    ]) {
      expect(names).toContain(name);
    }
    // Nothing is down in the data.
    for (const name of ['JobSchedulerJocDown', 'JobSchedulerDown', 'JobSchedulerExporterPollStale', 'JobSchedulerExporterMetricsAbsent']) {
      expect(names).not.toContain(name);
    }
    // The JS7 JOC's suspended orders alert as the 1.x ones do.
    expect(alerts.some((a) => a.labels.alertname === 'JobSchedulerOrdersSuspended' && a.labels.joc === JS7_JOC)).toBe(true);
    const cluster = alerts.find((a) => a.labels.alertname === 'JobSchedulerControllerClusterNotCoupled')!;
    expect(cluster.labels).toMatchObject({ joc: JS7_JOC, jobscheduler_id: 'controller-ha' });
    expect(cluster.annotations.description).toContain('its state is now passive_lost.');
    const stoppedJob = alerts.find((a) => a.labels.alertname === 'JobSchedulerJobStopped')!;
    expect(stoppedJob.annotations.description).toContain(`Job ${stoppedJob.labels.job_path} of JobScheduler ${stoppedJob.labels.jobscheduler_id}`);
  });
});
