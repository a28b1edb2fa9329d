/**
 * Day bounds in an IANA time zone, with Intl only (no time-zone library): the daily plan of "today"
 * is counted in a configured zone, and JOC gets the bounds as absolute UTC instants.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `at`, ms (positive east of Greenwich). */
export function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * The instant of a wall-clock time of the zone, given as UTC fields (ms). `guess` is an offset
 * near the one at that time; the offset is read once more at the instant it gives, for a wall
 * time across a DST change from the guess.
 */
export function fromWallClock(wall: number, timeZone: string, guess: number = zoneOffsetMs(wall, timeZone)): number {
  return wall - zoneOffsetMs(wall - guess, timeZone);
}

/** 00:00 of the day of `at` in the zone, as a UTC instant (ms). */
export function startOfDay(at: number, timeZone: string): number {
  const offset = zoneOffsetMs(at, timeZone);
  // the offset at midnight can differ from the one now (a DST change during the day)
  return fromWallClock(Math.floor((at + offset) / 86_400_000) * 86_400_000, timeZone, offset);
}

/** The start and end (exclusive) of the day of `at` in the zone. */
export function dayBounds(at: number, timeZone: string): { from: number; to: number } {
  const from = startOfDay(at, timeZone);
  return { from, to: startOfDay(from + 36 * 3_600_000, timeZone) };
}

/** The date (YYYY-MM-DD) of `at` in the zone: the day of JS7's daily plan. */
export function localDate(at: number, timeZone: string): string {
  return new Date(at + zoneOffsetMs(at, timeZone)).toISOString().slice(0, 10);
}
