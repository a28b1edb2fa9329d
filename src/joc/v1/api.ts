import type { JocCaller } from '../caller';
import {
  ClusterMembersAnswer,
  JobChainsAnswer,
  JobSchedulerIdsAnswer,
  JobsAnswer,
  JobsSnapshotAnswer,
  OrdersAnswer,
  ORDERS_READ,
  OrdersSnapshotAnswer,
} from './answers';
import type { OrderStateFilter } from './enums';
import { AgentClustersAnswer, PlanAnswer } from './health-answers';
import { OrderHistoryAnswer, TaskHistoryAnswer, type HistoryRequest } from './history-answers';

/**
 * The JOC Cockpit 1.x calls the exporter makes (NOTES §5, §6), each one POST with a JSON body
 * valid under JOC's request schema, answers checked against the shapes in answers.ts by the
 * shared JocCaller (a bad answer is counted and thrown; it never reaches the collectors).
 */
export class JocApiV1 {
  readonly #caller: JocCaller;

  constructor(caller: JocCaller) {
    this.#caller = caller;
  }

  /** `jobscheduler/ids`: the JobScheduler ids this account may see. */
  jobschedulerIds(): Promise<JobSchedulerIdsAnswer> {
    return this.#caller.call('jobscheduler/ids', {}, JobSchedulerIdsAnswer);
  }

  /** `orders/overview/snapshot`: orders by processing state. */
  ordersSnapshot(jobschedulerId: string): Promise<OrdersSnapshotAnswer> {
    return this.#caller.call('orders/overview/snapshot', { jobschedulerId }, OrdersSnapshotAnswer);
  }

  /** `orders` in the given processing states, compact: one call for all job chains. */
  orders(jobschedulerId: string, processingStates: readonly OrderStateFilter[]): Promise<OrdersAnswer> {
    return this.#caller.call('orders', { jobschedulerId, compact: true, processingStates }, OrdersAnswer, ORDERS_READ);
  }

  /** `jobs/overview/snapshot`: jobs by state and task counts. */
  jobsSnapshot(jobschedulerId: string): Promise<JobsSnapshotAnswer> {
    return this.#caller.call('jobs/overview/snapshot', { jobschedulerId }, JobsSnapshotAnswer);
  }

  /** `jobs` for the given job paths in one call, compact. */
  jobs(jobschedulerId: string, paths: readonly string[]): Promise<JobsAnswer> {
    return this.#caller.call('jobs', { jobschedulerId, compact: true, jobs: paths.map((job) => ({ job })) }, JobsAnswer);
  }

  /** `job_chains` for the given job chain paths in one call, compact. */
  jobChains(jobschedulerId: string, paths: readonly string[]): Promise<JobChainsAnswer> {
    return this.#caller.call(
      'job_chains',
      { jobschedulerId, compact: true, jobChains: paths.map((jobChain) => ({ jobChain })) },
      JobChainsAnswer,
    );
  }

  /** `jobscheduler/cluster/members`: the Masters of one JobScheduler id and their state. */
  clusterMembers(jobschedulerId: string): Promise<ClusterMembersAnswer> {
    return this.#caller.call('jobscheduler/cluster/members', { jobschedulerId }, ClusterMembersAnswer);
  }

  /**
   * `tasks/history`: a start-time window, newest first (V1-HISTORY-NOTES §1.2), or tasks by id
   * (`taskIds`: dates and the other filters are ignored then). Never a `timeZone`: it would
   * override the `Z` of the dates.
   */
  tasksHistory(jobschedulerId: string, request: HistoryRequest): Promise<TaskHistoryAnswer> {
    const body = 'ids' in request ? { jobschedulerId, taskIds: request.ids, limit: 0 } : { jobschedulerId, ...request };
    return this.#caller.call('tasks/history', body, TaskHistoryAnswer);
  }

  /** `orders/history`: as tasksHistory, by `historyIds` (V1-HISTORY-NOTES §1.4). */
  ordersHistory(jobschedulerId: string, request: HistoryRequest): Promise<OrderHistoryAnswer> {
    const body = 'ids' in request ? { jobschedulerId, historyIds: request.ids, limit: 0 } : { jobschedulerId, ...request };
    return this.#caller.call('orders/history', body, OrderHistoryAnswer);
  }

  /** `jobscheduler/agent_clusters`, not compact: every Agent cluster with its Agents (V1-HISTORY-NOTES §3.1). */
  agentClusters(jobschedulerId: string): Promise<AgentClustersAnswer> {
    return this.#caller.call('jobscheduler/agent_clusters', { jobschedulerId, compact: false }, AgentClustersAnswer);
  }

  /**
   * `plan` between two absolute UTC instants (no `timeZone`: it would override the `Z`). A state
   * other than PLANNED comes first, so that JOC reads only its database and never asks the Master
   * to expand calendars (V1-HISTORY-NOTES §4).
   */
  plan(jobschedulerId: string, from: number, to: number): Promise<PlanAnswer> {
    const body = {
      jobschedulerId,
      dateFrom: new Date(from).toISOString(),
      dateTo: new Date(to).toISOString(),
      states: ['SUCCESSFUL', 'FAILED', 'INCOMPLETE', 'PLANNED'],
    };
    return this.#caller.call('plan', body, PlanAnswer);
  }
}
