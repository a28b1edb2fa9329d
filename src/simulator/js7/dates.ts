/**
 * JOC's date filters (common/dateFromTo-schema.json, `JobSchedulerDate`, JS7-NOTES §2.7): "0",
 * relative "-1h", "-2d", "+1w3d" (units s m h d w M y; d, w, M and y truncate to 00:00) or an ISO
 * date-time, optionally with Z or an offset. The simulator truncates in UTC: the `timeZone` of a
 * request is not applied [a simplification, stated in the README].
 */

const RELATIVE = /^([+-]?0|(?:[+-]?[0-9]+[smhdwMy])+)(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const PART = /([+-]?)([0-9]+)([smhdwMy])/g;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * The instant a filter value names, or undefined when it is not one; `intoPast` turns "1d" into
 * "-1d" (what `orders/overview/summary` does, JS7-NOTES §2.7).
 */
export function parseJocDate(value: unknown, now: number, intoPast = false): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const m = RELATIVE.exec(text);
  if (!m) {
    const iso = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(iso) ? undefined : iso;
  }
  if (/^[+-]?0$/.test(m[1]!)) return now;
  let t = now;
  let truncate = false;
  for (const part of m[1]!.matchAll(PART)) {
    const sign = intoPast || part[1] === '-' ? -1 : 1;
    const amount = Number(part[2]) * sign;
    const unit = part[3]!;
    if (unit === 'M' || unit === 'y') {
      const d = new Date(t);
      if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + amount);
      else d.setUTCFullYear(d.getUTCFullYear() + amount);
      t = d.getTime();
    } else t += amount * UNIT_MS[unit]!;
    if (unit === 'd' || unit === 'w' || unit === 'M' || unit === 'y') truncate = true;
  }
  if (truncate) {
    const d = new Date(t);
    t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  }
  return t;
}
