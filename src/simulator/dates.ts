/**
 * JOC 1.13's date parameters (`dateFrom`, `dateTo` of the history and plan requests;
 * V1-HISTORY-NOTES §1.6): absolute ISO timestamps with an optional offset, or relative values
 * from JOC's clock; day units and larger truncate to 00:00 (UTC: the simulator accepts only UTC as
 * `timeZone`), every relative `dateTo` gets one more day, and "0" fails with JOC-405.
 */
import { RequestError } from './filters';

const ABSOLUTE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const RELATIVE = /^([+-]?)((?:\d+[smhdwMy])+)$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseJocDate(value: string, now: number, field: 'dateFrom' | 'dateTo', timeZone?: string): number {
  const absolute = ABSOLUTE.exec(value);
  if (absolute) {
    // timeZone overrides the offset written in the string
    const local = Date.parse(`${absolute[1]}Z`);
    if (timeZone !== undefined) return local - zoneOffsetMs(timeZone);
    return local - offsetMs(absolute[2] ?? 'Z');
  }
  const relative = RELATIVE.exec(value);
  if (!relative) throw new RequestError('JOC-405', `JobSchedulerInvalidResponseDataException: Text '${value}Z' could not be parsed at index 0`);
  const sign = relative[1] === '-' ? -1 : 1;
  let at = now;
  let truncate = false;
  for (const [, n, unit] of relative[2]!.matchAll(/(\d+)([smhdwMy])/g)) {
    const amount = sign * Number(n);
    if (unit === 'M' || unit === 'y') {
      const d = new Date(at);
      if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + amount);
      else d.setUTCFullYear(d.getUTCFullYear() + amount);
      at = d.getTime();
      truncate = true;
    } else {
      at += amount * UNIT_MS[unit!]!;
      if (unit === 'd' || unit === 'w') truncate = true;
    }
  }
  if (truncate) at = Math.floor(at / 86_400_000) * 86_400_000;
  if (field === 'dateTo') at += 86_400_000;
  return at;
}

function offsetMs(offset: string): number {
  if (offset === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
}

function zoneOffsetMs(timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'GMT') return 0;
  throw new RequestError('JOC-420', `the simulator knows only UTC as timeZone, not ${timeZone}`);
}
