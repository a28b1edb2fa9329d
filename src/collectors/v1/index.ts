import { clusterMembers } from './cluster-members';
import { jobChainOrders } from './job-chain-orders';
import { jobChains } from './job-chains';
import { jobs } from './jobs';
import { jobsOverview } from './jobs-overview';
import { ordersOverview } from './orders-overview';
import { runnable, type RunnableCollector } from './types';

export { clusterMembers, jobChainOrders, jobChains, jobs, jobsOverview, ordersOverview };
export * from './types';

/** Every collector run for each JobScheduler id, one request each at most. */
export const COLLECTORS: readonly RunnableCollector[] = [
  runnable(ordersOverview),
  runnable(jobChainOrders),
  runnable(jobsOverview),
  runnable(jobs),
  runnable(jobChains),
  runnable(clusterMembers),
];
