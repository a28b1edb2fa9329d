import type { JobsAnswer } from '../../joc/v1/answers';
import { JOB_STATE_TEXTS } from '../../joc/v1/enums';
import { JOB_QUEUED_TASKS, JOB_RUNNING_TASKS, JOB_STATE } from '../../metrics/families';
import { oneHot } from '../labels';
import { baseLabels, missingPaths } from '../types';
import type { V1Collector } from './collector';

/**
 * `jobscheduler_job_state{job_path, state}`, `jobscheduler_job_running_tasks{job_path}` and
 * `jobscheduler_job_queued_tasks{job_path}` for the configured jobs, from one compact `jobs`
 * call. A configured job that JOC leaves out of the answer is one it does not know.
 */
export const jobs: V1Collector<JobsAnswer> = {
  name: 'jobs',
  endpoint: 'jobs',
  enabled: (scope) => scope.scheduler.jobs.length > 0,
  objects: 'job',
  fetch: (api, scope) => api.jobs(scope.scheduler.id, scope.scheduler.jobs),
  toSamples(answer, scope) {
    const labels = baseLabels(scope);
    return answer.jobs.flatMap((job) => {
      const jobLabels = { ...labels, job_path: job.path };
      return [
        ...oneHot(JOB_STATE, jobLabels, JOB_STATE_TEXTS, job.state._text),
        { family: JOB_RUNNING_TASKS, labels: jobLabels, value: job.numOfRunningTasks ?? 0 },
        { family: JOB_QUEUED_TASKS, labels: jobLabels, value: job.numOfQueuedTasks ?? 0 },
      ];
    });
  },
  missing: (answer, scope) => missingPaths('job', scope.scheduler.jobs, answer.jobs.map((job) => job.path)),
};
