import type { JobSchedulerConfig, V1JocConfig } from '../../config/types';
import type { Logger } from '../../logger';
import type { JocApiV1 } from '../../joc/v1/api';
import { runnable, type RunnableCollector } from '../types';
import { clusterMembers } from './cluster-members';
import { jobChainOrders } from './job-chain-orders';
import { jobChains } from './job-chains';
import { jobs } from './jobs';
import { jobsOverview } from './jobs-overview';
import { ordersOverview } from './orders-overview';
import { v1Agents, v1DailyPlan, v1History } from './outcomes';

export { clusterMembers, jobChainOrders, jobChains, jobs, jobsOverview, ordersOverview };

/**
 * The collectors of one JOC Cockpit 1.x instance, run for each JobScheduler ID, one request each
 * at most (the history: one window and one look-up per kind). Called once per JOC, so a collector
 * may keep state across its polls (the history does).
 */
export function createV1Collectors(config: V1JocConfig, logger: Logger): RunnableCollector<JocApiV1, JobSchedulerConfig>[] {
  return [
    runnable(ordersOverview),
    runnable(jobChainOrders),
    runnable(jobsOverview),
    runnable(jobs),
    runnable(jobChains),
    runnable(clusterMembers),
    runnable(v1History(config, logger)),
    runnable(v1Agents(config, logger)),
    runnable(v1DailyPlan(config, logger)),
  ];
}
