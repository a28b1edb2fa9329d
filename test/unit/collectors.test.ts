import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchedulerScope } from '../../src/collectors/types';
import { clusterMembers, jobChainOrders, jobChains, jobs, jobsOverview, ordersOverview } from '../../src/collectors/v1';
import type { V1Collector } from '../../src/collectors/v1/collector';
import { orderCategory } from '../../src/collectors/v1/job-chain-orders';
import { oneHot, stateLabel } from '../../src/collectors/labels';
import type { JobSchedulerConfig } from '../../src/config/types';
import {
  ClusterMembersAnswer,
  JobChainsAnswer,
  JobsAnswer,
  JobsSnapshotAnswer,
  OrdersAnswer,
  OrdersSnapshotAnswer,
} from '../../src/joc/v1/answers';
import { JOB_STATE_TEXTS, ORDER_STATE_TEXTS } from '../../src/joc/v1/enums';
import { JOB_CHAIN_STATE, type Sample } from '../../src/metrics/families';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'joc', name), 'utf8'));

const scheduler = (over: Partial<JobSchedulerConfig> = {}): JobSchedulerConfig => ({
  id: 'prod',
  orderStates: ['SUSPENDED', 'SETBACK', 'BLACKLIST'],
  jobChains: [],
  jobs: [],
  ...over,
});
const scope = (over: Partial<JobSchedulerConfig> = {}): SchedulerScope<JobSchedulerConfig> => ({ joc: 'main', scheduler: scheduler(over) });

/** Samples as `name{k="v",...} value` lines, sorted, for readable exact comparisons. */
function lines(samples: readonly Sample[]): string[] {
  return samples
    .map((s) => `${s.family.name}{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}} ${s.value}`)
    .sort();
}

function collect<A>(collector: V1Collector<A>, schema: { parse: (v: unknown) => A }, file: string, sc: SchedulerScope<JobSchedulerConfig>): string[] {
  return lines(collector.toSamples(schema.parse(fixture(file)), sc));
}

describe('stateLabel', () => {
  test.each([
    ['WAITINGFORRESOURCE', 'waiting_for_resource'],
    ['waitingForResource', 'waiting_for_resource'],
    ['NOT_INITIALIZED', 'not_initialized'],
    ['SUSPENDED', 'suspended'],
    ['pending', 'pending'],
    ['WAITING_FOR_ACTIVATION_PAUSED', 'waiting_for_activation_paused'],
    ['queuedTasks', 'queued_tasks'],
    ['odd value-1', 'odd_value_1'],
  ])('%s → %s', (input, expected) => expect(stateLabel(input)).toBe(expected));
});

describe('oneHot', () => {
  test('every known state present, 1 for the current one, case-insensitive', () => {
    const samples = oneHot(JOB_CHAIN_STATE, { joc: 'j' }, ['ACTIVE', 'STOPPED'], 'stopped');
    expect(lines(samples)).toEqual(['jobscheduler_job_chain_state{joc="j",state="active"} 0', 'jobscheduler_job_chain_state{joc="j",state="stopped"} 1']);
  });
  test('an unknown state gets its own series rather than being lost', () => {
    const samples = oneHot(JOB_CHAIN_STATE, {}, ['ACTIVE'], 'BRAND_NEW');
    expect(lines(samples)).toEqual(['jobscheduler_job_chain_state{state="active"} 0', 'jobscheduler_job_chain_state{state="brand_new"} 1']);
  });
});

describe('orderCategory (NOTES §5.1)', () => {
  test('maps every processingState text to its filter category', () => {
    const byCategory = new Map<string, string[]>();
    for (const text of ORDER_STATE_TEXTS) {
      const category = orderCategory(text)!;
      byCategory.set(category, [...(byCategory.get(category) ?? []), text]);
    }
    expect(Object.fromEntries(byCategory)).toEqual({
      PENDING: ['PENDING'],
      RUNNING: ['RUNNING'],
      SUSPENDED: ['SUSPENDED'],
      SETBACK: ['SETBACK'],
      BLACKLIST: ['BLACKLIST'],
      WAITINGFORRESOURCE: [
        'JOB_NOT_IN_PERIOD',
        'NODE_DELAY',
        'WAITING_FOR_LOCK',
        'WAITING_FOR_PROCESS',
        'WAITING_FOR_AGENT',
        'JOB_CHAIN_STOPPED',
        'NODE_STOPPED',
        'JOB_STOPPED',
        'WAITING_FOR_TASK',
      ],
    });
    expect(orderCategory('waiting_for_lock')).toBe('WAITINGFORRESOURCE');
    expect(orderCategory('waitingForResource')).toBe('WAITINGFORRESOURCE');
    expect(orderCategory('NONSENSE')).toBeUndefined();
  });
});

describe('collectors: JOC answer → samples', () => {
  test('orders-overview: all six states, missing counts are 0', () => {
    expect(collect(ordersOverview, OrdersSnapshotAnswer, 'orders-snapshot.json', scope())).toEqual([
      'jobscheduler_orders{joc="main",jobscheduler_id="prod",state="blacklist"} 0',
      'jobscheduler_orders{joc="main",jobscheduler_id="prod",state="pending"} 41',
      'jobscheduler_orders{joc="main",jobscheduler_id="prod",state="running"} 3',
      'jobscheduler_orders{joc="main",jobscheduler_id="prod",state="setback"} 0',
      'jobscheduler_orders{joc="main",jobscheduler_id="prod",state="suspended"} 2',
      'jobscheduler_orders{joc="main",jobscheduler_id="prod",state="waiting_for_resource"} 7',
    ]);
  });

  test('orders-overview: an answer without `orders` (no folder permission) is all zeros', () => {
    const samples = ordersOverview.toSamples(OrdersSnapshotAnswer.parse({ deliveryDate: 'x', surveyDate: 'y' }), scope());
    expect(samples.map((s) => s.value)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test('jobs-overview: jobs by state and tasks running/queued', () => {
    expect(collect(jobsOverview, JobsSnapshotAnswer, 'jobs-snapshot.json', scope())).toEqual([
      'jobscheduler_jobs{joc="main",jobscheduler_id="prod",state="pending"} 17',
      'jobscheduler_jobs{joc="main",jobscheduler_id="prod",state="running"} 2',
      'jobscheduler_jobs{joc="main",jobscheduler_id="prod",state="stopped"} 1',
      'jobscheduler_jobs{joc="main",jobscheduler_id="prod",state="waiting_for_resource"} 0',
      'jobscheduler_tasks{joc="main",jobscheduler_id="prod",state="queued"} 0',
      'jobscheduler_tasks{joc="main",jobscheduler_id="prod",state="running"} 3',
    ]);
  });

  test('job-chain-orders: counts per chain and configured state; configured chains always present', () => {
    const sc = scope({ orderStates: ['SUSPENDED', 'WAITINGFORRESOURCE'], jobChains: ['/billing/nightly', '/quiet/chain'] });
    expect(collect(jobChainOrders, OrdersAnswer, 'orders-compact.json', sc)).toEqual([
      'jobscheduler_job_chain_orders{joc="main",jobscheduler_id="prod",job_chain="/billing/nightly",state="suspended"} 2',
      'jobscheduler_job_chain_orders{joc="main",jobscheduler_id="prod",job_chain="/billing/nightly",state="waiting_for_resource"} 0',
      'jobscheduler_job_chain_orders{joc="main",jobscheduler_id="prod",job_chain="/etl/import",state="suspended"} 0',
      'jobscheduler_job_chain_orders{joc="main",jobscheduler_id="prod",job_chain="/etl/import",state="waiting_for_resource"} 2',
      'jobscheduler_job_chain_orders{joc="main",jobscheduler_id="prod",job_chain="/quiet/chain",state="suspended"} 0',
      'jobscheduler_job_chain_orders{joc="main",jobscheduler_id="prod",job_chain="/quiet/chain",state="waiting_for_resource"} 0',
    ]);
  });

  test('job-chain-orders: orders outside the configured states are not counted', () => {
    const sc = scope({ orderStates: ['BLACKLIST'] });
    expect(collect(jobChainOrders, OrdersAnswer, 'orders-compact.json', sc)).toEqual([
      'jobscheduler_job_chain_orders{joc="main",jobscheduler_id="prod",job_chain="/etl/import",state="blacklist"} 1',
    ]);
  });

  test('job-chains: one-hot state of each job chain JOC returned', () => {
    const sc = scope({ jobChains: ['/billing/nightly', '/etl/import'] });
    const out = collect(jobChains, JobChainsAnswer, 'job-chains-compact.json', sc);
    expect(out).toHaveLength(10);
    expect(out.filter((l) => l.endsWith(' 1'))).toEqual([
      'jobscheduler_job_chain_state{joc="main",jobscheduler_id="prod",job_chain="/billing/nightly",state="active"} 1',
      'jobscheduler_job_chain_state{joc="main",jobscheduler_id="prod",job_chain="/etl/import",state="stopped"} 1',
    ]);
    expect(out.map((l) => /state="([a-z_]+)"/.exec(l)![1]).slice(0, 5).sort()).toEqual([
      'active',
      'initialized',
      'not_initialized',
      'stopped',
      'under_construction',
    ]);
  });

  test('jobs: one-hot job state over all 15 states and task counts', () => {
    const sc = scope({ jobs: ['/billing/transfer', '/etl/parse'] });
    const out = collect(jobs, JobsAnswer, 'jobs-compact.json', sc);
    expect(out.filter((l) => l.startsWith('jobscheduler_job_state{'))).toHaveLength(2 * JOB_STATE_TEXTS.length);
    expect(out.filter((l) => l.startsWith('jobscheduler_job_state{') && l.endsWith(' 1'))).toEqual([
      'jobscheduler_job_state{joc="main",jobscheduler_id="prod",job_path="/billing/transfer",state="running"} 1',
      'jobscheduler_job_state{joc="main",jobscheduler_id="prod",job_path="/etl/parse",state="stopped"} 1',
    ]);
    expect(out.filter((l) => !l.startsWith('jobscheduler_job_state{'))).toEqual([
      'jobscheduler_job_queued_tasks{joc="main",jobscheduler_id="prod",job_path="/billing/transfer"} 1',
      'jobscheduler_job_queued_tasks{joc="main",jobscheduler_id="prod",job_path="/etl/parse"} 0',
      'jobscheduler_job_running_tasks{joc="main",jobscheduler_id="prod",job_path="/billing/transfer"} 2',
      'jobscheduler_job_running_tasks{joc="main",jobscheduler_id="prod",job_path="/etl/parse"} 0',
    ]);
  });

  test('cluster-members: one-hot per member url; url built from host and port when missing', () => {
    const out = collect(clusterMembers, ClusterMembersAnswer, 'cluster-members.json', scope());
    expect(out).toHaveLength(20);
    expect(out.filter((l) => l.endsWith(' 1'))).toEqual([
      'jobscheduler_master_state{joc="main",jobscheduler_id="prod",url="http://js-a.example.com:40444",state="running"} 1',
      'jobscheduler_master_state{joc="main",jobscheduler_id="prod",url="http://js-b.example.com:40444",state="unreachable"} 1',
    ]);
  });

  test('cluster-members: members of another id and repeated urls are left out', () => {
    const answer = ClusterMembersAnswer.parse({
      masters: [
        { jobschedulerId: 'prod', url: 'http://a:1', state: { _text: 'RUNNING' } },
        { jobschedulerId: 'prod', url: 'http://a:1', state: { _text: 'PAUSED' } },
        { jobschedulerId: 'test', url: 'http://b:1', state: { _text: 'RUNNING' } },
      ],
    });
    const out = lines(clusterMembers.toSamples(answer, scope()));
    expect(out.filter((l) => l.endsWith(' 1'))).toEqual([
      'jobscheduler_master_state{joc="main",jobscheduler_id="prod",url="http://a:1",state="running"} 1',
    ]);
  });

  test('answers of the wrong shape are rejected before they reach a collector', () => {
    expect(OrdersSnapshotAnswer.safeParse({ orders: { pending: -1 } }).success).toBe(false);
    expect(OrdersAnswer.safeParse({ orders: [{ jobChain: '/a' }] }).success).toBe(false);
    expect(JobsAnswer.safeParse({ jobs: 'none' }).success).toBe(false);
    expect(ClusterMembersAnswer.safeParse(undefined).success).toBe(false);
  });
});
