import { dataFamily as outcome, type DataFamily } from './data-family';

/**
 * The families of CONTRACT §8 (outcomes and health). The job labels differ by product line: 1.x
 * series carry `job_path`, JS7 series `workflow` and `job_name`; a family declares both sets, and
 * each series has the labels of its line only.
 */

const JS = ['joc', 'jobscheduler_id'] as const;
const JOB = [...JS, 'job_path', 'workflow', 'job_name'] as const;

export const TASKS_COMPLETED = outcome(
  'jobscheduler_tasks_completed_total',
  "Tasks that ended since the exporter's first history poll, by result (successful, failed), from tasks/history; each counted once.",
  [...JOB, 'result'],
  'counter',
);
export const ORDERS_COMPLETED = outcome(
  'jobscheduler_orders_completed_total',
  "Orders that ended since the exporter's first history poll, by result, from orders/history (1.x: child orders too; JS7: main orders); each counted once.",
  [...JS, 'job_chain', 'workflow', 'result'],
  'counter',
);
export const JOB_LAST_SUCCESS = outcome(
  'jobscheduler_job_last_success_timestamp_seconds',
  'End time of the last successful task of the job seen in the history.',
  JOB,
);
export const JOB_LAST_FAILURE = outcome(
  'jobscheduler_job_last_failure_timestamp_seconds',
  'End time of the last failed task of the job seen in the history.',
  JOB,
);
export const JOB_LAST_EXIT_CODE = outcome('jobscheduler_job_last_exit_code', 'Exit code of the last ended task of the job.', JOB);
export const JOB_LAST_DURATION = outcome(
  'jobscheduler_job_last_duration_seconds',
  'Duration of the last ended task of the job, seconds.',
  JOB,
);
export const TASK_DURATION = outcome(
  'jobscheduler_task_duration_seconds',
  "Durations of the tasks that ended since the exporter's first history poll (every job, also those past the per-job bound).",
  [...JS, 'le'],
  'histogram',
);
export const AGENT_STATE = outcome(
  'jobscheduler_agent_state',
  'State of each Agent: 1 for its current state, 0 for the others.',
  [...JS, 'agent', 'url', 'state'],
);
export const AGENT_RUNNING_TASKS = outcome(
  'jobscheduler_agent_running_tasks',
  'Tasks running on the Agent (JS7: orders it processes).',
  [...JS, 'agent'],
);
export const AGENT_CLUSTER_STATE = outcome(
  'jobscheduler_agent_cluster_state',
  'State of each Agent cluster (1.x) or cluster Agent (JS7): 1 for its current state, 0 for the others.',
  [...JS, 'agent_cluster', 'state'],
);
export const SUBAGENT_STATE = outcome(
  'jobscheduler_subagent_state',
  'State of each Subagent of a JS7 cluster Agent: 1 for its current state, 0 for the others.',
  [...JS, 'agent', 'subagent', 'url', 'state'],
);
export const DAILY_PLAN_ORDERS = outcome(
  'jobscheduler_daily_plan_orders',
  "Today's orders of the daily plan by state and lateness, in the configured time zone.",
  [...JS, 'state', 'late'],
);

export const OUTCOME_FAMILIES: readonly DataFamily[] = [
  TASKS_COMPLETED,
  ORDERS_COMPLETED,
  JOB_LAST_SUCCESS,
  JOB_LAST_FAILURE,
  JOB_LAST_EXIT_CODE,
  JOB_LAST_DURATION,
  TASK_DURATION,
  AGENT_STATE,
  AGENT_RUNNING_TASKS,
  AGENT_CLUSTER_STATE,
  SUBAGENT_STATE,
  DAILY_PLAN_ORDERS,
];
