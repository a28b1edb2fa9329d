import type { JocErrorDetail } from './errors';
import { isRecord } from '../util/is-record';

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
  if (status !== 420 || !isRecord(body) || !isRecord(body['error'])) return false;
  const message = body['error']['message'];
  return typeof message === 'string' && SESSION_GONE_MESSAGE.test(message);
}

/**
 * The parts of an error answer worth logging: Err420 `error.code`/`error.message`, or a security
 * answer's `message`. JOC's session errors quote the session id, which is the access token
 * ("Session with id [<token>] has expired"): `secrets` and any bracketed session id are
 * replaced by [REDACTED], so the message can go into a log line.
 */
export function errorDetail(body: unknown, secrets: readonly string[] = []): JocErrorDetail {
  if (!isRecord(body)) return {};
  const error = body['error'];
  const raw = isRecord(error) ? error['message'] : body['message'];
  const message = typeof raw === 'string' && raw !== '' ? scrub(raw, secrets) : undefined;
  if (isRecord(error)) {
    return { jocCode: typeof error['code'] === 'string' ? error['code'] : undefined, jocMessage: message };
  }
  return { jocMessage: message };
}

function scrub(message: string, secrets: readonly string[]): string {
  let out = message.replace(/(session with id )\[[^\]]*\]/gi, '$1[REDACTED]');
  for (const secret of secrets) if (secret) out = out.split(secret).join('[REDACTED]');
  return out;
}
