import { TaskHistoryAnswer } from '../../src/joc/js7/answers';
import { parseJocTimestamp } from '../../src/joc/timestamp';

describe('JOC timestamps, 1.x and JS7', () => {
  it('Z, an offset, a space for T, any fraction, nothing for UTC', () => {
    const at = Date.UTC(2024, 4, 1, 10, 0, 0, 123);
    expect(parseJocTimestamp('2024-05-01T10:00:00.123Z')).toBe(at);
    expect(parseJocTimestamp('2024-05-01T12:00:00.123456+02:00')).toBe(at);
    expect(parseJocTimestamp('2024-05-01 10:00:00.123')).toBe(at);
    expect(parseJocTimestamp('2024-05-01T10:00Z')).toBeNaN();
  });

  it('a JS7 answer with a timestamp the history adapters cannot read is invalid, not a NaN later', () => {
    const task = (startTime: string) => ({ history: [{ workflow: '/w', job: 'j', startTime, state: { _text: 'SUCCESSFUL' }, taskId: 1 }] });
    expect(TaskHistoryAnswer.safeParse(task('2024-05-01T10:00:00.000+00:00')).success).toBe(true);
    // Date.parse takes this one; parseJocTimestamp (which converts it) does not.
    expect(Number.isNaN(Date.parse('2024-05-01T10:00Z'))).toBe(false);
    expect(TaskHistoryAnswer.safeParse(task('2024-05-01T10:00Z')).success).toBe(false);
  });
});
