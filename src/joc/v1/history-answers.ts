import { z } from 'zod';

/**
 * The history answers of JOC Cockpit 1.13 (`tasks/history`: job/history-schema.json,
 * `orders/history`: order/history-schema.json), as far as the history engine reads them.
 * Timestamps are parsed tolerantly (V1-HISTORY-NOTES §1.6): `T` or a space, any number of
 * fraction digits, `Z`, an offset or nothing, and nothing means UTC.
 */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** ms since the epoch of a JOC history timestamp, or NaN. */
export function parseJocTimestamp(text: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // digits, not a float: 0.123 * 1000 is not exactly 123, and a window bound must be exact
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (!zone || zone === 'Z') return local;
  const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  return local - (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60_000;
}

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
