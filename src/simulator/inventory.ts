/**
 * The simulator's model of what the JobScheduler Masters behind JOC Cockpit hold: per JobScheduler
 * id its cluster members, job chains, jobs and orders. It is plain data (JSON-compatible, times as
 * epoch milliseconds) so a test can pass a scripted inventory, and it knows nothing about HTTP.
 * The answers (answers.ts) are derived from it on every request, so a change shows at once.
 *
 * The enum values are the ones of ../joc/v1/enums.ts (NOTES §5).
 */
import type {
  ClusterType,
  JobChainStateText,
  JobStateText,
  MasterStateText,
  OrderStateText,
  OrderType,
} from '../joc/v1/enums';

import type { AgentClusterInventory } from './agents-store';
import type { OrderHistoryRow, TaskHistoryRow } from './history-store';
import type { DailyPlanInventory } from './plan-store';

export interface Inventory {
  /** In the order `jobscheduler/ids` lists them. */
  schedulers: SchedulerInventory[];
  /** The `selected` id of `jobscheduler/ids`; the first scheduler when omitted. */
  selected?: string;
  /** Next history/task id the demo mode hands out (it grows); optional in scripted data. */
  nextId?: number;
}

/**
 * How JOC's connection to the Master of an id behaves (NOTES §4, §5.2, §5.9):
 * `ok`; `refused` (420 JOC-402 on data calls); `reset` (434 on the two snapshot calls,
 * 420 JOC-402 elsewhere). Either failure shows every cluster member as UNREACHABLE.
 */
export type MasterConnection = 'ok' | 'refused' | 'reset';

export interface SchedulerInventory {
  jobschedulerId: string;
  /** Default `ok`. */
  connection?: MasterConnection;
  masters: MasterInventory[];
  jobChains: JobChainInventory[];
  jobs: JobInventory[];
  orders: OrderInventory[];
  /** The reporting tables behind tasks/history and orders/history (history-store.ts). */
  taskHistory?: TaskHistoryRow[];
  orderHistory?: OrderHistoryRow[];
  /** The Agent clusters behind jobscheduler/agent_clusters (agents-store.ts); a default set when absent. */
  agentClusters?: AgentClusterInventory[];
  /** The daily plan behind `plan` (plan-store.ts); today's default plan when absent. */
  plan?: DailyPlanInventory;
}

/** One cluster member (JobSchedulerV, NOTES §5.9). */
export interface MasterInventory {
  host: string;
  port: number;
  /** Default `http://<host>:<port>`. */
  url?: string;
  state: MasterStateText;
  /** Lower case, as the schema enum (the simulator writes it so; NOTES §1 says JOC may not). */
  clusterType: ClusterType;
  /** Only for a passive cluster: 0 primary, 1 backup. */
  precedence?: number;
  startedAt?: number;
}

export type JobChainNodeStateText = 'ACTIVE' | 'SKIPPED' | 'STOPPED';

/** Node severities from the schema description only (NOTES §5.5, [D]). */
export const JOB_CHAIN_NODE_STATE_SEVERITY: Readonly<Record<JobChainNodeStateText, number>> = {
  ACTIVE: 4,
  SKIPPED: 5,
  STOPPED: 2,
};

export interface JobChainNodeInventory {
  /** The node name, e.g. "100"; an order's `state` is the name of its node. */
  name: string;
  /** Path of the job the node runs. */
  job: string;
  /** Default ACTIVE. */
  state?: JobChainNodeStateText;
}

export interface JobChainInventory {
  path: string;
  state: JobChainStateText;
  /** numOfNodes is nodes.length. */
  nodes: JobChainNodeInventory[];
}

export interface JobInventory {
  path: string;
  state: JobStateText;
  /** `state.manually` for STOPPED jobs. */
  stateManually?: boolean;
  runningTasks: number;
  queuedTasks: number;
  isOrderJob: boolean;
  /** The job chain an order job belongs to. */
  jobChain?: string;
  stateText?: string;
  /** Task and step counters since the Master started (non-compact answers). */
  allTasks?: number;
  allSteps?: number;
  /** First task id of the job's running tasks; task ids are derived from it. */
  taskIdBase?: number;
}

export interface OrderInventory {
  jobChain: string;
  orderId: string;
  /** `processingState._text`; any of the 14 values. */
  processingState: OrderStateText;
  /** `processingState.manually` (SUSPENDED, JOB_STOPPED). */
  manually?: boolean;
  type: OrderType;
  /** Name of the node the order is at (the order's `state`). */
  node: string;
  /** Job path; derived from the node when omitted. Blacklisted orders have none (NOTES §5.1). */
  job?: string;
  runTimeIsTemporary?: boolean;
  title?: string;
  historyId?: number;
  taskId?: number;
  startedAt?: number;
  inProcessSince?: number;
  nextStartTime?: number;
  setback?: number;
}

export function findScheduler(inventory: Inventory, jobschedulerId: string): SchedulerInventory | undefined {
  return inventory.schedulers.find((s) => s.jobschedulerId === jobschedulerId);
}

export function orderPath(order: Pick<OrderInventory, 'jobChain' | 'orderId'>): string {
  return `${order.jobChain},${order.orderId}`;
}

/** Last path segment: the `name` of a job or job chain. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Folder of a path ("/a/b/c" → "/a/b", "/c" → "/"). */
export function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** The job an order is at: its own `job`, else the job of its node; none when blacklisted. */
export function orderJob(scheduler: SchedulerInventory, order: OrderInventory): string | undefined {
  if (order.processingState === 'BLACKLIST') return undefined;
  if (order.job !== undefined) return order.job;
  const chain = scheduler.jobChains.find((c) => c.path === order.jobChain);
  return chain?.nodes.find((n) => n.name === order.node)?.job;
}

export function masterUrl(master: MasterInventory): string {
  return master.url ?? `http://${master.host}:${master.port}`;
}

/** The member JOC talks to: the first RUNNING one, else the first (NOTES §5.9). */
export function activeMaster(scheduler: SchedulerInventory): MasterInventory | undefined {
  return scheduler.masters.find((m) => m.state === 'RUNNING') ?? scheduler.masters[0];
}

/** `items` by `key`, each key to the first item that has it (what `items.find` would give). */
export function firstBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T> {
  const index = new Map<K, T>();
  for (const item of items) {
    const k = key(item);
    if (!index.has(k)) index.set(k, item);
  }
  return index;
}

/** `items` grouped by `key`, each group in the order of `items` (what `items.filter` would give). */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * `orderJob` for many orders of one scheduler: the job chains are indexed once, so each order
 * costs a lookup instead of a scan. Build it per answer (the inventory may change meanwhile).
 */
export function orderJobLookup(scheduler: SchedulerInventory): (order: OrderInventory) => string | undefined {
  const nodeJobs = new Map<string, Map<string, string>>();
  for (const [path, chain] of firstBy(scheduler.jobChains, (c) => c.path)) {
    nodeJobs.set(path, new Map([...firstBy(chain.nodes, (n) => n.name)].map(([name, node]) => [name, node.job])));
  }
  return (order) => {
    if (order.processingState === 'BLACKLIST') return undefined;
    if (order.job !== undefined) return order.job;
    return nodeJobs.get(order.jobChain)?.get(order.node);
  };
}
