/**
 * The metrics of CONTRACT.md §4 and §7.2 (JS7): the only series dashboards and alert rules may use.
 * This is the one list the tests check against; change it only together with the contract.
 */
export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface ContractMetric {
  readonly name: string;
  readonly type: MetricType;
  /** The labels the exporter puts on the series (Prometheus adds job and instance); of both product lines. */
  readonly labels: readonly string[];
  /**
   * Where JOC 1.x series have fewer labels than `labels` (the §8 job series: `job_path`, where
   * JS7's have `workflow` and `job_name`): the 1.x labels; null for a JS7-only metric.
   */
  readonly v1Labels?: readonly string[] | null;
}

/** A §8 per-job metric: 1.x series name the job by job_path, JS7 ones by workflow and job_name. */
function jobSeries(name: string, type: MetricType, extra: readonly string[] = []): ContractMetric[] {
  const js = ['joc', 'jobscheduler_id'];
  return [{ name, type, labels: [...js, 'job_path', 'workflow', 'job_name', ...extra], v1Labels: [...js, 'job_path', ...extra] }];
}

export const CONTRACT_METRICS: readonly ContractMetric[] = [
  { name: 'jobscheduler_joc_up', type: 'gauge', labels: ['joc'] },
  { name: 'jobscheduler_up', type: 'gauge', labels: ['joc', 'jobscheduler_id'] },
  { name: 'jobscheduler_orders', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'state'] },
  { name: 'jobscheduler_job_chain_orders', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'job_chain', 'state'] },
  { name: 'jobscheduler_job_chain_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'job_chain', 'state'] },
  { name: 'jobscheduler_job_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'job_path', 'state'] },
  { name: 'jobscheduler_job_running_tasks', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'job_path'] },
  { name: 'jobscheduler_job_queued_tasks', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'job_path'] },
  { name: 'jobscheduler_jobs', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'state'] },
  { name: 'jobscheduler_tasks', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'state'] },
  { name: 'jobscheduler_master_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'url', 'state'] },
  { name: 'jobscheduler_workflow_orders', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'workflow', 'state'] },
  { name: 'jobscheduler_workflow_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'workflow', 'state'] },
  { name: 'jobscheduler_workflows', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'state'] },
  { name: 'jobscheduler_controller_component_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'url', 'role', 'state'] },
  { name: 'jobscheduler_controller_connection_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'url', 'role', 'state'] },
  { name: 'jobscheduler_controller_cluster_node_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'url', 'role', 'state'] },
  { name: 'jobscheduler_controller_cluster_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'state'] },
  { name: 'jobscheduler_joc_member_state', type: 'gauge', labels: ['joc', 'member', 'url', 'state'] },
  { name: 'jobscheduler_joc_info', type: 'gauge', labels: ['joc', 'api', 'version'] },
  { name: 'jobscheduler_exporter_configured_objects_missing', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'kind'] },
  { name: 'jobscheduler_exporter_build_info', type: 'gauge', labels: ['version', 'nodejs_version'] },
  { name: 'jobscheduler_exporter_poll_duration_seconds', type: 'gauge', labels: ['joc'] },
  { name: 'jobscheduler_exporter_last_poll_success_timestamp_seconds', type: 'gauge', labels: ['joc', 'jobscheduler_id'] },
  { name: 'jobscheduler_exporter_logins_total', type: 'counter', labels: ['joc', 'result'] },
  { name: 'jobscheduler_exporter_session_renewals_total', type: 'counter', labels: ['joc'] },
  { name: 'jobscheduler_exporter_requests_total', type: 'counter', labels: ['joc', 'endpoint', 'code'] },
  { name: 'jobscheduler_exporter_request_duration_seconds', type: 'histogram', labels: ['joc', 'endpoint'] },
  // §8: outcomes and health (1.x series carry job_path, JS7 series workflow and job_name)
  ...jobSeries('jobscheduler_tasks_completed_total', 'counter', ['result']),
  {
    name: 'jobscheduler_orders_completed_total',
    type: 'counter',
    labels: ['joc', 'jobscheduler_id', 'job_chain', 'workflow', 'result'],
    v1Labels: ['joc', 'jobscheduler_id', 'job_chain', 'result'],
  },
  ...jobSeries('jobscheduler_job_last_success_timestamp_seconds', 'gauge'),
  ...jobSeries('jobscheduler_job_last_failure_timestamp_seconds', 'gauge'),
  ...jobSeries('jobscheduler_job_last_exit_code', 'gauge'),
  ...jobSeries('jobscheduler_job_last_duration_seconds', 'gauge'),
  { name: 'jobscheduler_task_duration_seconds', type: 'histogram', labels: ['joc', 'jobscheduler_id'] },
  { name: 'jobscheduler_agent_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'agent', 'url', 'state'] },
  { name: 'jobscheduler_agent_running_tasks', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'agent'] },
  { name: 'jobscheduler_agent_cluster_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'agent_cluster', 'state'] },
  { name: 'jobscheduler_subagent_state', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'agent', 'subagent', 'url', 'state'], v1Labels: null },
  { name: 'jobscheduler_daily_plan_orders', type: 'gauge', labels: ['joc', 'jobscheduler_id', 'state', 'late'] },
];

/** Every series name a query may select: histograms as `_bucket`, `_sum` and `_count`. */
export function contractSeriesNames(): Map<string, ContractMetric> {
  const names = new Map<string, ContractMetric>();
  for (const metric of CONTRACT_METRICS) {
    if (metric.type === 'histogram') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.set(metric.name + suffix, metric);
    } else {
      names.set(metric.name, metric);
    }
  }
  return names;
}
