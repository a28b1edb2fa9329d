import type { JobChainsAnswer } from '../../joc/v1/answers';
import { JOB_CHAIN_STATE_TEXTS } from '../../joc/v1/enums';
import { JOB_CHAIN_STATE } from '../../metrics/families';
import { oneHot } from '../labels';
import { baseLabels, missingPaths } from '../types';
import type { V1Collector } from './collector';

/**
 * `jobscheduler_job_chain_state{job_chain, state}` for the configured job chains, from one
 * compact `job_chains` call. A configured job chain JOC does not know has no series.
 */
export const jobChains: V1Collector<JobChainsAnswer> = {
  name: 'job-chains',
  endpoint: 'job_chains',
  enabled: (scope) => scope.scheduler.jobChains.length > 0,
  objects: 'job_chain',
  fetch: (api, scope) => api.jobChains(scope.scheduler.id, scope.scheduler.jobChains),
  toSamples(answer, scope) {
    const labels = baseLabels(scope);
    return answer.jobChains.flatMap((chain) =>
      oneHot(JOB_CHAIN_STATE, { ...labels, job_chain: chain.path }, JOB_CHAIN_STATE_TEXTS, chain.state._text),
    );
  },
  missing: (answer, scope) =>
    missingPaths('job_chain', scope.scheduler.jobChains, answer.jobChains.map((chain) => chain.path)),
};
