import { dataFamily, type DataFamily } from './data-family';
import { OUTCOME_FAMILIES } from './outcome-families';

export type { DataFamily } from './data-family';

/** The §4 and §7 families: every value is as of the last poll, which the help texts say. */
const AS_OF = ' As of the last poll.';

function family(name: string, help: string, labelNames: readonly string[]): DataFamily {
  return dataFamily(name, help + AS_OF, labelNames);
}

const JS = ['joc', 'jobscheduler_id'] as const;

export const JOC_UP = family(
  'jobscheduler_joc_up',
  'Whether the last poll could log in to JOC Cockpit (or use its session) and JOC Cockpit answered (1) or not (0).',
  ['joc'],
);
export const JOBSCHEDULER_UP = family(
  'jobscheduler_up',
  "Whether the last poll got this JobScheduler's order snapshot from JOC Cockpit (1) or not (0).",
  JS,
);
export const ORDERS = family(
  'jobscheduler_orders',
  'Orders by processing state, from orders/overview/snapshot (JOC 1.x: six states; JS7: ten buckets).',
  [...JS, 'state'],
);
export const JOB_CHAIN_ORDERS = family(
  'jobscheduler_job_chain_orders',
  'Orders per job chain in each configured orderStates state, counted from /orders filtered by processingStates.',
  [...JS, 'job_chain', 'state'],
);
export const JOB_CHAIN_STATE = family(
  'jobscheduler_job_chain_state',
  'State of a configured job chain: 1 for its current state, 0 for the others.',
  [...JS, 'job_chain', 'state'],
);
export const JOB_STATE = family(
  'jobscheduler_job_state',
  'State of a configured job: 1 for its current state, 0 for the others.',
  [...JS, 'job_path', 'state'],
);
export const JOB_RUNNING_TASKS = family('jobscheduler_job_running_tasks', 'Running tasks of a configured job.', [...JS, 'job_path']);
export const JOB_QUEUED_TASKS = family('jobscheduler_job_queued_tasks', 'Queued tasks of a configured job.', [...JS, 'job_path']);
export const JOBS = family('jobscheduler_jobs', 'Jobs by state, from jobs/overview/snapshot.', [...JS, 'state']);
export const TASKS = family('jobscheduler_tasks', 'Running and queued tasks, from jobs/overview/snapshot.', [...JS, 'state']);
export const MASTER_STATE = family(
  'jobscheduler_master_state',
  'State of each JobScheduler Master cluster member (jobscheduler/cluster/members): 1 for its current state, 0 for the others.',
  [...JS, 'url', 'state'],
);

export const WORKFLOW_ORDERS = family(
  'jobscheduler_workflow_orders',
  'JS7: orders per workflow in each configured orderStates state, counted from /orders filtered by states (versions summed).',
  [...JS, 'workflow', 'state'],
);
export const WORKFLOW_STATE = family(
  'jobscheduler_workflow_state',
  'JS7: state of a configured workflow (its current version): 1 for its current state, 0 for the others.',
  [...JS, 'workflow', 'state'],
);
export const WORKFLOWS = family('jobscheduler_workflows', 'JS7: workflows by state, from workflows/overview/snapshot.', [...JS, 'state']);
export const CONTROLLER_COMPONENT_STATE = family(
  'jobscheduler_controller_component_state',
  'JS7: component state of each Controller instance (controller/components): 1 for its current state, 0 for the others.',
  [...JS, 'url', 'role', 'state'],
);
export const CONTROLLER_CONNECTION_STATE = family(
  'jobscheduler_controller_connection_state',
  "JS7: state of JOC Cockpit's connection to each Controller instance: 1 for its current state, 0 for the others.",
  [...JS, 'url', 'role', 'state'],
);
export const CONTROLLER_CLUSTER_NODE_STATE = family(
  'jobscheduler_controller_cluster_node_state',
  'JS7: cluster node state of each instance of a Controller cluster: 1 for its current state, 0 for the others.',
  [...JS, 'url', 'role', 'state'],
);
export const CONTROLLER_CLUSTER_STATE = family(
  'jobscheduler_controller_cluster_state',
  'JS7: state of a Controller cluster (cluster Controllers only): 1 for its current state, 0 for the others.',
  [...JS, 'state'],
);
export const JOC_MEMBER_STATE = family(
  'jobscheduler_joc_member_state',
  'JS7: state of each JOC Cockpit cluster member: 1 for its current state, 0 for the others.',
  ['joc', 'member', 'url', 'state'],
);

export const JOC_INFO = family(
  'jobscheduler_joc_info',
  "JOC Cockpit instance information: always 1 while it answers; api is v1 or js7, version the JOC's version or unknown.",
  ['joc', 'api', 'version'],
);
export const CONFIGURED_OBJECTS_MISSING = family(
  'jobscheduler_exporter_configured_objects_missing',
  'Configured job chains, jobs or workflows that JOC Cockpit does not know (they have no series).',
  [...JS, 'kind'],
);

/** Every data family, in the order /metrics lists them. */
export const DATA_FAMILIES: readonly DataFamily[] = [
  JOC_UP,
  JOC_INFO,
  JOBSCHEDULER_UP,
  ORDERS,
  JOB_CHAIN_ORDERS,
  JOB_CHAIN_STATE,
  JOB_STATE,
  JOB_RUNNING_TASKS,
  JOB_QUEUED_TASKS,
  JOBS,
  TASKS,
  MASTER_STATE,
  WORKFLOW_ORDERS,
  WORKFLOW_STATE,
  WORKFLOWS,
  CONTROLLER_COMPONENT_STATE,
  CONTROLLER_CONNECTION_STATE,
  CONTROLLER_CLUSTER_NODE_STATE,
  CONTROLLER_CLUSTER_STATE,
  JOC_MEMBER_STATE,
  CONFIGURED_OBJECTS_MISSING,
  ...OUTCOME_FAMILIES,
];

/** One sample of a data family. */
export interface Sample {
  readonly family: DataFamily;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Histograms only: which of the family's series, with `le` among the labels of `_bucket`. */
  readonly suffix?: '_bucket' | '_sum' | '_count';
}
