/**
 * JOC's timestamps, 1.x and JS7 alike, parsed tolerantly (V1-HISTORY-NOTES §1.6): `T` or a space,
 * any number of fraction digits, `Z`, an offset or nothing, and nothing means UTC. The answers of
 * both flavours are checked with this parser too, so that a timestamp the collectors cannot read
 * is an invalid answer, never a NaN in a history window.
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
