import type { JobsSnapshotAnswer } from '../../joc/v1/answers';
import { JOBS, TASKS } from '../../metrics/families';
import { stateLabel } from '../labels';
import { baseLabels } from '../types';
import type { V1Collector } from './collector';

const JOB_STATES = ['pending', 'running', 'stopped', 'waitingForResource'] as const;

/**
 * `jobscheduler_jobs{state}` and `jobscheduler_tasks{state}` from `jobs/overview/snapshot`
 * (`tasks` are the running tasks, `queuedTasks` the queued ones), zeros included.
 */
export const jobsOverview: V1Collector<JobsSnapshotAnswer> = {
  name: 'jobs-overview',
  endpoint: 'jobs/overview/snapshot',
  enabled: () => true,
  fetch: (api, scope) => api.jobsSnapshot(scope.scheduler.id),
  toSamples(answer, scope) {
    const labels = baseLabels(scope);
    const jobs = answer.jobs ?? {};
    return [
      ...JOB_STATES.map((key) => ({ family: JOBS, labels: { ...labels, state: stateLabel(key) }, value: jobs[key] ?? 0 })),
      { family: TASKS, labels: { ...labels, state: 'running' }, value: jobs.tasks ?? 0 },
      { family: TASKS, labels: { ...labels, state: 'queued' }, value: jobs.queuedTasks ?? 0 },
    ];
  },
};
