/**
 * The HTTP side of the simulator: routing and the order of checks JOC 1.13 applies (NOTES §1, §3,
 * §4, §8.4). For a data resource: content type (415, only where JOC declares @Consumes), JSON
 * parse (420), schema validation (420, BEFORE the token), access token (`X-Access-Token` only;
 * 440 unknown, 401/440/420 expired), permission (403), missing jobschedulerId (420 JOC-406),
 * unknown jobschedulerId (420 JOC-404), Master connection (420 JOC-402 / 434), then the answer.
 * Before all of these, after routing, the method check and the configured latency: a `failNext`
 * reply, else a persistent fault (faults.ts).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Inventory, SchedulerInventory } from './inventory';
import { activeMaster, findScheduler, masterUrl } from './inventory';
import type { SessionStore } from './sessions';
import { expiredSessionText } from './sessions';
import { faultReply, resetConnection, sendTruncated, streamOversize, type Fault, type FaultKind, type ReplyFault } from './faults';
import { clusterMembers, idsAnswer, jobsSnapshot, ordersAnswer, ordersSnapshot } from './answers';
import { jobChainsAnswer, jobsAnswer } from './answers-jobs';
import { agentClustersAnswer, type AgentClustersBody } from './answers-agents';
import { planAnswer, type PlanBody } from './answers-plan';
import { ordersHistoryAnswer, tasksHistoryAnswer, type OrdersHistoryBody, type TasksHistoryBody } from './answers-history';
import { RequestError, type JobChainsFilterBody, type JobsFilterBody, type OrdersFilterBody, type SchedulerIdBody } from './filters';
import { hasBodySchema, schemaExceptionMessage, validateBody } from './validation';
import {
  CONSUMES_JSON, containerErrorPage, ENDPOINTS, err420, header, iso, JOC_CODES, MESSAGES, PERMISSION_OF, securityBody,
  type DataEndpoint, type Endpoint,
} from './shapes';
import { login, logout, touch } from './security';

/** What the handler answers; `body` is JSON unless it is a string. */
export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  /** The endpoint (path after /joc/api/), or the raw path when unknown. */
  endpoint: string;
  status: number;
  /** Request headers as received (lower-case names, tokens not redacted). */
  headers: IncomingHttpHeaders;
  /** The parsed request body (raw text when it is not JSON, undefined when empty). */
  body: unknown;
  /**
   * The parsed answer (raw text when it is not JSON); for a cut-off or oversize answer only a note
   * of its size, and for an answer larger than 256 KiB `{ omitted: 'answer of N bytes' }`.
   */
  answer: unknown;
  /** The fault that shaped the answer, if one did. */
  fault?: FaultKind;
}

export interface SimulatorStats {
  logins: number;
  failedLogins: number;
  logouts: number;
  touches: number;
  /** Answers shaped by a persistent fault (`setFault`). */
  faults: number;
  /** Requests per endpoint (any status, any method). */
  perEndpoint: Record<string, number>;
  /** The most recent requests (at most `maxLoggedRequests`). */
  requests: RequestLogEntry[];
}

export interface Core {
  readonly now: () => number;
  readonly users: Readonly<Record<string, string>>;
  readonly inventory: () => Inventory;
  readonly sessions: SessionStore;
  readonly stats: SimulatorStats;
  readonly maxLoggedRequests: number;
  isDenied(endpoint: DataEndpoint, user: string): boolean;
  takeInjection(endpoint: Endpoint): Reply | undefined;
  faultFor(endpoint: Endpoint): Fault | undefined;
  /** Waits `ms`; false when the simulator closed meanwhile (then nothing is answered). */
  sleep(ms: number): Promise<boolean>;
  /** The configured latency before each POST is answered. */
  readonly latencyMs: number;
  onRequest?: (entry: RequestLogEntry) => void;
}

const PREFIX = '/joc/api/';
/** Larger request bodies are cut off (and then fail JSON parsing with 420). */
const MAX_BODY = 1024 * 1024;
/** Larger answers are not kept in the request log (a `orders` answer may be 30 MB). */
const MAX_LOGGED_ANSWER = 256 * 1024;

export function createHandler(core: Core): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(core, req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: containerErrorPage(500, String(e)), contentType: 'text/html' });
    });
  };
}

/**
 * What went out, for the request log: the status sent (0 when no whole answer was) and a small
 * answer, worked out only when the log entry is made.
 */
interface Sent {
  status: number;
  answer: () => unknown;
  fault?: FaultKind;
}

const NOTHING_SENT: Readonly<Sent> = { status: 0, answer: () => undefined };

async function handle(core: Core, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const raw = await readBody(req);
  const name = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
  const endpoint = (ENDPOINTS as readonly string[]).includes(name ?? '') ? (name as Endpoint) : undefined;
  const sent = await respond(core, req, res, url, raw, endpoint);
  record(core, req, url.pathname, endpoint ?? url.pathname, raw, sent);
}

async function respond(
  core: Core, req: IncomingMessage, res: ServerResponse, url: URL, raw: string, endpoint: Endpoint | undefined,
): Promise<Sent> {
  if (!endpoint) return send(res, { status: 404, body: { status: 404, message: `Not Found: ${url.pathname}` } });
  if (req.method !== 'POST') {
    return send(res, { status: 405, body: { status: 405, message: `Method ${req.method ?? ''} Not Allowed; use POST` }, headers: { Allow: 'POST' } });
  }
  if (!(await core.sleep(core.latencyMs))) return NOTHING_SENT;
  const injected = core.takeInjection(endpoint);
  if (injected) return send(res, injected);
  const fault = core.faultFor(endpoint);
  if (!fault) return send(res, dispatch(core, endpoint, req, url, raw));
  core.stats.faults++;
  return { ...(await applyFault(core, fault, endpoint, req, res, url, raw)), fault: fault.kind };
}

async function applyFault(
  core: Core, fault: Fault, endpoint: Endpoint, req: IncomingMessage, res: ServerResponse, url: URL, raw: string,
): Promise<Sent> {
  switch (fault.kind) {
    case 'delay':
      return (await core.sleep(fault.ms)) ? send(res, dispatch(core, endpoint, req, url, raw)) : NOTHING_SENT;
    case 'reset':
      resetConnection(res);
      return NOTHING_SENT;
    case 'truncated': {
      const text = JSON.stringify(answerToSpoil(core, endpoint, req, url, raw));
      const bytes = await sendTruncated(res, text);
      const note = `[${bytes} of ${Buffer.byteLength(text)} bytes sent, then the connection was closed]`;
      return { status: 0, answer: () => note };
    }
    case 'oversize': {
      const bytes = await streamOversize(res, JSON.stringify(answerToSpoil(core, endpoint, req, url, raw)), fault.bytes);
      return { status: res.writableEnded ? 200 : 0, answer: () => `[${bytes} bytes of JSON, not logged]` };
    }
    default:
      return send(res, replyOf(core, fault, raw));
  }
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

/**
 * What a truncated or oversize answer is made of: the normal answer when the request succeeds (JOC
 * did the work; the network or the size spoils it), else an answer with just the dates.
 */
function answerToSpoil(core: Core, endpoint: Endpoint, req: IncomingMessage, url: URL, raw: string): object {
  const reply = dispatch(core, endpoint, req, url, raw);
  if (reply.status === 200 && typeof reply.body === 'object' && reply.body !== null) return reply.body;
  return { deliveryDate: iso(core.now()), surveyDate: iso(core.now()) };
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Sends `reply`; nothing goes out when the connection is already gone (client left, simulator closed). */
function send(res: ServerResponse, reply: Reply): Sent {
  if (res.destroyed) return NOTHING_SENT;
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const bytes = Buffer.from(text);
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType ?? 'application/json',
    'Content-Length': bytes.length,
    ...reply.headers,
  });
  res.end(bytes);
  // The log gets what was sent, parsed again: a copy no later change of the inventory reaches.
  const answer = (): unknown => (bytes.length > MAX_LOGGED_ANSWER ? { omitted: `answer of ${bytes.length} bytes` } : parseMaybe(text));
  return { status: reply.status, answer };
}

/** Counts the request; the log entry is made only when it is kept or someone listens. */
function record(core: Core, req: IncomingMessage, path: string, endpoint: string, raw: string, sent: Sent): void {
  const { stats } = core;
  stats.perEndpoint[endpoint] = (stats.perEndpoint[endpoint] ?? 0) + 1;
  const keep = core.maxLoggedRequests > 0;
  if (!keep && !core.onRequest) return;
  const entry: RequestLogEntry = {
    at: iso(core.now()),
    method: req.method ?? '',
    path,
    endpoint,
    status: sent.status,
    headers: { ...req.headers },
    body: parseMaybe(raw),
    answer: sent.answer(),
  };
  if (sent.fault) entry.fault = sent.fault;
  if (keep) {
    stats.requests.push(entry);
    if (stats.requests.length > core.maxLoggedRequests) stats.requests.splice(0, stats.requests.length - core.maxLoggedRequests);
  }
  core.onRequest?.(entry);
}

function parseMaybe(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
