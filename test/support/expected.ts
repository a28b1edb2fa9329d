import type { JocConfig, V1JocConfig } from '../../src/config/types';
import { JOBS_SUMMARY_BUCKET, ORDER_STATE_CATEGORY, type OrderStateFilter } from '../../src/joc/v1/enums';
import type { JobInventory, OrderInventory } from '../../src/simulator';

/**
 * What the metrics must say about a simulator inventory, computed from the inventory itself
 * (CONTRACT §4), for the integration and e2e tests.
 */

/** The `state` label of each order filter category. */
export const ORDER_STATE_LABEL: Readonly<Record<OrderStateFilter, string>> = {
  PENDING: 'pending',
  RUNNING: 'running',
  SUSPENDED: 'suspended',
  SETBACK: 'setback',
  BLACKLIST: 'blacklist',
  WAITINGFORRESOURCE: 'waiting_for_resource',
};

/** Orders by `state` label, all six present. */
export function orderCounts(orders: readonly OrderInventory[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.values(ORDER_STATE_LABEL).map((l) => [l, 0]));
  for (const order of orders) counts[ORDER_STATE_LABEL[ORDER_STATE_CATEGORY[order.processingState]]]! += 1;
  return counts;
}

/** `jobscheduler_jobs` by `state` label, from the jobs' states. */
export function jobCounts(jobs: readonly JobInventory[]): Record<string, number> {
  const label = { pending: 'pending', running: 'running', stopped: 'stopped', waitingForResource: 'waiting_for_resource' } as const;
  const counts: Record<string, number> = Object.fromEntries(Object.values(label).map((l) => [l, 0]));
  for (const job of jobs) {
    const bucket = JOBS_SUMMARY_BUCKET[job.state];
    if (bucket) counts[label[bucket]]! += 1;
  }
  return counts;
}

/** `jobscheduler_tasks` by `state` label. */
export function taskCounts(jobs: readonly JobInventory[]): Record<string, number> {
  return {
    running: jobs.reduce((n, j) => n + j.runningTasks, 0),
    queued: jobs.reduce((n, j) => n + j.queuedTasks, 0),
  };
}

/** The JOC entry of a parsed config as a 1.x one (a test's config lists a v1 JOC there). */
export function v1Joc(joc: JocConfig | undefined): V1JocConfig {
  if (!joc || joc.apiVersion !== 'v1') throw new Error('expected a JOC Cockpit 1.x entry (apiVersion v1)');
  return joc;
}
