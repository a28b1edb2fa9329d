/**
 * The HTTP side of the simulator: routing and the order of checks JOC 1.13 applies (NOTES §1, §3,
 * §4, §8.4). For a data resource: content type (415, only where JOC declares @Consumes), JSON
 * parse (420), schema validation (420, BEFORE the token), access token (`X-Access-Token` only;
 * 440 unknown, 401/440/420 expired), permission (403), missing jobschedulerId (420 JOC-406),
 * unknown jobschedulerId (420 JOC-404), Master connection (420 JOC-402 / 434), then the answer.
 * Before all of these, after routing, the method check and the configured latency: a `failNext`
 * reply, else a persistent fault (faults.ts); that part is the machinery shared with the JS7
 * simulator (http-core.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Inventory, SchedulerInventory } from './inventory';
import { activeMaster, findScheduler, masterUrl } from './inventory';
import type { SessionStore } from './sessions';
import { expiredSessionText } from './sessions';
import { faultReply, type ReplyFault } from './faults';
import { createHttpHandler, parseMaybe, type HttpCore, type Reply } from './http-core';
import { clusterMembers, idsAnswer, jobsSnapshot, ordersAnswer, ordersSnapshot } from './answers';
import { jobChainsAnswer, jobsAnswer } from './answers-jobs';
import { agentClustersAnswer, type AgentClustersBody } from './answers-agents';
import { planAnswer, type PlanBody } from './answers-plan';
import { ordersHistoryAnswer, tasksHistoryAnswer, type OrdersHistoryBody, type TasksHistoryBody } from './answers-history';
import { RequestError, type JobChainsFilterBody, type JobsFilterBody, type OrdersFilterBody, type SchedulerIdBody } from './filters';
import { hasBodySchema, schemaExceptionMessage, validateBody } from './validation';
import {
  CONSUMES_JSON, containerErrorPage, ENDPOINTS, err420, header, JOC_CODES, MESSAGES, PERMISSION_OF, securityBody,
  type DataEndpoint, type Endpoint,
} from './shapes';
import { login, logout, touch } from './security';

export type { Reply, RequestLogEntry, SimulatorStats } from './http-core';

export interface Core extends HttpCore {
  readonly users: Readonly<Record<string, string>>;
  readonly inventory: () => Inventory;
  readonly sessions: SessionStore;
  isDenied(endpoint: DataEndpoint, user: string): boolean;
}

const PREFIX = '/joc/api/';

/** The request handler of the JOC 1.13 simulator: the shared HTTP machinery with this flavour. */
export function createHandler(core: Core): (req: IncomingMessage, res: ServerResponse) => void {
  return createHttpHandler(core, {
    endpointOf: (pathname) => {
      const name = pathname.startsWith(PREFIX) ? pathname.slice(PREFIX.length) : undefined;
      return (ENDPOINTS as readonly string[]).includes(name ?? '') ? name : undefined;
    },
    notFound: (pathname) => ({ status: 404, body: { status: 404, message: `Not Found: ${pathname}` } }),
    dispatch: (endpoint, req, url, raw) => dispatch(core, endpoint as Endpoint, req, url, raw),
    faultReply: (fault, raw) => replyOf(core, fault, raw),
  });
}

/** The plain-answer faults; their Master is the one of the request's jobschedulerId, else the first one's. */
function replyOf(core: Core, fault: ReplyFault, raw: string): Reply {
  const inventory = core.inventory();
  const body = parseMaybe(raw);
  const asked = typeof body === 'object' && body !== null ? (body as SchedulerIdBody).jobschedulerId : undefined;
  const id = typeof asked === 'string' ? asked : '';
  const scheduler = findScheduler(inventory, id) ?? inventory.schedulers[0];
  return faultReply(fault, core.now(), scheduler ? schedulerUrl(scheduler) : id);
}

function dispatch(core: Core, endpoint: Endpoint, req: IncomingMessage, url: URL, raw: string): Reply {
  if (CONSUMES_JSON.has(endpoint) && !isJsonContentType(req.headers['content-type'])) {
    return { status: 415, body: containerErrorPage(415, 'Unsupported Media Type'), contentType: 'text/html' };
  }
  switch (endpoint) {
    case 'security/login': return login(core, req, url);
    case 'security/logout': return logout(core, req);
    case 'touch': return touch(core, req);
    default: return dataResource(core, endpoint, req, raw);
  }
}

/** Jersey treats a missing Content-Type as a wildcard; only a different type is refused. */
function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return true;
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function dataResource(core: Core, endpoint: DataEndpoint, req: IncomingMessage, raw: string): Reply {
  let body: unknown = {};
  if (hasBodySchema(endpoint)) {
    if (raw.trim() === '') return fail(core, JOC_CODES.DEFAULT, MESSAGES.badJson('No content to map due to end-of-input'));
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return fail(core, JOC_CODES.DEFAULT, MESSAGES.badJson((e as Error).message));
    }
    const errors = validateBody(endpoint, body);
    if (errors.length > 0) return fail(core, JOC_CODES.DEFAULT, schemaExceptionMessage(errors));
  }
  const token = header(req.headers, 'x-access-token');
  const found = core.sessions.lookup(token);
  if (found.kind === 'unknown') return { status: 440, body: securityBody({ isAuthenticated: false, message: MESSAGES.sessionNotExist }) };
  if (found.kind === 'expired') {
    const { session } = found;
    switch (found.shape) {
      case '401':
        return {
          status: 401,
          body: securityBody({ user: session.user, accessToken: session.accessToken, isAuthenticated: true, message: MESSAGES.authFailure }),
        };
      case '440':
        core.sessions.remove(session.accessToken);
        return { status: 440, body: securityBody({ isAuthenticated: false, message: MESSAGES.sessionNotExist }) };
      case '420':
        return fail(core, JOC_CODES.DEFAULT, `org.apache.shiro.session.ExpiredSessionException: ${expiredSessionText(session, core.now())}`);
    }
  }
  const { user, accessToken } = found.session;
  if (core.isDenied(endpoint, user)) {
    return {
      status: 403,
      body: securityBody({ user, accessToken, isAuthenticated: true, message: MESSAGES.noPermission(user, PERMISSION_OF[endpoint]) }),
    };
  }
  try {
    return answer(core, endpoint, body);
  } catch (e) {
    if (e instanceof RequestError) return fail(core, e.code, e.message);
    throw e;
  }
}

function answer(core: Core, endpoint: DataEndpoint, body: unknown): Reply {
  const inventory = core.inventory();
  if (endpoint === 'jobscheduler/ids') return ok(idsAnswer(inventory, core.now()));
  const id = (body as SchedulerIdBody).jobschedulerId;
  if (endpoint === 'jobscheduler/cluster/members') {
    // NOTES §5.9: "" or omitted = the members of all ids.
    const schedulers = id === undefined || id === '' ? inventory.schedulers : [known(inventory, id)];
    const survey = core.now();
    return ok(clusterMembers(schedulers, survey, core.now()));
  }
  if (id === undefined || id === '') throw new RequestError(JOC_CODES.MISSING_PARAMETER, MESSAGES.missingSchedulerId);
  const scheduler = known(inventory, id);
  // the history reads JOC's reporting tables, not the Master (V1-HISTORY-NOTES §1.1)
  if (endpoint === 'tasks/history') return ok(tasksHistoryAnswer(scheduler, body as TasksHistoryBody, core.now()));
  if (endpoint === 'orders/history') return ok(ordersHistoryAnswer(scheduler, body as OrdersHistoryBody, core.now()));
  // the plan reads JOC's database; agent_clusters falls back to it when the Master is down (§3.1, §4)
  if (endpoint === 'plan') return ok(planAnswer(scheduler, body as PlanBody, core.now()));
  if (endpoint === 'jobscheduler/agent_clusters') {
    return ok(agentClustersAnswer(scheduler, body as AgentClustersBody, core.now(), (scheduler.connection ?? 'ok') !== 'ok'));
  }
  const failure = connectionFailure(core, endpoint, scheduler);
  if (failure) return failure;
  const survey = core.now();
  switch (endpoint) {
    case 'orders/overview/snapshot': return ok(ordersSnapshot(scheduler, body as JobChainsFilterBody, survey, core.now()));
    case 'orders': return ok(ordersAnswer(scheduler, body as OrdersFilterBody, survey, core.now()));
    case 'jobs/overview/snapshot': return ok(jobsSnapshot(scheduler, survey, core.now()));
    case 'jobs': return ok(jobsAnswer(scheduler, body as JobsFilterBody, survey, core.now()));
    case 'job_chains': return ok(jobChainsAnswer(scheduler, body as JobChainsFilterBody, survey, core.now()));
  }
}

/** JOC-404 "unknown Master" for an id JOC does not know (NOTES §4; the choice of code is ours). */
function known(inventory: Inventory, id: string): SchedulerInventory {
  const scheduler = findScheduler(inventory, id);
  if (!scheduler) throw new RequestError(JOC_CODES.UNKNOWN_MASTER, MESSAGES.unknownMaster(id));
  return scheduler;
}

/** Master unreachable: 420 JOC-402; on connection reset the two snapshots answer 434 (NOTES §4, §5.2, §5.7). */
function connectionFailure(core: Core, endpoint: DataEndpoint, scheduler: SchedulerInventory): Reply | undefined {
  const connection = scheduler.connection ?? 'ok';
  if (connection === 'ok') return undefined;
  const url = schedulerUrl(scheduler);
  if (connection === 'refused') return fail(core, JOC_CODES.CONNECTION, MESSAGES.connectionRefused(url));
  const snapshot = endpoint === 'orders/overview/snapshot' || endpoint === 'jobs/overview/snapshot';
  return { status: snapshot ? 434 : 420, body: err420(core.now(), JOC_CODES.CONNECTION, MESSAGES.connectionReset(url)) };
}

/** The URL JOC names in its Master connection messages: the active member's, else the id. */
function schedulerUrl(scheduler: SchedulerInventory): string {
  const member = activeMaster(scheduler);
  return member ? masterUrl(member) : scheduler.jobschedulerId;
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function fail(core: Core, code: string, message: string): Reply {
  return { status: 420, body: err420(core.now(), code, message) };
}
