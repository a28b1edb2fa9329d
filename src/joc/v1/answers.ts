import { z } from 'zod';
import type { PostOptions } from '../http';
import { keepPaths } from '../json-split';

/**
 * The parts of JOC Cockpit 1.x answers the exporter reads, as zod schemas. They follow JOC's own
 * JSON schemas (../shared/joc-api/v1/raml/schemas, named per answer below) but check only what
 * the collectors use and let everything else through, so an additional field in a later JOC
 * release does not break the exporter. Enum values stay strings here: the collectors compare
 * them case-insensitively (NOTES §1).
 */

const count = z.number().int().nonnegative();
const stateText = z.looseObject({ _text: z.string().min(1) });

/** jobscheduler/jobschedulerIds-schema.json */
export const JobSchedulerIdsAnswer = z.looseObject({
  jobschedulerIds: z.array(z.string()),
  selected: z.string().optional(),
});
export type JobSchedulerIdsAnswer = z.infer<typeof JobSchedulerIdsAnswer>;

/** order/ordersSummary-schema.json: every count optional (JOC omits nulls). */
export const OrdersSummary = z.looseObject({
  pending: count.optional(),
  running: count.optional(),
  suspended: count.optional(),
  setback: count.optional(),
  waitingForResource: count.optional(),
  blacklist: count.optional(),
});
export type OrdersSummary = z.infer<typeof OrdersSummary>;

/** order/snapshot-schema.json (`orders/overview/snapshot`). `orders` is absent without folder permission. */
export const OrdersSnapshotAnswer = z.looseObject({
  surveyDate: z.string().optional(),
  orders: OrdersSummary.optional(),
});
export type OrdersSnapshotAnswer = z.infer<typeof OrdersSnapshotAnswer>;

/** What the exporter reads of one compact order_v item. */
export interface OrderItem {
  readonly jobChain: string;
  readonly processingState: { readonly _text: string };
}

/**
 * The check of one order, as a type guard rather than a zod object: an `orders` answer may hold a
 * hundred thousand orders, and a zod object builds a checked copy of each (some 25 times slower,
 * see docs/performance.md); the guard only reads the two fields the collector uses.
 */
function isOrderItem(value: unknown): value is OrderItem {
  if (typeof value !== 'object' || value === null) return false;
  const { jobChain, processingState } = value as { jobChain?: unknown; processingState?: { _text?: unknown } | null };
  return (
    typeof jobChain === 'string' &&
    jobChain !== '' &&
    typeof processingState === 'object' &&
    processingState !== null &&
    typeof processingState._text === 'string' &&
    processingState._text !== ''
  );
}

/**
 * The `orders` answer is read order by order, keeping only the two fields the guard checks and
 * the collector counts: 100,000 orders are 30 MB of JSON, never whole in memory (json-split.ts).
 */
export const ORDERS_READ: PostOptions = { split: { key: 'orders', keep: keepPaths([['jobChain'], ['processingState', '_text']]) } };

/** order/orders_v-schema.json with compact order_v items (`orders`). */
export const OrdersAnswer = z.looseObject({
  orders: z.array(z.custom<OrderItem>(isOrderItem, { error: 'must be an order with a jobChain and a processingState._text' })),
});
export type OrdersAnswer = z.infer<typeof OrdersAnswer>;

/** job/snapshot-schema.json (`jobs/overview/snapshot`). */
export const JobsSnapshotAnswer = z.looseObject({
  surveyDate: z.string().optional(),
  jobs: z
    .looseObject({
      pending: count.optional(),
      running: count.optional(),
      stopped: count.optional(),
      waitingForResource: count.optional(),
      tasks: count.optional(),
      queuedTasks: count.optional(),
    })
    .optional(),
});
export type JobsSnapshotAnswer = z.infer<typeof JobsSnapshotAnswer>;

/** job/jobs_v-schema.json with compact job_v items (`jobs`). */
export const JobsAnswer = z.looseObject({
  jobs: z.array(
    z.looseObject({
      path: z.string().min(1),
      state: stateText,
      numOfRunningTasks: count.optional(),
      numOfQueuedTasks: count.optional(),
    }),
  ),
});
export type JobsAnswer = z.infer<typeof JobsAnswer>;

/** jobChain/jobChains_v-schema.json with compact jobChain_v items (`job_chains`). */
export const JobChainsAnswer = z.looseObject({
  jobChains: z.array(
    z.looseObject({
      path: z.string().min(1),
      state: stateText,
    }),
  ),
});
export type JobChainsAnswer = z.infer<typeof JobChainsAnswer>;

/** jobscheduler/masters_v-schema.json (`jobscheduler/cluster/members`). */
export const ClusterMembersAnswer = z.looseObject({
  masters: z.array(
    z.looseObject({
      jobschedulerId: z.string().optional(),
      host: z.string().optional(),
      port: z.number().int().optional(),
      url: z.string().optional(),
      state: stateText,
    }),
  ),
});
export type ClusterMembersAnswer = z.infer<typeof ClusterMembersAnswer>;
