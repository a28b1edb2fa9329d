import { z } from 'zod';
import type { PostOptions } from '../http';
import { keepPaths } from '../json-split';
import { parseJocTimestamp } from '../timestamp';

/**
 * The parts of JS7 (JOC Cockpit 2.x) answers the exporter reads, as zod schemas. They follow the
 * JS7 JSON schemas (../shared/joc-api/js7/raml/api/schemas, named per answer below), with two
 * leniencies JOC itself forces: JOC's Jackson serialiser omits null fields (so a field the schema
 * marks required may be missing where the exporter can do without it), and later releases add
 * fields (so unknown fields pass). Enum values stay strings: collectors compare them
 * case-insensitively, and a value this version does not know still gets its own series.
 * Task and history ids are numbers in JS7 (strings in 1.x).
 */

const count = z.number().int().nonnegative();
const text = z.string().min(1);
/** `{severity, _text}`: every state object of the JS7 API. */
const stateText = z.looseObject({ severity: z.number().int().optional(), _text: text });
/**
 * ISO timestamps (`common/timestamp-schema.json`); Jackson writes `…+00:00`, the examples `…Z`.
 * Checked with the parser the history adapters convert them with, so that one it cannot read is
 * an invalid answer (Date.parse also takes forms it does not, e.g. without seconds).
 */
const timestamp = z.string().refine((s) => !Number.isNaN(parseJocTimestamp(s)), { error: 'must be an ISO date-time' });

/** controller/controllerIds-schema.json (`controller/ids`). `selected` is absent with no Controller registered. */
export const ControllerIdsAnswer = z.looseObject({
  controllerIds: z.array(text),
  selected: z.string().optional(),
});
export type ControllerIdsAnswer = z.infer<typeof ControllerIdsAnswer>;

/** joc/version-schema.json (`joc/version`, 2.7.2+). */
export const JocVersionAnswer = z.looseObject({
  version: text,
  gitHash: z.string().optional(),
  date: z.string().optional(),
});
export type JocVersionAnswer = z.infer<typeof JocVersionAnswer>;

/**
 * joc/versionResponse-schema.json (`joc/versions`, 2.4.1+). The schema requires a `version` field
 * it does not define; JOC sends `jocVersion` (JS7-NOTES §4), which is what is read.
 */
export const JocVersionsAnswer = z.looseObject({
  jocVersion: z.string().optional(),
  controllerVersions: z
    .array(z.looseObject({ controllerId: z.string(), uri: z.string().optional(), version: z.string() }))
    .optional(),
  agentVersions: z.array(z.looseObject({ agentId: z.string(), version: z.string() })).optional(),
});
export type JocVersionsAnswer = z.infer<typeof JocVersionsAnswer>;

/** controller/master-schema.json: one Controller instance. */
export const Controller = z.looseObject({
  controllerId: text,
  url: text,
  /** STANDALONE, PRIMARY or BACKUP. */
  role: text,
  isCoupled: z.boolean().optional(),
  version: z.string().optional(),
  componentState: stateText.optional(),
  connectionState: stateText.optional(),
  /** Omitted for a standalone Controller. */
  clusterNodeState: stateText.optional(),
});
export type Controller = z.infer<typeof Controller>;

/** controller/masters-schema.json (`controllers`). */
export const ControllersAnswer = z.looseObject({ controllers: z.array(Controller) });
export type ControllersAnswer = z.infer<typeof ControllersAnswer>;

/** controller/joc-schema.json: one JOC Cockpit instance (`Cockpit`). */
export const Cockpit = z.looseObject({
  instanceId: z.string().optional(),
  memberId: text,
  title: z.string().optional(),
  url: z.string().optional(),
  version: z.string().optional(),
  current: z.boolean().optional(),
  isApiServer: z.boolean().optional(),
  connectionState: stateText.optional(),
  componentState: stateText.optional(),
  /** active or inactive; omitted when there is only one JOC instance. */
  clusterNodeState: stateText.optional(),
  lastHeartbeat: z.string().optional(),
});
export type Cockpit = z.infer<typeof Cockpit>;

/**
 * controller/components-schema.json (`controller/components`): the Controller instances, the JOC
 * instances and the Controller cluster's state (`ClusterUnknown` for a standalone Controller).
 */
export const ComponentsAnswer = z.looseObject({
  jocs: z.array(Cockpit),
  controllers: z.array(Controller),
  clusterState: z.looseObject({ severity: z.number().int().optional(), _text: text, lossNode: z.string().optional() }).optional(),
});
export type ComponentsAnswer = z.infer<typeof ComponentsAnswer>;

/** controller/jocs-schema.json (`jocs`, 2.5.4+). */
export const JocsAnswer = z.looseObject({ jocs: z.array(Cockpit) });
export type JocsAnswer = z.infer<typeof JocsAnswer>;

/** order/ordersSummary-schema.json: the ten buckets, each optional (JOC omits nulls). */
export const Js7OrdersSummary = z.looseObject({
  pending: count.optional(),
  scheduled: count.optional(),
  inProgress: count.optional(),
  running: count.optional(),
  prompting: count.optional(),
  suspended: count.optional(),
  waiting: count.optional(),
  blocked: count.optional(),
  failed: count.optional(),
  terminated: count.optional(),
});
export type Js7OrdersSummary = z.infer<typeof Js7OrdersSummary>;

/** order/snapshot-schema.json (`orders/overview/snapshot`). */
export const Js7OrdersSnapshotAnswer = z.looseObject({
  surveyDate: z.string().optional(),
  orders: Js7OrdersSummary.optional(),
});
export type Js7OrdersSnapshotAnswer = z.infer<typeof Js7OrdersSnapshotAnswer>;

/** What the exporter reads of one compact `OrderV` (order/order_v-schema.json). */
export interface Js7OrderItem {
  readonly workflowId: { readonly path: string; readonly versionId?: string };
  readonly state: { readonly _text: string };
}

/**
 * The check of one order as a type guard rather than a zod object: an `orders` answer may hold
 * tens of thousands of orders, and a zod object would build a checked copy of each; the guard
 * reads only the two fields the collector uses (the same choice as for JOC 1.x's orders).
 */
function isJs7OrderItem(value: unknown): value is Js7OrderItem {
  if (typeof value !== 'object' || value === null) return false;
  const { workflowId, state } = value as { workflowId?: { path?: unknown } | null; state?: { _text?: unknown } | null };
  return (
    typeof workflowId === 'object' &&
    workflowId !== null &&
    typeof workflowId.path === 'string' &&
    workflowId.path !== '' &&
    typeof state === 'object' &&
    state !== null &&
    typeof state._text === 'string' &&
    state._text !== ''
  );
}

/** As JOC 1.x's `orders` (v1/answers.ts ORDERS_READ): read order by order, two fields kept. */
export const JS7_ORDERS_READ: PostOptions = { split: { key: 'orders', keep: keepPaths([['workflowId', 'path'], ['state', '_text']]) } };

/** order/orders_v-schema.json with compact OrderV items (`orders`). */
export const Js7OrdersAnswer = z.looseObject({
  surveyDate: z.string().optional(),
  orders: z.array(z.custom<Js7OrderItem>(isJs7OrderItem, { error: 'must be an order with a workflowId.path and a state._text' })),
});
export type Js7OrdersAnswer = z.infer<typeof Js7OrdersAnswer>;

/** controller/schemas/workflow/workflow-schema.json, compact: what the exporter reads. */
export const Workflow = z.looseObject({
  path: text,
  versionId: z.string().optional(),
  /** False for an old version that still holds orders. */
  isCurrentVersion: z.boolean().optional(),
  state: stateText.optional(),
  suspended: z.boolean().optional(),
});
export type Workflow = z.infer<typeof Workflow>;

/** workflow/workflows-schema.json (`workflows`). */
export const WorkflowsAnswer = z.looseObject({
  surveyDate: z.string().optional(),
  workflows: z.array(Workflow),
});
export type WorkflowsAnswer = z.infer<typeof WorkflowsAnswer>;

/** workflow/snapshot-schema.json (`workflows/overview/snapshot`, 2.7.3+). */
export const WorkflowsSnapshotAnswer = z.looseObject({
  surveyDate: z.string().optional(),
  workflows: z
    .looseObject({
      synchronized: count.optional(),
      notSynchronized: count.optional(),
      suspended: count.optional(),
      outstanding: count.optional(),
    })
    .optional(),
});
export type WorkflowsSnapshotAnswer = z.infer<typeof WorkflowsSnapshotAnswer>;

/** agent/subagent_v-schema.json: one Subagent of a cluster Agent. */
export const Subagent = z.looseObject({
  agentId: z.string().optional(),
  subagentId: text,
  url: z.string().optional(),
  version: z.string().optional(),
  state: stateText.optional(),
  isDirector: z.string().optional(),
  clusterNodeState: stateText.optional(),
  runningTasks: count.optional(),
  disabled: z.boolean().optional(),
});
export type Subagent = z.infer<typeof Subagent>;

/**
 * agent/agent_v-schema.json (with agentstate_v): one Agent. `url` and `state` are absent for a
 * cluster Agent (its `healthState` and `subagents` tell instead); `runningTasks` comes with
 * `compact:true`.
 */
export const AgentV = z.looseObject({
  controllerId: z.string().optional(),
  agentId: text,
  agentName: z.string().optional(),
  url: z.string().optional(),
  version: z.string().optional(),
  state: z.looseObject({ severity: z.number().int().optional(), _text: text, _reason: z.string().optional() }).optional(),
  healthState: stateText.optional(),
  clusterState: stateText.optional(),
  errorMessage: z.string().optional(),
  runningTasks: count.optional(),
  processLimit: count.optional(),
  disabled: z.boolean().optional(),
  subagents: z.array(Subagent).optional(),
});
export type AgentV = z.infer<typeof AgentV>;

/** agent/agents_v-schema.json (`agents`). */
export const AgentsAnswer = z.looseObject({
  surveyDate: z.string().optional(),
  agents: z.array(AgentV),
});
export type AgentsAnswer = z.infer<typeof AgentsAnswer>;

/** common/historyState-schema.json: SUCCESSFUL, INCOMPLETE or FAILED. */
const historyState = z.looseObject({ severity: z.number().int().optional(), _text: text });

/** job/historyItem-schema.json: one task (`taskId` is a number). */
export const TaskHistoryItem = z.looseObject({
  controllerId: z.string().optional(),
  workflow: text,
  job: text,
  orderId: z.string().optional(),
  position: z.string().optional(),
  startTime: timestamp,
  /** Absent while the task runs. */
  endTime: timestamp.optional(),
  state: historyState,
  criticality: z.string().optional(),
  taskId: count,
  agentUrl: z.string().optional(),
  exitCode: z.number().int().optional(),
  error: z.looseObject({ code: z.string().optional(), message: z.string().optional() }).optional(),
});
export type TaskHistoryItem = z.infer<typeof TaskHistoryItem>;

/** job/history-schema.json (`tasks/history`). */
export const TaskHistoryAnswer = z.looseObject({ history: z.array(TaskHistoryItem) });
export type TaskHistoryAnswer = z.infer<typeof TaskHistoryAnswer>;

/** order/orderHistoryItem-schema.json: one order (`historyId` is a number); `children` are its child orders. */
export interface OrderHistoryItem {
  readonly controllerId?: string;
  readonly orderId: string;
  readonly workflow: string;
  readonly startTime: string;
  readonly plannedTime?: string;
  readonly endTime?: string;
  readonly state: { readonly severity?: number; readonly _text: string };
  readonly orderState?: { readonly severity?: number; readonly _text: string };
  readonly historyId: number;
  readonly children?: readonly OrderHistoryItem[];
}
export const OrderHistoryItem: z.ZodType<OrderHistoryItem> = z.looseObject({
  controllerId: z.string().optional(),
  orderId: text,
  workflow: text,
  startTime: timestamp,
  plannedTime: timestamp.optional(),
  endTime: timestamp.optional(),
  state: historyState,
  orderState: stateText.optional(),
  historyId: count,
  get children() {
    return z.array(OrderHistoryItem).optional();
  },
});

/** order/orderHistory-schema.json (`orders/history`). */
export const OrderHistoryAnswer = z.looseObject({ history: z.array(OrderHistoryItem) });
export type OrderHistoryAnswer = z.infer<typeof OrderHistoryAnswer>;

/**
 * orderManagement/dailyplan/dailyPlanOrderSummary-schema.json (`daily_plan/orders/summary`):
 * counts only, no deliveryDate; every count optional (JOC omits nulls).
 */
export const DailyPlanSummaryAnswer = z.looseObject({
  planned: count.optional(),
  plannedLate: count.optional(),
  submitted: count.optional(),
  submittedLate: count.optional(),
  finished: count.optional(),
});
export type DailyPlanSummaryAnswer = z.infer<typeof DailyPlanSummaryAnswer>;
