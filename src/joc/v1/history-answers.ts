import { z } from 'zod';
import { parseJocTimestamp } from '../timestamp';

/**
 * The history answers of JOC Cockpit 1.13 (`tasks/history`: job/history-schema.json,
 * `orders/history`: order/history-schema.json), as far as the history engine reads them.
 * Timestamps are parsed tolerantly (../timestamp.ts).
 */

const timestamp = z.string().refine((t) => !Number.isNaN(parseJocTimestamp(t)), 'not a timestamp');
const id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const state = z.looseObject({ _text: z.string().min(1) });

export const TaskHistoryItem = z.looseObject({
  taskId: id,
  job: z.string().min(1),
  startTime: timestamp,
  endTime: timestamp.optional(),
  state,
  exitCode: z.number().int().optional(),
});
export type TaskHistoryItem = z.infer<typeof TaskHistoryItem>;

export const TaskHistoryAnswer = z.looseObject({
  deliveryDate: timestamp,
  history: z.array(TaskHistoryItem),
});
export type TaskHistoryAnswer = z.infer<typeof TaskHistoryAnswer>;

const orderItemFields = {
  historyId: id,
  jobChain: z.string().min(1),
  orderId: z.string(),
  startTime: timestamp,
  endTime: timestamp.optional(),
  state,
};

/** A child order, nested in its parent. */
export const OrderHistoryChild = z.looseObject(orderItemFields);
export type OrderHistoryChild = z.infer<typeof OrderHistoryChild>;

export const OrderHistoryItem = z.looseObject({
  ...orderItemFields,
  children: z.array(OrderHistoryChild).optional(),
});
export type OrderHistoryItem = z.infer<typeof OrderHistoryItem>;

export const OrderHistoryAnswer = z.looseObject({
  deliveryDate: timestamp,
  history: z.array(OrderHistoryItem),
});
export type OrderHistoryAnswer = z.infer<typeof OrderHistoryAnswer>;

/** A history request of the engine: a window (dates absolute UTC with Z, or a relative dateFrom), or ids. */
export type HistoryRequest =
  | { readonly dateFrom: string; readonly dateTo?: string; readonly limit: number }
  | { readonly ids: readonly number[] };
