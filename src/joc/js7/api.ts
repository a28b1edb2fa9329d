import type { JocCaller } from '../caller';
import { JocStatusError } from '../errors';
import {
  AgentsAnswer,
  type Cockpit,
  ComponentsAnswer,
  ControllerIdsAnswer,
  ControllersAnswer,
  DailyPlanSummaryAnswer,
  JocsAnswer,
  JocVersionAnswer,
  JocVersionsAnswer,
  Js7OrdersAnswer,
  JS7_ORDERS_READ,
  Js7OrdersSnapshotAnswer,
  OrderHistoryAnswer,
  TaskHistoryAnswer,
  WorkflowsAnswer,
  WorkflowsSnapshotAnswer,
} from './answers';
import type { HistoryStateText, Js7OrderStateFilter } from './enums';

/**
 * The fields the exporter sends to `orders/history` (`order/ordersFilter-schema.json`); those
 * of `tasks/history` (`job/jobsFilter-schema.json`) are the same plus `taskIds`.
 */
export interface OrderHistoryFilter {
  readonly controllerId: string;
  /** `common/dateFromTo-schema.json`: ISO, or relative (`-6h`); on the start time. */
  readonly dateFrom?: string;
  readonly dateTo?: string;
  /** On the end time; ISO. */
  readonly completedDateFrom?: string;
  readonly completedDateTo?: string;
  readonly timeZone?: string;
  /** Default 10,000; -1 unlimited. */
  readonly limit?: number;
  readonly historyStates?: readonly HistoryStateText[];
  readonly historyIds?: readonly number[];
}

export interface TaskHistoryFilter extends OrderHistoryFilter {
  readonly taskIds?: readonly number[];
}

/** The fields of `agent/readAgents_v-schema.json` besides `controllerId`. */
export interface AgentsFilter {
  readonly compact?: boolean;
  readonly onlyVisibleAgents?: boolean;
  readonly flat?: boolean;
}

/** Workflow counts by state, from `workflows/overview/snapshot` or derived from `workflows` (JOC before 2.7.3). */
export type WorkflowsSummary = NonNullable<WorkflowsSnapshotAnswer['workflows']>;

/**
 * The JS7 (JOC Cockpit 2.x) calls the exporter makes (JS7-NOTES §2), each one POST with a JSON body
 * valid under JOC's JS7 request schema, answers checked against the shapes in answers.ts by the
 * shared JocCaller (a bad answer is counted and thrown; it never reaches the collectors). One
 * request shape serves 2.0 to 2.8, since JS7 ignores request fields it does not know.
 *
 * Endpoints that an older JOC lacks answer 404 there. The methods that have a fallback remember
 * that, log it once and use the fallback from then on (the figures are the same, so a JOC upgraded
 * while the exporter runs loses nothing; only the requests differ).
 *
 * Within one poll (from one `beginPoll` to the next) a Controller ID's `controller/components`
 * is asked once: the Controller collector and, on a JOC without `jocs`, the JOC members read the
 * same answer.
 */
export class JocApiJs7 {
  readonly #caller: JocCaller;
  /** Endpoints this JOC answered 404 for. */
  readonly #lacking = new Set<string>();
  /** This poll's `controller/components` answers (or their failure), per Controller ID. */
  readonly #components = new Map<string, Promise<ComponentsAnswer>>();

  constructor(caller: JocCaller) {
    this.#caller = caller;
  }

  /** `controller/ids`: the Controller IDs this account may see (the body is ignored; `{}`). */
  controllerIds(): Promise<ControllerIdsAnswer> {
    return this.#caller.call('controller/ids', {}, ControllerIdsAnswer);
  }

  /** `joc/version` (2.7.2+): the JOC's own version. */
  jocVersion(): Promise<JocVersionAnswer> {
    return this.#caller.call('joc/version', {}, JocVersionAnswer);
  }

  /** `joc/versions` (2.4.1+): the JOC's, Controllers' and Agents' versions. */
  jocVersions(): Promise<JocVersionsAnswer> {
    return this.#caller.call('joc/versions', {}, JocVersionsAnswer);
  }

  /** `controllers` with no id: every Controller instance the account may see. */
  controllers(): Promise<ControllersAnswer> {
    return this.#caller.call('controllers', {}, ControllersAnswer);
  }

  /** A new poll: answers of the last one are asked again. */
  beginPoll(): void {
    this.#components.clear();
  }

  /**
   * `controller/components`: one Controller ID's instances, its cluster state and the JOC
   * instances; asked once per poll (a second call gets the first one's answer, or its failure).
   */
  components(controllerId: string): Promise<ComponentsAnswer> {
    let answer = this.#components.get(controllerId);
    if (!answer) {
      answer = this.#caller.call('controller/components', { controllerId }, ComponentsAnswer);
      this.#components.set(controllerId, answer);
    }
    return answer;
  }

  /** `jocs` (2.5.4+): the JOC Cockpit cluster members. */
  jocs(): Promise<JocsAnswer> {
    return this.#caller.call('jocs', {}, JocsAnswer);
  }

  /**
   * The JOC Cockpit instances: `jocs`, or on a JOC before 2.5.4 the `jocs` list of
   * `controller/components` of `controllerId` (the same Cockpit objects). `jocs` checks no
   * permission, only the session (JOC Cockpit 2.5 to 2.8), so no account is refused it.
   */
  jocMembers(controllerId: string): Promise<readonly Cockpit[]> {
    return this.#optional(
      'jocs',
      async () => (await this.jocs()).jocs,
      async () => (await this.components(controllerId)).jocs,
      'the JOC members are read from controller/components',
    );
  }

  /** `orders/overview/snapshot`: the ten order buckets of one Controller ID. */
  ordersSnapshot(controllerId: string): Promise<Js7OrdersSnapshotAnswer> {
    return this.#caller.call('orders/overview/snapshot', { controllerId }, Js7OrdersSnapshotAnswer);
  }

  /** `orders` in the given states, compact, unlimited: one call for every workflow. */
  orders(controllerId: string, states: readonly Js7OrderStateFilter[]): Promise<Js7OrdersAnswer> {
    return this.#caller.call('orders', { controllerId, compact: true, states, limit: -1 }, Js7OrdersAnswer, JS7_ORDERS_READ);
  }

  /** `workflows`, compact: the given paths (all versions that JOC still holds), or every workflow without paths. */
  workflows(controllerId: string, paths?: readonly string[]): Promise<WorkflowsAnswer> {
    const body = paths ? { controllerId, compact: true, workflowIds: paths.map((path) => ({ path })) } : { controllerId, compact: true };
    return this.#caller.call('workflows', body, WorkflowsAnswer);
  }

  /** `workflows/overview/snapshot` (2.7.3+): workflows by state. */
  workflowsSnapshot(controllerId: string): Promise<WorkflowsSnapshotAnswer> {
    return this.#caller.call('workflows/overview/snapshot', { controllerId }, WorkflowsSnapshotAnswer);
  }

  /**
   * Workflows by state: `workflows/overview/snapshot`, or on a JOC before 2.7.3 counted from
   * every workflow's current version (`workflows`, compact), as the snapshot counts them.
   */
  workflowsSummary(controllerId: string, fromWorkflows: (answer: WorkflowsAnswer) => WorkflowsSummary): Promise<WorkflowsSummary> {
    return this.#optional(
      'workflows/overview/snapshot',
      async () => (await this.workflowsSnapshot(controllerId)).workflows ?? {},
      async () => fromWorkflows(await this.workflows(controllerId)),
      'workflows by state are counted from the workflows list',
    );
  }

  /** `agents`, by default compact (with `runningTasks`) and only the Agents the account may see. */
  agents(controllerId: string, filter: AgentsFilter = { compact: true, onlyVisibleAgents: true }): Promise<AgentsAnswer> {
    return this.#caller.call('agents', { controllerId, ...filter }, AgentsAnswer);
  }

  /** `tasks/history`: tasks by the filter (ids are numbers). */
  tasksHistory(filter: TaskHistoryFilter): Promise<TaskHistoryAnswer> {
    return this.#caller.call('tasks/history', filter, TaskHistoryAnswer);
  }

  /** `orders/history`: orders by the filter (ids are numbers); child orders under `children`. */
  ordersHistory(filter: OrderHistoryFilter): Promise<OrderHistoryAnswer> {
    return this.#caller.call('orders/history', filter, OrderHistoryAnswer);
  }

  /**
   * `daily_plan/orders/summary` of one day (`YYYY-MM-DD`) of one Controller ID. The filter takes
   * `controllerIds`, plural: there is no `controllerId` field (JS7-NOTES §2.8).
   */
  dailyPlanSummary(controllerId: string, day: string): Promise<DailyPlanSummaryAnswer> {
    return this.#caller.call(
      'daily_plan/orders/summary',
      { controllerIds: [controllerId], dailyPlanDateFrom: day, dailyPlanDateTo: day },
      DailyPlanSummaryAnswer,
    );
  }

  /** Whether this JOC answered 404 for `endpoint`: it predates it. */
  lacks(endpoint: string): boolean {
    return this.#lacking.has(endpoint);
  }

  /** `primary`, unless the JOC lacks `endpoint` (404): then, from now on, `fallback`. */
  async #optional<T>(endpoint: string, primary: () => Promise<T>, fallback: () => Promise<T>, instead: string): Promise<T> {
    if (this.#lacking.has(endpoint)) return fallback();
    try {
      return await primary();
    } catch (err) {
      if (!(err instanceof JocStatusError && err.status === 404)) throw err;
      this.#lacking.add(endpoint);
      this.#caller.logger.info({ endpoint }, `JOC Cockpit has no ${endpoint} (an older JS7 release): ${instead}; this is not an error`);
      return fallback();
    }
  }
}
