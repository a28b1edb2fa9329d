/**
 * `/security/login`, `/security/logout` and `/touch` (NOTES §2.1–§2.3, §3.2d). These accept the
 * token in `X-Access-Token` or the legacy `access_token` header; their bodies are ignored.
 */
import type { IncomingMessage } from 'node:http';
import { TextDecoder } from 'node:util';
import type { Core, Reply } from './server';
import { expiredSessionText } from './sessions';
import { containerErrorPage, err420, header, iso, JOC_CODES, MESSAGES, securityBody } from './shapes';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes `Basic <base64(user:password)>`; undefined when it is not that (NOTES §2.1: 420). */
export function decodeBasic(value: string): { user: string; password: string } | undefined {
  const m = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(value);
  if (!m || m[1]!.replace(/=+$/, '').length % 4 === 1) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(m[1]!, 'base64'));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function callerAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function login(core: Core, req: IncomingMessage, url: URL): Reply {
  const authorization = req.headers.authorization;
  if (authorization === undefined) {
    // NOTES §2.1/§8.12 [I]: the JocAuthenticationException escapes every handler → container 500.
    core.stats.failedLogins++;
    return {
      status: 500,
      body: containerErrorPage(500, 'com.sos.joc.exceptions.JocAuthenticationException: Authorization header expected'),
      contentType: 'text/html',
    };
  }
  let credentials: { user: string; password: string } | undefined;
  if (authorization.trim() === '') {
    // Only an empty Authorization header makes JOC read ?user=&pwd= (NOTES §2.1).
    credentials = { user: url.searchParams.get('user') ?? '', password: url.searchParams.get('pwd') ?? '' };
  } else {
    credentials = decodeBasic(authorization);
    if (!credentials) {
      core.stats.failedLogins++;
      return { status: 420, body: err420(core.now(), JOC_CODES.DEFAULT, MESSAGES.basicExpected) };
    }
  }
  const { user, password } = credentials;
  if (!Object.prototype.hasOwnProperty.call(core.users, user) || core.users[user] !== password) {
    core.stats.failedLogins++;
    return { status: 401, body: securityBody({ user, isAuthenticated: false, message: MESSAGES.loginFailed(user) }) };
  }
  const session = core.sessions.create(user);
  core.stats.logins++;
  const caller = callerAddress(req);
  return {
    status: 200,
    body: securityBody({
      user,
      accessToken: session.accessToken,
      isAuthenticated: true,
      sessionTimeout: session.timeoutMs,
      callerIpAddress: caller,
      // JOC reports request.getRemoteHost(), which is the address unless the container resolves names.
      callerHostName: caller,
    }),
    headers: { 'X-Access-Token': session.accessToken, access_token: session.accessToken, 'X-JOC-Timeout': String(session.timeoutMs) },
  };
}

function anyToken(req: IncomingMessage): string | undefined {
  return header(req.headers, 'x-access-token') ?? header(req.headers, 'access_token');
}

/** Always 200 once a token is sent, known or not (NOTES §2.2). */
export function logout(core: Core, req: IncomingMessage): Reply {
  const token = anyToken(req);
  if (token === undefined) return { status: 420, body: err420(core.now(), JOC_CODES.DEFAULT, MESSAGES.tokenExpected) };
  const session = core.sessions.remove(token);
  core.stats.logouts++;
  return { status: 200, body: securityBody({ user: session?.user ?? '', accessToken: '', isAuthenticated: false }) };
}

/** NOTES §2.3, §3.2d: unknown → 401, expired → 440 ExpiredSessionException, valid → ok + timer reset. */
export function touch(core: Core, req: IncomingMessage): Reply {
  const token = anyToken(req);
  const found = core.sessions.touch(token);
  if (found.kind === 'unknown') {
    return { status: 401, body: securityBody({ accessToken: token, isAuthenticated: false, message: MESSAGES.touchUnknown }) };
  }
  if (found.kind === 'expired') {
    const { session } = found;
    return {
      status: 440,
      body: securityBody({
        user: session.user,
        accessToken: session.accessToken,
        isAuthenticated: false,
        message: `ExpiredSessionException: ${expiredSessionText(session, core.now())}`,
      }),
    };
  }
  core.stats.touches++;
  return { status: 200, body: { deliveryDate: iso(core.now()), ok: true } };
}
