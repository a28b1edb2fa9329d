import { parseJocDate, zoneOffsetMs } from '../../../src/simulator/js7/dates';

const NOW = Date.parse('2026-03-29T12:34:56.000Z');

describe("JOC's date filters (JS7-NOTES §2.7)", () => {
  test('relative values from now; d, w, M and y truncate to 00:00 (UTC by default)', () => {
    expect(parseJocDate('0', NOW)).toBe(NOW);
    expect(parseJocDate('-1h', NOW)).toBe(NOW - 3_600_000);
    expect(parseJocDate('-1h-30m', NOW)).toBe(NOW - 5_400_000);
    expect(parseJocDate('+10s', NOW)).toBe(NOW + 10_000);
    expect(parseJocDate('0d', NOW)).toBe(Date.parse('2026-03-29T00:00:00.000Z'));
    expect(parseJocDate('-1d', NOW)).toBe(Date.parse('2026-03-28T00:00:00.000Z'));
    expect(parseJocDate('1d', NOW)).toBe(Date.parse('2026-03-30T00:00:00.000Z'));
    expect(parseJocDate('-1M', NOW)).toBe(Date.parse('2026-02-28T00:00:00.000Z'));
    expect(parseJocDate('-13M', NOW)).toBe(Date.parse('2025-02-28T00:00:00.000Z'));
    expect(parseJocDate('+11M', NOW)).toBe(Date.parse('2027-02-28T00:00:00.000Z'));
    expect(parseJocDate('-1y', NOW)).toBe(Date.parse('2025-03-29T00:00:00.000Z'));
  });

  test('intoPast turns positive relative values into past ones', () => {
    expect(parseJocDate('1d', NOW, true)).toBe(Date.parse('2026-03-28T00:00:00.000Z'));
    expect(parseJocDate('12h', NOW, true)).toBe(NOW - 12 * 3_600_000);
  });

  test('ISO values: with Z or an offset as written, without one in the time zone', () => {
    expect(parseJocDate('2026-03-01T10:00:00Z', NOW)).toBe(Date.parse('2026-03-01T10:00:00Z'));
    expect(parseJocDate('2026-03-01T10:00:00.5+01:00', NOW)).toBe(Date.parse('2026-03-01T09:00:00.500Z'));
    expect(parseJocDate('2026-03-01 10:00:00', NOW)).toBe(Date.parse('2026-03-01T10:00:00Z'));
    expect(parseJocDate('2026-03-01T10:00:00', NOW, false, 'Europe/Berlin')).toBe(Date.parse('2026-03-01T09:00:00Z'));
    expect(parseJocDate('yesterday', NOW)).toBeUndefined();
    expect(parseJocDate(undefined, NOW)).toBeUndefined();
    expect(parseJocDate(5, NOW)).toBeUndefined();
  });

  test('days truncate to midnight of the time zone, across a DST change; unknown zones are UTC', () => {
    // 2026-03-29 is the day Europe/Berlin goes from +01:00 to +02:00.
    expect(zoneOffsetMs(NOW, 'Europe/Berlin')).toBe(2 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-03-28T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(parseJocDate('0d', NOW, false, 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00.000Z'));
    expect(parseJocDate('-1d', NOW, false, 'Europe/Berlin')).toBe(Date.parse('2026-03-27T23:00:00.000Z'));
    expect(parseJocDate('0d', NOW, false, 'America/New_York')).toBe(Date.parse('2026-03-29T04:00:00.000Z'));
    expect(parseJocDate('-1h', NOW, false, 'Europe/Berlin')).toBe(NOW - 3_600_000);
    expect(parseJocDate('0d', NOW, false, 'Mars/Olympus')).toBe(Date.parse('2026-03-29T00:00:00.000Z'));
    expect(zoneOffsetMs(NOW, 'Etc/UTC')).toBe(0);
  });
});
