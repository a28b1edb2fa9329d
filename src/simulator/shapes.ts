/**
 * The JOC 1.13 answer shapes that are not endpoint data: the Err420 body (NOTES §4), the
 * security answer of login/logout/401/403/440 (NOTES §2.1, §3.2), and the error codes and
 * messages the simulator uses. Bodies are MOXy-like: null fields are left out (NOTES §1).
 */
import type { IncomingHttpHeaders } from 'node:http';

/** ISO 8601 with milliseconds and Z, as JOC writes dates (NOTES §1). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface Err420Body {
  deliveryDate: string;
  surveyDate: string;
  error: { code: string; message: string };
}

/** Err420: deliveryDate and surveyDate are both "now" (`getErr420`, NOTES §4). Also the 434 body. */
export function err420(now: number, code: string, message: string): Err420Body {
  return { deliveryDate: iso(now), surveyDate: iso(now), error: { code, message } };
}

/** SOSShiroCurrentUserAnswer (user/security-schema.json); undefined fields are omitted. */
export interface SecurityBody {
  user?: string;
  accessToken?: string;
  isAuthenticated: boolean;
  hasRole: boolean;
  isPermitted: boolean;
  sessionTimeout?: number;
  enableTouch: boolean;
  message?: string;
  callerIpAddress?: string;
  callerHostName?: string;
}

export function securityBody(fields: Partial<SecurityBody> & Pick<SecurityBody, 'isAuthenticated'>): SecurityBody {
  const body: SecurityBody = { ...fields, hasRole: fields.hasRole ?? false, isPermitted: fields.isPermitted ?? false, enableTouch: fields.enableTouch ?? true };
  for (const key of Object.keys(body) as (keyof SecurityBody)[]) if (body[key] === undefined) delete body[key];
  return body;
}

/** The JOC error codes the simulator emits (NOTES §4). */
export const JOC_CODES = {
  /** Default, e.g. schema validation and unexpected exceptions. */
  DEFAULT: 'JOC-420',
  CONNECTION: 'JOC-402',
  UNKNOWN_MASTER: 'JOC-404',
  MISSING_PARAMETER: 'JOC-406',
  /** DBConnectionRefusedException: JOC cannot reach its database. */
  DATABASE: 'JOC-409',
} as const;

export const MESSAGES = {
  sessionNotExist: "SessionNotExistException: Session doesn't exist",
  authFailure: 'Authentication failure',
  touchUnknown: "Authentication failure: Session doesn't exist",
  basicExpected: 'Authorization header with basic based64part expected',
  tokenExpected: 'Access token header expected',
  missingSchedulerId: "JocMissingRequiredParameterException: undefined 'jobschedulerId'",
  loginFailed: (user: string): string =>
    `There is no user with username / password combination of ${user}: Could not login with user: ${user} password:*******`,
  noPermission: (user: string, permission: string): string =>
    `User ${user} doesn't have sufficient permissions for ${permission}`,
  unknownMaster: (id: string): string => `UnknownJobSchedulerMasterException: No JobScheduler with id '${id}' is known`,
  connectionRefused: (url: string): string => `JobSchedulerConnectionRefusedException: Connection refused: ${url}`,
  connectionReset: (url: string): string => `JobSchedulerConnectionResetException: Connection reset: ${url}`,
  /**
   * JOC's `getErrorMessage` for a DBConnectionRefusedException wrapping the Hibernate session error:
   * "<simple name>: <cause message>", the cause being SOSHibernateException's "%s: %d %s" of the
   * JDBCConnectionException and its SQLException (MySQL Connector/J, error code 0). Inferred, NOTES §4.
   */
  databaseUnreachable: 'DBConnectionRefusedException: Unable to acquire JDBC Connection: 0 Communications link failure',
  badJson: (detail: string): string => `com.fasterxml.jackson.core.JsonParseException: ${detail}`,
  badRegex: (detail: string): string => `java.util.regex.PatternSyntaxException: ${detail}`,
} as const;

/** The endpoints the simulator serves (all `POST /joc/api/<endpoint>`). */
export const ENDPOINTS = [
  'security/login',
  'security/logout',
  'touch',
  'jobscheduler/ids',
  'orders/overview/snapshot',
  'orders',
  'jobs/overview/snapshot',
  'jobs',
  'job_chains',
  'jobscheduler/cluster/members',
  'tasks/history',
  'orders/history',
  'jobscheduler/agent_clusters',
  'plan',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** Endpoints a permission can be denied for (the data resources). */
export type DataEndpoint = Exclude<Endpoint, 'security/login' | 'security/logout' | 'touch'>;

/** The JOC permission each data resource checks; named in the 403 message (NOTES §3.2e). */
export const PERMISSION_OF: Readonly<Record<DataEndpoint, string>> = {
  'jobscheduler/ids': 'sos:products:joc_cockpit:jobscheduler_master:view:status',
  'jobscheduler/cluster/members': 'sos:products:joc_cockpit:jobscheduler_master:view:status',
  'orders/overview/snapshot': 'sos:products:joc_cockpit:order:view:status',
  orders: 'sos:products:joc_cockpit:order:view:status',
  'jobs/overview/snapshot': 'sos:products:joc_cockpit:job:view:status',
  jobs: 'sos:products:joc_cockpit:job:view:status',
  job_chains: 'sos:products:joc_cockpit:job_chain:view:status',
  'tasks/history': 'sos:products:joc_cockpit:history:view:status',
  'orders/history': 'sos:products:joc_cockpit:history:view:status',
  'jobscheduler/agent_clusters': 'sos:products:joc_cockpit:jobscheduler_universal_agent:view:status',
  plan: 'sos:products:joc_cockpit:daily_plan:view:status',
};

/** Resources that declare @Consumes(application/json): 415 on another content type (NOTES §1). */
export const CONSUMES_JSON: ReadonlySet<Endpoint> = new Set<Endpoint>([
  'security/login', 'security/logout', 'jobscheduler/ids', 'jobscheduler/cluster/members',
]);

/** A small HTML page like the servlet container's, for 415/500 (NOTES §4: "not JSON"). */
export function containerErrorPage(status: number, text: string): string {
  const reason = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<html><head><title>Error ${status} ${reason}</title></head><body><h2>HTTP ERROR ${status}</h2>`
    + `<p>Problem accessing the JOC API. Reason: <pre>    ${reason}</pre></p></body></html>\n`;
}

/** A header's value, or undefined when absent or empty. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}
