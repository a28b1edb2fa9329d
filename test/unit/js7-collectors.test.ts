import { createLogger } from '../../src/logger';
import { controllers, createJs7Collectors, jocMembers, ordersOverview, workflowOrders, workflows, workflowsOverview } from '../../src/collectors/js7';
import type { Js7Collector } from '../../src/collectors/js7/collector';
import { summariseWorkflows } from '../../src/collectors/js7/workflows-overview';
import { js7OrderFilterOf } from '../../src/collectors/js7/workflow-orders';
import type { SchedulerScope } from '../../src/collectors/types';
import type { ControllerConfig } from '../../src/config/types';
import {
  ComponentsAnswer,
  JocsAnswer,
  Js7OrdersAnswer,
  Js7OrdersSnapshotAnswer,
  WorkflowsAnswer,
  WorkflowsSnapshotAnswer,
} from '../../src/joc/js7/answers';
import { JS7_ORDER_STATE_TEXTS } from '../../src/joc/js7/enums';
import type { Sample } from '../../src/metrics/families';
import { describeWithJs7Schemas, validateJs7Answer } from '../support/js7-schemas';

const DELIVERY = { deliveryDate: '2026-03-02T10:00:00.000+00:00' };
const SURVEY = { ...DELIVERY, surveyDate: '2026-03-02T09:59:59.500+00:00' };
const state = (text: string, severity = 0) => ({ severity, _text: text });

/** Answers as JOC 2.8 writes them (JS7 schemas; Jackson omits nulls), checked against the schemas below. */
const ANSWERS = {
  snapshot: {
    ...SURVEY,
    // JOC omits null counts: prompting and terminated are missing.
    orders: { pending: 1, scheduled: 12, inProgress: 2, running: 3, suspended: 4, waiting: 5, blocked: 6, failed: 7 },
  },
  orders: {
    ...SURVEY,
    orders: [
      { orderId: '#2026-03-02#T1-a', workflowId: { path: '/billing/nightly', versionId: 'v2' }, state: state('FAILED', 2) },
      // An old version still running: summed under the one path.
      { orderId: '#2026-03-02#T2-a', workflowId: { path: '/billing/nightly', versionId: 'v1' }, state: state('FAILED', 2) },
      { orderId: '#2026-03-02#T3-a', workflowId: { path: '/billing/nightly', versionId: 'v2' }, state: state('SUSPENDED', 5) },
      { orderId: 'broken', workflowId: { path: '/etl/load', versionId: 'x' }, state: state('BROKEN', 2) },
      { orderId: 'late', workflowId: { path: '/etl/load', versionId: 'x' }, state: state('BLOCKED', 7) },
      // A state no filter asked for (JOC would not send it; it is not counted).
      { orderId: 'done', workflowId: { path: '/etl/other', versionId: 'x' }, state: state('FINISHED', 6) },
    ],
  },
  workflows: {
    ...SURVEY,
    workflows: [
      { path: '/billing/nightly', versionId: 'v2', isCurrentVersion: true, state: state('SUSPENDED', 11), suspended: true },
      { path: '/billing/nightly', versionId: 'v1', isCurrentVersion: false, state: state('IN_SYNC', 6), suspended: false },
      { path: '/etl/load', versionId: 'x', isCurrentVersion: true, state: state('IN_SYNC', 6), suspended: false },
      { path: '/etl/new', versionId: 'n', isCurrentVersion: true, state: state('NOT_IN_SYNC', 5) },
      { path: '/etl/half', versionId: 'h', isCurrentVersion: true, state: state('OUTSTANDING', 11) },
      { path: '/etl/draft', versionId: 'd', isCurrentVersion: true, state: state('NOT_DEPLOYED', 4) },
    ],
  },
  workflowsSnapshot: { ...SURVEY, workflows: { synchronized: 40, notSynchronized: 2, suspended: 1 } },
  componentsCluster: {
    ...DELIVERY,
    jocs: [],
    database: { dbms: 'PostgreSQL', version: '16', componentState: state('operational'), connectionState: state('established') },
    controllers: [
      {
        id: 1, controllerId: 'ha', title: 'primary', url: 'http://c1:4444', role: 'PRIMARY', isCoupled: false,
        componentState: state('operational'), connectionState: state('established'), clusterNodeState: state('active'),
      },
      {
        id: 2, controllerId: 'ha', title: 'backup', url: 'http://c2:4444', role: 'BACKUP', isCoupled: false,
        componentState: state('unknown', 2), connectionState: state('unreachable', 2), clusterNodeState: state('unknown', 2),
      },
    ],
    clusterState: { severity: 2, _text: 'ClusterNodeLossToBeConfirmed', lossNode: 'Backup' },
  },
  componentsStandalone: {
    ...DELIVERY,
    jocs: [],
    database: { dbms: 'H2', version: '2', componentState: state('operational'), connectionState: state('established') },
    controllers: [
      {
        id: 3, controllerId: 'solo', title: 'solo', url: 'http://solo:4444', role: 'STANDALONE', isCoupled: false,
        componentState: state('limited', 1), connectionState: state('established'),
      },
    ],
    clusterState: { severity: 4, _text: 'ClusterUnknown' },
  },
  jocs: {
    ...DELIVERY,
    jocs: [
      joc('joc1', 'http://joc1:4446', { current: true, clusterNodeState: state('active') }),
      joc('joc2', 'http://joc2:4446', { clusterNodeState: state('inactive', 1) }),
      // Heartbeat lost: JOC shows the connection unknown.
      joc('joc3', 'http://joc3:4446', { clusterNodeState: state('inactive', 1), connectionState: state('unknown', 2) }),
      joc('api', 'http://api:4446', { isApiServer: true, clusterNodeState: state('api-server') }),
    ],
  },
  jocsSingle: { ...DELIVERY, jocs: [joc('only', 'http://joc:4446', { current: true })] },
};

function joc(memberId: string, url: string, over: Record<string, unknown>) {
  return {
    id: 1,
    instanceId: `cluster#${memberId}`,
    memberId,
    url,
    version: '2.8.4',
    current: false,
    connectionState: state('established'),
    componentState: state('operational'),
    controllerConnectionStates: [],
    ...over,
  };
}

const controller = (over: Partial<ControllerConfig> = {}): ControllerConfig => ({
  id: 'ha',
  orderStates: ['SUSPENDED', 'FAILED', 'BLOCKED', 'PROMPTING'],
  workflows: [],
  ...over,
});
const scope = (over: Partial<ControllerConfig> = {}): SchedulerScope<ControllerConfig> => ({ joc: 'js7', scheduler: controller(over) });

function lines(samples: readonly Sample[]): string[] {
  return samples
    .map((s) => `${s.family.name}{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}} ${s.value}`)
    .sort();
}

function collect<A>(collector: Js7Collector<A>, answer: A, sc = scope()): string[] {
  return lines(collector.toSamples(answer, sc));
}

/** The series of one family whose value is 1 (one-hot families), or all of them. */
const ones = (all: string[], family: string) => all.filter((l) => l.startsWith(`${family}{`) && l.endsWith(' 1'));

describeWithJs7Schemas('js7-collectors.test.ts')('the test answers are valid JS7 answers', () => {
  test.each([
    ['orders/overview/snapshot', ANSWERS.snapshot],
    ['orders', ANSWERS.orders],
    ['workflows', ANSWERS.workflows],
    ['workflows/overview/snapshot', ANSWERS.workflowsSnapshot],
    ['controller/components', ANSWERS.componentsCluster],
    ['controller/components', ANSWERS.componentsStandalone],
    ['jocs', ANSWERS.jocs],
    // Not ANSWERS.jocsSingle: JOC omits the clusterNodeState the schema requires when it has no cluster (JS7-NOTES §2.2).
  ])('%s', (endpoint, answer) => {
    expect(validateJs7Answer(endpoint, 200, answer)).toMatchObject({ valid: true, errors: [] });
  });
});

describe('JS7 collectors: JOC answer → samples (CONTRACT §7.2)', () => {
  test('orders-overview: the ten buckets, zeros for the counts JOC omits', () => {
    expect(collect(ordersOverview, Js7OrdersSnapshotAnswer.parse(ANSWERS.snapshot))).toEqual(
      [
        'blocked 6',
        'failed 7',
        'in_progress 2',
        'pending 1',
        'prompting 0',
        'running 3',
        'scheduled 12',
        'suspended 4',
        'terminated 0',
        'waiting 5',
      ].map((s) => `jobscheduler_orders{joc="js7",jobscheduler_id="ha",state="${s.split(' ')[0]}"} ${s.split(' ')[1]}`),
    );
  });

  test('orders-overview: an answer without orders (no folder permission) is all zeros', () => {
    const samples = collect(ordersOverview, Js7OrdersSnapshotAnswer.parse(SURVEY));
    expect(samples).toHaveLength(10);
    expect(samples.every((l) => l.endsWith(' 0'))).toBe(true);
  });

  test('workflow-orders: grouped by workflow path and configured state, versions summed, Broken as failed', () => {
    const answer = Js7OrdersAnswer.parse(ANSWERS.orders);
    expect(collect(workflowOrders, answer, scope({ workflows: ['/quiet'] }))).toEqual([
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/billing/nightly",state="blocked"} 0',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/billing/nightly",state="failed"} 2',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/billing/nightly",state="prompting"} 0',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/billing/nightly",state="suspended"} 1',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/etl/load",state="blocked"} 1',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/etl/load",state="failed"} 1',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/etl/load",state="prompting"} 0',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/etl/load",state="suspended"} 0',
      // A configured workflow without such orders is present with zeros.
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/quiet",state="blocked"} 0',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/quiet",state="failed"} 0',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/quiet",state="prompting"} 0',
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/quiet",state="suspended"} 0',
    ]);
  });

  test('workflow-orders: only the configured states count; INPROGRESS is labelled in_progress', () => {
    const answer = Js7OrdersAnswer.parse({
      ...SURVEY,
      orders: [
        { orderId: 'a', workflowId: { path: '/w' }, state: state('INPROGRESS', 3) },
        { orderId: 'b', workflowId: { path: '/w' }, state: state('FAILED', 2) },
      ],
    });
    expect(collect(workflowOrders, answer, scope({ orderStates: ['INPROGRESS'] }))).toEqual([
      'jobscheduler_workflow_orders{joc="js7",jobscheduler_id="ha",workflow="/w",state="in_progress"} 1',
    ]);
  });

  test('workflow-orders: disabled with no orderStates; asks JOC with the configured states', async () => {
    expect(workflowOrders.enabled(scope({ orderStates: [] }))).toBe(false);
    const calls: unknown[] = [];
    const api = { orders: (...args: unknown[]) => (calls.push(args), Promise.resolve(Js7OrdersAnswer.parse(SURVEY_ORDERS))) };
    await workflowOrders.fetch(api as never, scope({ orderStates: ['FAILED'] }));
    expect(calls).toEqual([['ha', ['FAILED']]]);
  });

  test('js7OrderFilterOf: every order state text has its filter or none', () => {
    expect(Object.fromEntries(JS7_ORDER_STATE_TEXTS.map((t) => [t, js7OrderFilterOf(t) ?? null]))).toEqual({
      PLANNED: null,
      PENDING: 'PENDING',
      SCHEDULED: 'SCHEDULED',
      RUNNING: 'RUNNING',
      INPROGRESS: 'INPROGRESS',
      PROMPTING: 'PROMPTING',
      SUSPENDED: 'SUSPENDED',
      FAILED: 'FAILED',
      WAITING: 'WAITING',
      BLOCKED: 'BLOCKED',
      CANCELLED: null,
      FINISHED: null,
      BROKEN: 'FAILED',
      UNKNOWN: null,
    });
    expect(js7OrderFilterOf('failed')).toBe('FAILED');
  });

  test('workflows: one-hot state of the configured workflows, from the current version only', () => {
    const answer = WorkflowsAnswer.parse(ANSWERS.workflows);
    const samples = collect(workflows, answer, scope({ workflows: ['/billing/nightly', '/etl/half', '/gone'] }));
    expect(ones(samples, 'jobscheduler_workflow_state')).toEqual([
      'jobscheduler_workflow_state{joc="js7",jobscheduler_id="ha",workflow="/billing/nightly",state="suspended"} 1',
      'jobscheduler_workflow_state{joc="js7",jobscheduler_id="ha",workflow="/etl/half",state="outstanding"} 1',
    ]);
    expect(samples.filter((l) => l.includes('workflow="/billing/nightly"')).map((l) => /state="([a-z_]+)"/.exec(l)![1]).sort()).toEqual(
      ['in_sync', 'not_deployed', 'not_in_sync', 'outstanding', 'suspended', 'unknown'],
    );
    expect(workflows.missing!(answer, scope({ workflows: ['/billing/nightly', '/gone'] }))).toEqual({ kind: 'workflow', paths: ['/gone'] });
  });

  test('workflows: a workflow whose current version is gone takes the state of its newest old version', () => {
    const answer = WorkflowsAnswer.parse({
      ...SURVEY,
      workflows: [
        { path: '/old', versionId: 'b', isCurrentVersion: false, state: state('NOT_IN_SYNC', 5) },
        { path: '/old', versionId: 'a', isCurrentVersion: false, state: state('IN_SYNC', 6) },
      ],
    });
    expect(ones(collect(workflows, answer, scope({ workflows: ['/old'] })), 'jobscheduler_workflow_state')).toEqual([
      'jobscheduler_workflow_state{joc="js7",jobscheduler_id="ha",workflow="/old",state="not_in_sync"} 1',
    ]);
  });

  test('workflows-overview: the four counts of the snapshot, zeros included', () => {
    const summary = WorkflowsSnapshotAnswer.parse(ANSWERS.workflowsSnapshot).workflows!;
    expect(collect(workflowsOverview, summary)).toEqual([
      'jobscheduler_workflows{joc="js7",jobscheduler_id="ha",state="not_synchronized"} 2',
      'jobscheduler_workflows{joc="js7",jobscheduler_id="ha",state="outstanding"} 0',
      'jobscheduler_workflows{joc="js7",jobscheduler_id="ha",state="suspended"} 1',
      'jobscheduler_workflows{joc="js7",jobscheduler_id="ha",state="synchronized"} 40',
    ]);
  });

  test('workflows-overview before 2.7.3: the same counts from the workflows list, current versions, not-deployed not counted', () => {
    expect(summariseWorkflows(WorkflowsAnswer.parse(ANSWERS.workflows))).toEqual({
      synchronized: 1,
      notSynchronized: 1,
      suspended: 1,
      outstanding: 1,
    });
  });

  test('controllers: a cluster, its instances one-hot by url and role, its cluster state without the Cluster prefix', () => {
    const samples = collect(controllers, ComponentsAnswer.parse(ANSWERS.componentsCluster));
    expect(samples.filter((l) => l.endsWith(' 1'))).toEqual([
      'jobscheduler_controller_cluster_node_state{joc="js7",jobscheduler_id="ha",url="http://c1:4444",role="primary",state="active"} 1',
      'jobscheduler_controller_cluster_node_state{joc="js7",jobscheduler_id="ha",url="http://c2:4444",role="backup",state="unknown"} 1',
      'jobscheduler_controller_cluster_state{joc="js7",jobscheduler_id="ha",state="node_loss_to_be_confirmed"} 1',
      'jobscheduler_controller_component_state{joc="js7",jobscheduler_id="ha",url="http://c1:4444",role="primary",state="operational"} 1',
      'jobscheduler_controller_component_state{joc="js7",jobscheduler_id="ha",url="http://c2:4444",role="backup",state="unknown"} 1',
      'jobscheduler_controller_connection_state{joc="js7",jobscheduler_id="ha",url="http://c1:4444",role="primary",state="established"} 1',
      'jobscheduler_controller_connection_state{joc="js7",jobscheduler_id="ha",url="http://c2:4444",role="backup",state="unreachable"} 1',
    ]);
    const clusterStates = samples.filter((l) => l.startsWith('jobscheduler_controller_cluster_state{')).map((l) => /state="([a-z_]+)"/.exec(l)![1]);
    expect(clusterStates.sort()).toEqual(
      [
        'active_node_is_not_ready',
        'active_shut_down',
        'coupled',
        'empty',
        'failed_over',
        'failover_to_be_confirmed',
        'node_loss_to_be_confirmed',
        'nodes_appointed',
        'passive_lost',
        'prepared_to_be_coupled',
        'switched_over',
        'unknown',
      ],
    );
    expect(samples).toHaveLength(2 * 4 + 2 * 4 + 2 * 3 + 12);
  });

  test('controllers: a standalone Controller has no cluster series (JOC says ClusterUnknown for it)', () => {
    const samples = collect(controllers, ComponentsAnswer.parse(ANSWERS.componentsStandalone), scope({ id: 'solo' }));
    expect(samples.filter((l) => l.endsWith(' 1'))).toEqual([
      'jobscheduler_controller_component_state{joc="js7",jobscheduler_id="solo",url="http://solo:4444",role="standalone",state="limited"} 1',
      'jobscheduler_controller_connection_state{joc="js7",jobscheduler_id="solo",url="http://solo:4444",role="standalone",state="established"} 1',
    ]);
    expect(samples.some((l) => l.includes('cluster'))).toBe(false);
  });

  test('joc-members: one-hot per cluster member, heartbeat lost as unknown, API servers left out', () => {
    const samples = collect(jocMembers, JocsAnswer.parse(ANSWERS.jocs).jocs);
    expect(samples.filter((l) => l.endsWith(' 1'))).toEqual([
      'jobscheduler_joc_member_state{joc="js7",member="joc1",url="http://joc1:4446",state="active"} 1',
      'jobscheduler_joc_member_state{joc="js7",member="joc2",url="http://joc2:4446",state="inactive"} 1',
      'jobscheduler_joc_member_state{joc="js7",member="joc3",url="http://joc3:4446",state="unknown"} 1',
    ]);
    expect(samples).toHaveLength(9);
    expect(samples.some((l) => l.includes('jobscheduler_id'))).toBe(false);
  });

  test('joc-members: a JOC without a cluster has its one member active', () => {
    expect(collect(jocMembers, JocsAnswer.parse(ANSWERS.jocsSingle).jocs).filter((l) => l.endsWith(' 1'))).toEqual([
      'jobscheduler_joc_member_state{joc="js7",member="only",url="http://joc:4446",state="active"} 1',
    ]);
  });

  test('the set: six collectors of §7.2, one request each, joc-members once per JOC, and the three of §8', () => {
    const config = { history: { enabled: true, windowHours: 6, maxJobs: 5000 }, agents: { enabled: true }, dailyPlan: { enabled: true, timeZone: 'UTC' } };
    const set = createJs7Collectors(config as unknown as Parameters<typeof createJs7Collectors>[0], createLogger('silent'));
    expect(set.map((c) => [c.name, c.endpoint, c.perJoc ?? false])).toEqual([
      ['orders-overview', 'orders/overview/snapshot', false],
      ['workflow-orders', 'orders', false],
      ['workflows', 'workflows', false],
      ['workflows-overview', 'workflows/overview/snapshot', false],
      ['controllers', 'controller/components', false],
      ['joc-members', 'jocs', true],
      ['history', 'tasks/history', false],
      ['agents', 'agents', false],
      ['daily-plan', 'daily_plan/orders/summary', false],
    ]);
    expect(set.find((c) => c.name === 'workflows')!.objects).toBe('workflow');
  });
});

const SURVEY_ORDERS = { ...SURVEY, orders: [] };
