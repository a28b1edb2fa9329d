import type { JocErrorDetail } from './errors';

/**
 * `error.message` texts of a 420 answer that mean the session is gone (NOTES §3.1): the JOC 1.x
 * GUI's rule plus the JS7 GUI's, so one rule covers both API generations.
 */
export const SESSION_GONE_MESSAGE = /UnknownSessionException|ExpiredSessionException|SessionNotExistException|user is null/;

/**
 * True when an answer to a non-login call says the session is gone and a new login is needed:
 * HTTP 401, HTTP 440, or HTTP 420 whose `error.message` matches SESSION_GONE_MESSAGE.
 * `isAuthenticated` in the body is deliberately ignored: it can be true in an expiry 401 (NOTES §3.2b).
 */
export function isSessionGone(status: number, body: unknown): boolean {
  if (status === 401 || status === 440) return true;
  if (status !== 420 || !isObject(body) || !isObject(body['error'])) return false;
  const message = body['error']['message'];
  return typeof message === 'string' && SESSION_GONE_MESSAGE.test(message);
}

/** The parts of an error answer worth logging: Err420 `error.code`/`error.message`, or a security answer's `message`. */
export function errorDetail(body: unknown): JocErrorDetail {
  if (!isObject(body)) return {};
  const error = body['error'];
  if (isObject(error)) {
    return {
      jocCode: typeof error['code'] === 'string' ? error['code'] : undefined,
      jocMessage: typeof error['message'] === 'string' ? error['message'] : undefined,
    };
  }
  return { jocMessage: typeof body['message'] === 'string' && body['message'] !== '' ? body['message'] : undefined };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
