import { dayBounds, isTimeZone, localDate, startOfDay } from '../../src/util/time-zone';

describe('time zone day bounds', () => {
  it('UTC days', () => {
    expect(dayBounds(Date.UTC(2024, 4, 1, 12), 'UTC')).toEqual({ from: Date.UTC(2024, 4, 1), to: Date.UTC(2024, 4, 2) });
  });
  it('Berlin in summer and winter, and the days of the DST changes (23 h and 25 h)', () => {
    expect(startOfDay(Date.UTC(2024, 6, 1, 12), 'Europe/Berlin')).toBe(Date.UTC(2024, 5, 30, 22));
    expect(startOfDay(Date.UTC(2024, 0, 1, 0, 30), 'Europe/Berlin')).toBe(Date.UTC(2023, 11, 31, 23));
    const spring = dayBounds(Date.UTC(2024, 2, 31, 12), 'Europe/Berlin');
    expect(spring).toEqual({ from: Date.UTC(2024, 2, 30, 23), to: Date.UTC(2024, 2, 31, 22) });
    const autumn = dayBounds(Date.UTC(2024, 9, 27, 12), 'Europe/Berlin');
    expect(autumn.to - autumn.from).toBe(25 * 3_600_000);
  });
  it('west of Greenwich, late in the local evening', () => {
    expect(startOfDay(Date.UTC(2024, 4, 2, 3), 'America/New_York')).toBe(Date.UTC(2024, 4, 1, 4));
  });
  it('the local date: past midnight east of Greenwich, before it west, and in the hour after a DST change', () => {
    expect(localDate(Date.UTC(2024, 4, 1, 22, 30), 'Europe/Berlin')).toBe('2024-05-02');
    expect(localDate(Date.UTC(2024, 4, 1, 21, 59), 'Europe/Berlin')).toBe('2024-05-01');
    expect(localDate(Date.UTC(2024, 4, 2, 3), 'America/New_York')).toBe('2024-05-01');
    expect(localDate(Date.UTC(2024, 2, 30, 23, 30), 'Europe/Berlin')).toBe('2024-03-31');
    expect(localDate(Date.UTC(2024, 4, 1, 23, 59, 59, 999), 'UTC')).toBe('2024-05-01');
  });
  it('knows real zones only', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
