import type { WindowQuery } from '../history';
import { parseJocTimestamp } from '../joc/timestamp';

/**
 * What the history adapters of both flavours send and read alike (V1-HISTORY-NOTES §1.8,
 * JS7-NOTES §2.7): a window on the start time as absolute UTC dates ending in `Z` (never a
 * `timeZone`, which would override it), the first one relative (`-<n>s`, safe for `dateFrom`);
 * and JOC's time of an answer, its `deliveryDate` minus the round trip.
 */

/** The `dateFrom`, `dateTo` and `limit` of one window. */
export function windowDates(query: WindowQuery): { dateFrom: string; dateTo?: string; limit: number } {
  const dateFrom = 'at' in query.from ? new Date(query.from.at).toISOString() : `-${Math.ceil(query.from.agoMs / 1000)}s`;
  return { dateFrom, ...(query.before === undefined ? {} : { dateTo: new Date(query.before).toISOString() }), limit: query.limit };
}

/**
 * The answer of `call` and JOC's time of it: `deliveryDate` minus the round trip; the exporter's
 * clock stands in when an answer has no `deliveryDate` (optional in JS7's schemas).
 */
export async function timed<T extends object>(call: () => Promise<T>): Promise<{ answer: T; jocTime: number }> {
  const started = performance.now();
  const answer = await call();
  const rtt = performance.now() - started;
  const delivered = (answer as { deliveryDate?: unknown }).deliveryDate;
  const at = typeof delivered === 'string' ? parseJocTimestamp(delivered) : NaN;
  return { answer, jocTime: (Number.isNaN(at) ? Date.now() : at) - rtt };
}
