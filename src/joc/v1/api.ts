import type { z } from 'zod';
import type { Logger } from '../../logger';
import type { SelfMetrics } from '../../metrics/self';
import { JocAnswerError } from '../errors';
import type { JocSession } from '../session';
import {
  ClusterMembersAnswer,
  JobChainsAnswer,
  JobSchedulerIdsAnswer,
  JobsAnswer,
  JobsSnapshotAnswer,
  OrdersAnswer,
  OrdersSnapshotAnswer,
} from './answers';
import type { OrderStateFilter } from './enums';
import { AgentClustersAnswer, PlanAnswer } from './health-answers';
import { OrderHistoryAnswer, TaskHistoryAnswer, type HistoryRequest } from './history-answers';

/**
 * The JOC Cockpit 1.x calls the exporter makes (NOTES §5, §6), each one POST with a JSON body
 * valid under JOC's request schema, answers checked against the shapes in answers.ts. An answer
 * that does not fit is counted (`jobscheduler_exporter_invalid_answers_total`) and thrown as
 * JocAnswerError; it never reaches the collectors.
 */
export class JocApiV1 {
  readonly #session: JocSession;
  readonly #metrics: SelfMetrics;
  readonly #joc: string;
  readonly #logger: Logger;

  constructor(session: JocSession, metrics: SelfMetrics, joc: string, logger: Logger) {
    this.#session = session;
    this.#metrics = metrics;
    this.#joc = joc;
    this.#logger = logger;
  }

  /** `jobscheduler/ids`: the JobScheduler ids this account may see. */
  jobschedulerIds(): Promise<JobSchedulerIdsAnswer> {
    return this.#call('jobscheduler/ids', {}, JobSchedulerIdsAnswer);
  }

  /** `orders/overview/snapshot`: orders by processing state. */
  ordersSnapshot(jobschedulerId: string): Promise<OrdersSnapshotAnswer> {
    return this.#call('orders/overview/snapshot', { jobschedulerId }, OrdersSnapshotAnswer);
  }

  /** `orders` in the given processing states, compact: one call for all job chains. */
  orders(jobschedulerId: string, processingStates: readonly OrderStateFilter[]): Promise<OrdersAnswer> {
    return this.#call('orders', { jobschedulerId, compact: true, processingStates }, OrdersAnswer);
  }

  /** `jobs/overview/snapshot`: jobs by state and task counts. */
  jobsSnapshot(jobschedulerId: string): Promise<JobsSnapshotAnswer> {
    return this.#call('jobs/overview/snapshot', { jobschedulerId }, JobsSnapshotAnswer);
  }

  /** `jobs` for the given job paths in one call, compact. */
  jobs(jobschedulerId: string, paths: readonly string[]): Promise<JobsAnswer> {
    return this.#call('jobs', { jobschedulerId, compact: true, jobs: paths.map((job) => ({ job })) }, JobsAnswer);
  }

  /** `job_chains` for the given job chain paths in one call, compact. */
  jobChains(jobschedulerId: string, paths: readonly string[]): Promise<JobChainsAnswer> {
    return this.#call(
      'job_chains',
      { jobschedulerId, compact: true, jobChains: paths.map((jobChain) => ({ jobChain })) },
      JobChainsAnswer,
    );
  }

  /** `jobscheduler/cluster/members`: the Masters of one JobScheduler id and their state. */
  clusterMembers(jobschedulerId: string): Promise<ClusterMembersAnswer> {
    return this.#call('jobscheduler/cluster/members', { jobschedulerId }, ClusterMembersAnswer);
  }

  /**
   * `tasks/history`: a start-time window, newest first (V1-HISTORY-NOTES §1.2), or tasks by id
   * (`taskIds`: dates and the other filters are ignored then). Never a `timeZone`: it would
   * override the `Z` of the dates.
   */
  tasksHistory(jobschedulerId: string, request: HistoryRequest): Promise<TaskHistoryAnswer> {
    const body = 'ids' in request ? { jobschedulerId, taskIds: request.ids, limit: 0 } : { jobschedulerId, ...request };
    return this.#call('tasks/history', body, TaskHistoryAnswer);
  }

  /** `orders/history`: as tasksHistory, by `historyIds` (V1-HISTORY-NOTES §1.4). */
  ordersHistory(jobschedulerId: string, request: HistoryRequest): Promise<OrderHistoryAnswer> {
    const body = 'ids' in request ? { jobschedulerId, historyIds: request.ids, limit: 0 } : { jobschedulerId, ...request };
    return this.#call('orders/history', body, OrderHistoryAnswer);
  }

  /** `jobscheduler/agent_clusters`, not compact: every Agent cluster with its Agents (V1-HISTORY-NOTES §3.1). */
  agentClusters(jobschedulerId: string): Promise<AgentClustersAnswer> {
    return this.#call('jobscheduler/agent_clusters', { jobschedulerId, compact: false }, AgentClustersAnswer);
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
    return this.#call('plan', body, PlanAnswer);
  }

  async #call<S extends z.ZodType>(endpoint: string, body: object, schema: S): Promise<z.infer<S>> {
    const json = await this.#session.request(endpoint, body);
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    this.#metrics.invalidAnswers.inc({ joc: this.#joc, endpoint });
    const problem =
      json === undefined
        ? 'the body is not JSON'
        : parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
            .join('; ');
    this.#logger.debug({ endpoint, issues: parsed.error.issues.length }, 'invalid answer from JOC Cockpit');
    throw new JocAnswerError(endpoint, problem);
  }
}
