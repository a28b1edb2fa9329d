import type { JobSchedulerConfig } from '../../config/types';
import type { JocApiV1 } from '../../joc/v1/api';
import { runnable, type RunnableCollector } from '../types';
import { clusterMembers } from './cluster-members';
import { jobChainOrders } from './job-chain-orders';
import { jobChains } from './job-chains';
import { jobs } from './jobs';
import { jobsOverview } from './jobs-overview';
import { ordersOverview } from './orders-overview';

export { clusterMembers, jobChainOrders, jobChains, jobs, jobsOverview, ordersOverview };

/**
 * The collectors of one JOC Cockpit 1.x instance, run for each JobScheduler ID, one request each
 * at most. Called once per JOC, so a collector may keep state across its polls.
 */
export function createV1Collectors(): RunnableCollector<JocApiV1, JobSchedulerConfig>[] {
  return [
    runnable(ordersOverview),
    runnable(jobChainOrders),
    runnable(jobsOverview),
    runnable(jobs),
    runnable(jobChains),
    runnable(clusterMembers),
  ];
}
