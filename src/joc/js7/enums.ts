/**
 * The enumerations and patterns of the JS7 (JOC Cockpit 2.x) API that the configuration needs
 * (../shared/joc-api/JS7-NOTES.md §2). Enum values are written as the schemas spell them.
 */

/**
 * `orderStates` a JS7 Controller may list (CONTRACT §2): the `states` filter values of `/orders`
 * (`order/orderStateText-schema.json`) that the exporter groups per workflow.
 */
export const JS7_ORDER_STATE_FILTERS = [
  'PENDING',
  'SCHEDULED',
  'INPROGRESS',
  'RUNNING',
  'PROMPTING',
  'SUSPENDED',
  'WAITING',
  'BLOCKED',
  'FAILED',
] as const;
export type Js7OrderStateFilter = (typeof JS7_ORDER_STATE_FILTERS)[number];

/**
 * `controllerId` (`common/controllerIdRequired-schema.json`): 1 to 100 characters of this
 * pattern. JOC writes it `^[^/\\<>?!&:;()"|*^]*$`, where `\\<` is an escaped `<`: a backslash
 * is allowed, as in 1.x JobScheduler IDs.
 */
export const CONTROLLER_ID_PATTERN = '^[^/<>?!&:;()"|*^]*$';
/** The characters the Controller ID pattern excludes, for messages. */
export const FORBIDDEN_CONTROLLER_ID_CHARACTERS = '/ < > ? ! & : ; ( ) " | * ^';

/** `state._text` of an order (`order/orderStateText-schema.json`, the same in 2.0 to 2.9). */
export const JS7_ORDER_STATE_TEXTS = [
  'PLANNED',
  'PENDING',
  'SCHEDULED',
  'RUNNING',
  'INPROGRESS',
  'PROMPTING',
  'SUSPENDED',
  'FAILED',
  'WAITING',
  'BLOCKED',
  'CANCELLED',
  'FINISHED',
  'BROKEN',
  'UNKNOWN',
] as const;
export type Js7OrderStateText = (typeof JS7_ORDER_STATE_TEXTS)[number];

/**
 * The `orderStates` filter value an order's `state._text` counts under. JOC groups a Broken order
 * with the failed ones (JS7-NOTES §2.4); the texts that no filter selects (terminated, planned,
 * unknown) count nowhere.
 */
export const JS7_ORDER_STATE_FILTER_OF: Readonly<Partial<Record<Js7OrderStateText, Js7OrderStateFilter>>> = {
  PENDING: 'PENDING',
  SCHEDULED: 'SCHEDULED',
  INPROGRESS: 'INPROGRESS',
  RUNNING: 'RUNNING',
  PROMPTING: 'PROMPTING',
  SUSPENDED: 'SUSPENDED',
  WAITING: 'WAITING',
  BLOCKED: 'BLOCKED',
  FAILED: 'FAILED',
  BROKEN: 'FAILED',
};

/** The ten buckets of `OrdersSummary` (`order/ordersSummary-schema.json`), as `orders/overview/snapshot` returns them. */
export const JS7_ORDERS_SUMMARY_KEYS = [
  'pending',
  'scheduled',
  'inProgress',
  'running',
  'prompting',
  'suspended',
  'waiting',
  'blocked',
  'failed',
  'terminated',
] as const;
export type Js7OrdersSummaryKey = (typeof JS7_ORDERS_SUMMARY_KEYS)[number];

/** A workflow's `state._text` (`controller/schemas/common/syncStateText-schema.json`). */
export const WORKFLOW_SYNC_STATES = ['IN_SYNC', 'NOT_IN_SYNC', 'NOT_DEPLOYED', 'SUSPENDED', 'OUTSTANDING', 'UNKNOWN'] as const;
export type WorkflowSyncState = (typeof WORKFLOW_SYNC_STATES)[number];

/** The counts of `workflow/workflowsSummary-schema.json` (`workflows/overview/snapshot`). */
export const WORKFLOWS_SUMMARY_KEYS = ['synchronized', 'notSynchronized', 'suspended', 'outstanding'] as const;
export type WorkflowsSummaryKey = (typeof WORKFLOWS_SUMMARY_KEYS)[number];

/**
 * The summary count a workflow's sync state falls in, to derive the snapshot from `/workflows` on a
 * JOC older than 2.7.3. NOT_DEPLOYED and UNKNOWN are not counted, as in the snapshot (JS7-NOTES §2.6).
 */
export const WORKFLOWS_SUMMARY_KEY_OF: Readonly<Partial<Record<WorkflowSyncState, WorkflowsSummaryKey>>> = {
  IN_SYNC: 'synchronized',
  NOT_IN_SYNC: 'notSynchronized',
  SUSPENDED: 'suspended',
  OUTSTANDING: 'outstanding',
};

/** `componentState._text` of a Controller or JOC instance (`controller/componentState-schema.json`, lower case on the wire). */
export const COMPONENT_STATES = ['operational', 'limited', 'inoperable', 'unknown'] as const;
/** `connectionState._text` (`controller/connectionState-schema.json`). */
export const CONNECTION_STATES = ['established', 'unstable', 'unreachable', 'unknown'] as const;
/**
 * `clusterNodeState._text` of a cluster Controller (`controller/clusterNodeState-schema.json`; its
 * `api-server` value is for JOC instances only).
 */
export const CLUSTER_NODE_STATES = ['active', 'inactive', 'unknown'] as const;
/** A Controller instance's `role` (`controller/role-schema.json`). */
export const CONTROLLER_ROLES = ['STANDALONE', 'PRIMARY', 'BACKUP'] as const;
export type ControllerRole = (typeof CONTROLLER_ROLES)[number];

/**
 * A Controller cluster's `clusterState._text` without its `Cluster` prefix (the engine's cluster
 * state types; JS7-NOTES §2.2). `Unknown` is what JOC reports for a standalone Controller too.
 */
export const CLUSTER_STATE_TYPES = [
  'Coupled',
  'FailedOver',
  'SwitchedOver',
  'PassiveLost',
  'NodesAppointed',
  'ActiveShutDown',
  'PreparedToBeCoupled',
  'ActiveNodeIsNotReady',
  'NodeLossToBeConfirmed',
  'FailoverToBeConfirmed',
  'Empty',
  'Unknown',
] as const;
/** The prefix JOC puts before every cluster state type (`ClusterCoupled`). */
export const CLUSTER_STATE_PREFIX = 'Cluster';

/** The states of `jobscheduler_joc_member_state` (a JOC instance's `clusterNodeState`, CONTRACT §7.2). */
export const JOC_MEMBER_STATES = ['active', 'inactive', 'unknown'] as const;

/** `state._text` of a standalone Agent or Subagent (`agent/agentStateText-schema.json`, 2.7+). */
export const AGENT_STATE_TEXTS = ['COUPLED', 'RESETTING', 'INITIALISED', 'SHUTDOWN', 'UNKNOWN'] as const;
/** `healthState._text` of a cluster Agent (`agent/agentClusterStateText-schema.json`). */
export const AGENT_CLUSTER_STATE_TEXTS = [
  'ALL_SUBAGENTS_ARE_COUPLED_AND_ENABLED',
  'ONLY_SOME_SUBAGENTS_ARE_COUPLED_AND_ENABLED',
  'NO_SUBAGENTS_ARE_COUPLED_AND_ENABLED',
  'UNKNOWN',
] as const;

/** `state._text` of a task or order history entry (`common/historyStateText-schema.json`). */
export const HISTORY_STATE_TEXTS = ['SUCCESSFUL', 'INCOMPLETE', 'FAILED'] as const;
export type HistoryStateText = (typeof HISTORY_STATE_TEXTS)[number];

/** The counts of `orderManagement/dailyplan/dailyPlanOrderSummary-schema.json`. */
export const DAILY_PLAN_SUMMARY_KEYS = ['planned', 'plannedLate', 'submitted', 'submittedLate', 'finished'] as const;
export type DailyPlanSummaryKey = (typeof DAILY_PLAN_SUMMARY_KEYS)[number];
