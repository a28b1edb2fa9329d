/**
 * JOC's date filters (common/dateFromTo-schema.json, `JobSchedulerDate`, JS7-NOTES §2.7): "0",
 * relative "-1h", "-2d", "+1w3d" (units s m h d w M y; d, w, M and y truncate to 00:00 in the
 * request's `timeZone`, default UTC) or an ISO date-time, with Z or an offset, else read in
 * `timeZone`. An unknown time zone is read as UTC.
 */
import { fromWallClock, isTimeZone, zoneOffsetMs as offsetOf } from '../../util/time-zone';

const RELATIVE = /^([+-]?0|(?:[+-]?[0-9]+[smhdwMy])+)(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,3}))?$/;
const PART = /([+-]?)([0-9]+)([smhdwMy])/g;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** The offset of `timeZone` from UTC at the instant `ms`, in ms (0 for UTC and unknown zones, which JOC reads as UTC). */
export function zoneOffsetMs(ms: number, timeZone: string | undefined): number {
  return timeZone && isTimeZone(timeZone) ? offsetOf(ms, timeZone) : 0;
}

/** The instant of a wall-clock time (as UTC fields) in `timeZone` (UTC for an unknown zone). */
function fromLocal(localMs: number, timeZone: string | undefined): number {
  return timeZone && isTimeZone(timeZone) ? fromWallClock(localMs, timeZone) : localMs;
}

/** Calendar months, the day clamped to the target month's last (as java.time's plusMonths). */
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const month = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), new Date(Date.UTC(year, m + 1, 0)).getUTCDate());
  return Date.UTC(year, m, day) + (ms - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/**
 * The instant a filter value names, or undefined when it is not one; `intoPast` turns "1d" into
 * "-1d" (what `orders/overview/summary` does, JS7-NOTES §2.7).
 */
export function parseJocDate(value: unknown, now: number, intoPast = false, timeZone?: string): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const m = RELATIVE.exec(text);
  if (!m) {
    const local = ISO_LOCAL.exec(text);
    if (local) {
      const [, y, mo, d, h, mi, s, frac] = local;
      const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((frac ?? '0').padEnd(3, '0')));
      return fromLocal(wall, timeZone);
    }
    const iso = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(iso) ? undefined : iso;
  }
  if (/^[+-]?0$/.test(m[1]!)) return now;
  // Calendar arithmetic on the wall clock of the time zone, then back to an instant.
  let t = now + zoneOffsetMs(now, timeZone);
  let truncate = false;
  for (const part of m[1]!.matchAll(PART)) {
    const sign = intoPast || part[1] === '-' ? -1 : 1;
    const amount = Number(part[2]) * sign;
    const unit = part[3]!;
    if (unit === 'M' || unit === 'y') t = addMonths(t, unit === 'M' ? amount : 12 * amount);
    else t += amount * UNIT_MS[unit]!;
    if (unit === 'd' || unit === 'w' || unit === 'M' || unit === 'y') truncate = true;
  }
  if (!truncate) return now + (t - (now + zoneOffsetMs(now, timeZone)));
  const d = new Date(t);
  return fromLocal(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()), timeZone);
}
