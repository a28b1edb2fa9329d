import { errorDetail, isSessionGone } from '../../src/joc/session-rules';

// The rule of NOTES §3.1: 401, 440, or 420 with a session message; nothing else.
describe('isSessionGone', () => {
  const err420 = (message: string) => ({ deliveryDate: '2026-01-01T00:00:00Z', error: { code: 'JOC-420', message } });

  test.each([
    ['401 security answer with isAuthenticated true (idle expiry, NOTES §3.2b)', 401, { isAuthenticated: true, message: 'Authentication failure' }, true],
    ['401 without body', 401, undefined, true],
    ['440 SessionNotExist (NOTES §3.2a)', 440, { isAuthenticated: false, message: "SessionNotExistException: Session doesn't exist" }, true],
    ['420 ExpiredSessionException (NOTES §3.2c)', 420, err420('org.apache.shiro.session.ExpiredSessionException: Session with id [x] has expired'), true],
    ['420 UnknownSessionException', 420, err420('org.apache.shiro.session.UnknownSessionException: There is no session with id [x]'), true],
    ['420 SessionNotExistException', 420, err420("SessionNotExistException: Session doesn't exist"), true],
    ['420 user is null (JS7)', 420, err420('user is null Authorization header with basic based64part expected'), true],
    ['420 schema error', 420, err420('com.sos.schema.exception.SOSJsonSchemaException: [$.jobschedulerId: is missing but it is required]'), false],
    ['420 master unreachable', 420, { error: { code: 'JOC-402', message: 'JobSchedulerConnectionRefusedException: connection refused' } }, false],
    ['420 without error object', 420, { message: 'ExpiredSessionException' }, false],
    ['434 connection reset', 434, err420('UnknownSessionException'), false],
    ['403 permission', 403, { isAuthenticated: true, isPermitted: false, message: 'permission' }, false],
    ['200', 200, { ok: true }, false],
    ['500 not JSON', 500, undefined, false],
  ])('%s', (_name, status, body, expected) => {
    expect(isSessionGone(status, body)).toBe(expected);
  });
});

describe('errorDetail', () => {
  test('reads code and message of an Err420 answer', () => {
    expect(errorDetail({ error: { code: 'JOC-402', message: 'm' } })).toEqual({ jocCode: 'JOC-402', jocMessage: 'm' });
  });
  test('reads the message of a security answer', () => {
    expect(errorDetail({ isAuthenticated: false, message: 'Authentication failure' })).toEqual({ jocMessage: 'Authentication failure' });
  });
  test('is empty for anything else', () => {
    expect(errorDetail('text')).toEqual({});
    expect(errorDetail(null)).toEqual({});
    expect(errorDetail([1])).toEqual({});
    expect(errorDetail({ message: '' })).toEqual({ jocMessage: undefined });
  });
});

describe('errorDetail scrubs the access token JOC quotes as session id', () => {
  test('bracketed session ids and known tokens become [REDACTED]', () => {
    const body = {
      error: {
        code: 'JOC-420',
        message: 'org.apache.shiro.session.ExpiredSessionException: Session with id [abc-123] has expired; token abc-123 again; There is no session with id [zzz]',
      },
    };
    expect(errorDetail(body, ['abc-123']).jocMessage).toBe(
      'org.apache.shiro.session.ExpiredSessionException: Session with id [REDACTED] has expired; token [REDACTED] again; There is no session with id [REDACTED]',
    );
  });
});
