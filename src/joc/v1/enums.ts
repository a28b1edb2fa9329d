/**
 * The enumerations of the JOC Cockpit 1.x API that the exporter reads, and how they map onto each
 * other. The tables follow ../shared/joc-api/NOTES.md §5 (JOC 1.13 source code); the values are the
 * Java constant names, which is what JOC writes on the wire. Compare them case-insensitively
 * (see `normaliseEnum`), because several hand-written JOC examples use lower case.
 */

/** `processingStates` filter values of `/orders` (order/orderProcessingStateFilter-schema.json). */
export const ORDER_STATE_FILTERS = [
  'PENDING',
  'RUNNING',
  'SUSPENDED',
  'SETBACK',
  'BLACKLIST',
  'WAITINGFORRESOURCE',
] as const;
export type OrderStateFilter = (typeof ORDER_STATE_FILTERS)[number];

/** `processingState._text` of an order (order/orderProcessingStateText-schema.json). */
export const ORDER_STATE_TEXTS = [
  'PENDING',
  'RUNNING',
  'SUSPENDED',
  'SETBACK',
  'BLACKLIST',
  'JOB_NOT_IN_PERIOD',
  'NODE_DELAY',
  'WAITING_FOR_LOCK',
  'WAITING_FOR_PROCESS',
  'WAITING_FOR_AGENT',
  'JOB_CHAIN_STOPPED',
  'NODE_STOPPED',
  'JOB_STOPPED',
  'WAITING_FOR_TASK',
] as const;
export type OrderStateText = (typeof ORDER_STATE_TEXTS)[number];

/** Which `processingStates` filter category an order's `_text` falls in (OrderVolatile.java). */
export const ORDER_STATE_CATEGORY: Readonly<Record<OrderStateText, OrderStateFilter>> = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  SUSPENDED: 'SUSPENDED',
  SETBACK: 'SETBACK',
  BLACKLIST: 'BLACKLIST',
  JOB_NOT_IN_PERIOD: 'WAITINGFORRESOURCE',
  NODE_DELAY: 'WAITINGFORRESOURCE',
  WAITING_FOR_LOCK: 'WAITINGFORRESOURCE',
  WAITING_FOR_PROCESS: 'WAITINGFORRESOURCE',
  WAITING_FOR_AGENT: 'WAITINGFORRESOURCE',
  JOB_CHAIN_STOPPED: 'WAITINGFORRESOURCE',
  NODE_STOPPED: 'WAITINGFORRESOURCE',
  JOB_STOPPED: 'WAITINGFORRESOURCE',
  WAITING_FOR_TASK: 'WAITINGFORRESOURCE',
};

/** `severity` JOC sets for each order `_text` (OrderVolatile.setSeverity). */
export const ORDER_STATE_SEVERITY: Readonly<Record<OrderStateText, number>> = {
  RUNNING: 0,
  PENDING: 1,
  WAITING_FOR_AGENT: 2,
  JOB_CHAIN_STOPPED: 2,
  JOB_STOPPED: 2,
  NODE_STOPPED: 2,
  JOB_NOT_IN_PERIOD: 3,
  NODE_DELAY: 3,
  WAITING_FOR_LOCK: 3,
  WAITING_FOR_PROCESS: 3,
  WAITING_FOR_TASK: 3,
  BLACKLIST: 3,
  SETBACK: 5,
  SUSPENDED: 5,
};

/** Keys of `OrdersSummary` (order/ordersSummary-schema.json), as `orders/overview/snapshot` returns them. */
export const ORDERS_SUMMARY_KEYS = [
  'pending',
  'running',
  'suspended',
  'setback',
  'waitingForResource',
  'blacklist',
] as const;
export type OrdersSummaryKey = (typeof ORDERS_SUMMARY_KEYS)[number];

/** Which summary key counts the orders of a filter category. */
export const ORDERS_SUMMARY_KEY_OF: Readonly<Record<OrderStateFilter, OrdersSummaryKey>> = {
  PENDING: 'pending',
  RUNNING: 'running',
  SUSPENDED: 'suspended',
  SETBACK: 'setback',
  BLACKLIST: 'blacklist',
  WAITINGFORRESOURCE: 'waitingForResource',
};

/** `state._text` of a job (job/jobStateText-schema.json). */
export const JOB_STATE_TEXTS = [
  'INITIALIZED',
  'NOT_INITIALIZED',
  'LOADED',
  'PENDING',
  'RUNNING',
  'WAITING_FOR_PROCESS',
  'WAITING_FOR_LOCK',
  'WAITING_FOR_AGENT',
  'WAITING_FOR_TASK',
  'NOT_IN_PERIOD',
  'STOPPING',
  'STOPPED',
  'DISABLED',
  'ERROR',
  'UNKNOWN',
] as const;
export type JobStateText = (typeof JOB_STATE_TEXTS)[number];

/** `severity` JOC sets for each job `_text` (JobVolatile.java). */
export const JOB_STATE_SEVERITY: Readonly<Record<JobStateText, number>> = {
  RUNNING: 0,
  PENDING: 1,
  STOPPED: 2,
  NOT_INITIALIZED: 2,
  WAITING_FOR_AGENT: 2,
  STOPPING: 2,
  ERROR: 2,
  INITIALIZED: 3,
  LOADED: 3,
  WAITING_FOR_PROCESS: 3,
  WAITING_FOR_LOCK: 3,
  WAITING_FOR_TASK: 3,
  NOT_IN_PERIOD: 3,
  DISABLED: 4,
  UNKNOWN: 4,
};

/** Keys of `JobsSummary` (job/jobsSummary-schema.json), as `jobs/overview/snapshot` returns them. */
export const JOBS_SUMMARY_KEYS = ['pending', 'running', 'stopped', 'waitingForResource', 'tasks', 'queuedTasks'] as const;
export type JobsSummaryKey = (typeof JOBS_SUMMARY_KEYS)[number];

/**
 * Which job `_text` values JOC counts under each job-state bucket of `jobs/overview/snapshot`
 * (the same buckets as the `states` filter of `/jobs`, JobsVCallable.java). Other states
 * (INITIALIZED, LOADED, DISABLED, UNKNOWN) are in no bucket.
 */
export const JOBS_SUMMARY_BUCKET: Readonly<Partial<Record<JobStateText, 'pending' | 'running' | 'stopped' | 'waitingForResource'>>> = {
  RUNNING: 'running',
  STOPPING: 'running',
  PENDING: 'pending',
  STOPPED: 'stopped',
  ERROR: 'waitingForResource',
  NOT_INITIALIZED: 'waitingForResource',
  NOT_IN_PERIOD: 'waitingForResource',
  WAITING_FOR_AGENT: 'waitingForResource',
  WAITING_FOR_LOCK: 'waitingForResource',
  WAITING_FOR_PROCESS: 'waitingForResource',
  WAITING_FOR_TASK: 'waitingForResource',
};

/** `state._text` of a job chain (jobChain/jobChainStateText-schema.json). */
export const JOB_CHAIN_STATE_TEXTS = ['NOT_INITIALIZED', 'INITIALIZED', 'ACTIVE', 'UNDER_CONSTRUCTION', 'STOPPED'] as const;
export type JobChainStateText = (typeof JOB_CHAIN_STATE_TEXTS)[number];

/** `severity` JOC sets for each job chain `_text` (JobChainVolatile.java). */
export const JOB_CHAIN_STATE_SEVERITY: Readonly<Record<JobChainStateText, number>> = {
  ACTIVE: 4,
  INITIALIZED: 3,
  NOT_INITIALIZED: 2,
  STOPPED: 2,
  UNDER_CONSTRUCTION: 2,
};

/** `state._text` of a JobScheduler Master (jobscheduler/stateText-schema.json). */
export const MASTER_STATE_TEXTS = [
  'STARTING',
  'RUNNING',
  'PAUSED',
  'WAITING_FOR_ACTIVATION',
  'WAITING_FOR_ACTIVATION_PAUSED',
  'TERMINATING',
  'WAITING_FOR_DATABASE',
  'DEAD',
  'UNREACHABLE',
  'UNKNOWN_AGENT',
] as const;
export type MasterStateText = (typeof MASTER_STATE_TEXTS)[number];

/** `severity` JOC sets for each Master `_text` (JobSchedulerVCallable.getJobSchedulerState). */
export const MASTER_STATE_SEVERITY: Readonly<Record<MasterStateText, number>> = {
  STARTING: 0,
  RUNNING: 0,
  PAUSED: 1,
  WAITING_FOR_DATABASE: 2,
  UNREACHABLE: 2,
  DEAD: 2,
  UNKNOWN_AGENT: 2,
  TERMINATING: 3,
  WAITING_FOR_ACTIVATION: 3,
  WAITING_FOR_ACTIVATION_PAUSED: 3,
};

/** `clusterType._type` of a Master (jobscheduler/clusterType-schema.json). */
export const CLUSTER_TYPES = ['standalone', 'active', 'passive'] as const;
export type ClusterType = (typeof CLUSTER_TYPES)[number];

/** `_type` of an order (order/orderType-schema.json). */
export const ORDER_TYPES = ['PERMANENT', 'AD_HOC', 'FILE_ORDER'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/**
 * JOC Cockpit's patterns for a JobScheduler ID (common/filename100-schema.json, at most 100
 * characters) and for an object path (common/path-schema.json, at most 255 characters). In JOC's
 * Java patterns `\<` is an escaped `<`, not a backslash, so a backslash is allowed in both.
 */
export const JOBSCHEDULER_ID_PATTERN = '^[^/<>?:"|*]*$';
export const OBJECT_PATH_PATTERN = '^(?:/|(?:/[^/<>?:"|*]+)+)$';
/** The characters both patterns exclude, for messages. */
export const FORBIDDEN_NAME_CHARACTERS = '< > ? : " | *';
