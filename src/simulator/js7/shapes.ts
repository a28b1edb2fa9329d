/**
 * JOC 2.x's answer shapes that are not endpoint data (JS7-NOTES §0.1, §1): the security answer
 * (`SOSAuthCurrentAccountAnswer`) of login, logout, 401, 403 and 440, the Err420 body (the same
 * as 1.x, see ../shapes.ts), the JS7 error codes, the messages, and the reason phrases JOC sets.
 * Jackson leaves null fields out, so absent fields are omitted.
 */
import type { FaultTexts } from '../faults';
import { err420, type Err420Body } from '../shapes';

export { err420, iso } from '../shapes';
export type { Err420Body };

export interface Js7SecurityBody {
  account?: string;
  accessToken?: string;
  isAuthenticated: boolean;
  hasRole: boolean;
  isPermitted: boolean;
  isApprover: boolean;
  isApprovalRequestor: boolean;
  forcePasswordChange: boolean;
  enableTouch: boolean;
  sessionTimeout?: number;
  role?: string;
  identityService?: string;
  callerIpAddress?: string;
  callerHostName?: string;
  message?: string;
}

/** The primitive booleans are always present (JS7-NOTES §1.1); the rest only when set. */
export function js7SecurityBody(fields: Partial<Js7SecurityBody> & Pick<Js7SecurityBody, 'isAuthenticated'>): Js7SecurityBody {
  const body: Js7SecurityBody = {
    hasRole: false, isPermitted: false, isApprover: false, isApprovalRequestor: false, forcePasswordChange: false, enableTouch: true,
    ...fields,
  };
  for (const key of Object.keys(body) as (keyof Js7SecurityBody)[]) if (body[key] === undefined) delete body[key];
  return body;
}

/** JS7's error codes (JS7-NOTES §0.1); they differ from 1.x's. */
export const JS7_CODES = {
  DEFAULT: 'JOC-420',
  CONNECTION: 'JOC-402',
  UNKNOWN_CONTROLLER: 'JOC-404',
  MISSING_PARAMETER: 'JOC-406',
  DATABASE: 'JOC-411',
} as const;

export const JS7_MESSAGES = {
  sessionExpired: 'SessionNotExistException: Session has expired. New login is neccessary',
  /** 2.0/2.1 (Shiro) answered a gone session with 420 and this (JS7-NOTES §1.5). */
  unknownSession: (token: string): string => `org.apache.shiro.session.UnknownSessionException: There is no session with id [${token}]`,
  accessDenied: 'Access denied',
  authenticationFailure: 'Authentication failure',
  basicExpected: 'Authorization header with basic based64part expected',
  tokenExpected: 'Access token header expected',
  noPermission: (account: string, permission: string): string => `Access denied: ${account} is missing the permission ${permission}`,
  missingControllerId: "JocMissingRequiredParameterException: undefined 'controllerId'",
  unknownController: (id: string): string => `UnknownJobSchedulerControllerException: No Controller with id '${id}' is known`,
  connectionRefused: (url: string): string => `ControllerConnectionRefusedException: Connection refused: ${url}`,
  connectionReset: (url: string): string => `ControllerConnectionResetException: Connection reset: ${url}`,
  databaseUnreachable: 'DBConnectionRefusedException: Unable to acquire JDBC Connection: Connection to joc-db.example:5432 refused',
  badJson: (detail: string): string => `com.fasterxml.jackson.core.JsonParseException: ${detail}`,
  notAnObject: (kind: string): string =>
    `com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type \`java.util.LinkedHashMap\` from ${kind}`,
  schema: (error: string): string => `com.sos.schema.exception.SOSJsonSchemaException: ${error}`,
  notMappable: (field: string): string =>
    `com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type \`java.util.ArrayList\` (through reference chain: "${field}")`,
} as const;

/** The fault answers in JS7's words (faults.ts). */
export const JS7_FAULT_TEXTS: FaultTexts = {
  connectionCode: JS7_CODES.CONNECTION,
  connectionReset: JS7_MESSAGES.connectionReset,
  connectionRefused: JS7_MESSAGES.connectionRefused,
  databaseCode: JS7_CODES.DATABASE,
  databaseUnreachable: JS7_MESSAGES.databaseUnreachable,
};

/** The reason phrases JOC sets on its own statuses (JS7-NOTES §0.1; "Login Timeout" from 2.7). */
export function reasonOf(status: number, loginTimeoutPhrase: boolean): string | undefined {
  if (status === 420 || status === 434) return 'Invalid Request';
  if (status === 440) return loginTimeoutPhrase ? 'Login Timeout' : undefined;
  return undefined;
}

export function fail420(now: number, code: string, message: string): { status: number; body: Err420Body } {
  return { status: 420, body: err420(now, code, message) };
}
