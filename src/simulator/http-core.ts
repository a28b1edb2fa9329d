/**
 * The HTTP machinery both simulators (JOC 1.13 in server.ts, JS7 in js7/server.ts) share: reading
 * the body, routing through the API flavour, the configured latency, one-off `failNext` replies,
 * persistent faults (faults.ts), sending, and the request log and counters of `stats`. What a
 * request means — its checks, in the order that JOC version applies them, and its answer — is the
 * flavour's `dispatch`.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { resetConnection, sendTruncated, streamOversize, type Fault, type FaultKind, type ReplyFault } from './faults';
import { containerErrorPage, iso } from './shapes';

/** What the handler answers; `body` is JSON unless it is a string. */
export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** The HTTP reason phrase, where JOC sets its own (JS7: 420/434 "Invalid Request", 440 "Login Timeout"). */
  reason?: string;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  /** The endpoint (path after /joc/api/, or the flavour's name of another path), or the raw path when unknown. */
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

export function emptyStats(): SimulatorStats {
  return { logins: 0, failedLogins: 0, logouts: 0, touches: 0, faults: 0, perEndpoint: {}, requests: [] };
}

/** The flavour-independent part of a simulator's state that the handler needs. */
export interface HttpCore {
  readonly now: () => number;
  readonly stats: SimulatorStats;
  readonly maxLoggedRequests: number;
  takeInjection(endpoint: string): Reply | undefined;
  faultFor(endpoint: string): Fault | undefined;
  /** Waits `ms`; false when the simulator closed meanwhile (then nothing is answered). */
  sleep(ms: number): Promise<boolean>;
  /** The configured latency before each request to a known endpoint is answered. */
  readonly latencyMs: number;
  onRequest?: (entry: RequestLogEntry) => void;
}

/** What one JOC flavour adds: its paths, its checks and answers, its fault texts. */
export interface ApiFlavour {
  /** The endpoint a request path names, or undefined (then `notFound` answers). */
  endpointOf(pathname: string): string | undefined;
  /** The endpoint name the request log and `perEndpoint` use for a path `endpointOf` does not know; default the path. */
  logNameOf?(pathname: string): string;
  /** The HTTP method of an endpoint; default POST. */
  methodOf?(endpoint: string): string;
  notFound(pathname: string): Reply;
  /** The answer without faults; undefined when the simulator closed while it waited. */
  dispatch(endpoint: string, req: IncomingMessage, url: URL, raw: string): Reply | undefined | Promise<Reply | undefined>;
  /** The answer of a plain-answer fault (its texts name the server of the request, where there is one). */
  faultReply(fault: ReplyFault, raw: string): Reply;
}

/** Larger request bodies are cut off (and then fail JSON parsing with 420). */
const MAX_BODY = 1024 * 1024;
/** Larger answers are not kept in the request log (a `orders` answer may be 30 MB). */
const MAX_LOGGED_ANSWER = 256 * 1024;

export function createHttpHandler(core: HttpCore, api: ApiFlavour): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(core, api, req, res).catch((e: unknown) => {
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

async function handle(core: HttpCore, api: ApiFlavour, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const raw = await readBody(req);
  const endpoint = api.endpointOf(url.pathname);
  const sent = await respond(core, api, req, res, url, raw, endpoint);
  record(core, req, url.pathname, endpoint ?? api.logNameOf?.(url.pathname) ?? url.pathname, raw, sent);
}

async function respond(
  core: HttpCore, api: ApiFlavour, req: IncomingMessage, res: ServerResponse, url: URL, raw: string, endpoint: string | undefined,
): Promise<Sent> {
  if (endpoint === undefined) return send(res, api.notFound(url.pathname));
  const method = api.methodOf?.(endpoint) ?? 'POST';
  if (req.method !== method) {
    return send(res, { status: 405, body: { status: 405, message: `Method ${req.method ?? ''} Not Allowed; use ${method}` }, headers: { Allow: method } });
  }
  if (!(await core.sleep(core.latencyMs))) return NOTHING_SENT;
  const injected = core.takeInjection(endpoint);
  if (injected) return send(res, injected);
  const fault = core.faultFor(endpoint);
  if (!fault) return sendMaybe(res, await api.dispatch(endpoint, req, url, raw));
  core.stats.faults++;
  return { ...(await applyFault(core, api, fault, endpoint, req, res, url, raw)), fault: fault.kind };
}

async function applyFault(
  core: HttpCore, api: ApiFlavour, fault: Fault, endpoint: string, req: IncomingMessage, res: ServerResponse, url: URL, raw: string,
): Promise<Sent> {
  switch (fault.kind) {
    case 'delay':
      return (await core.sleep(fault.ms)) ? sendMaybe(res, await api.dispatch(endpoint, req, url, raw)) : NOTHING_SENT;
    case 'reset':
      resetConnection(res);
      return NOTHING_SENT;
    case 'truncated': {
      const text = JSON.stringify(await answerToSpoil(core, api, endpoint, req, url, raw));
      const bytes = await sendTruncated(res, text);
      const note = `[${bytes} of ${Buffer.byteLength(text)} bytes sent, then the connection was closed]`;
      return { status: 0, answer: () => note };
    }
    case 'oversize': {
      const bytes = await streamOversize(res, JSON.stringify(await answerToSpoil(core, api, endpoint, req, url, raw)), fault.bytes);
      return { status: res.writableEnded ? 200 : 0, answer: () => `[${bytes} bytes of JSON, not logged]` };
    }
    default:
      return send(res, api.faultReply(fault, raw));
  }
}

/**
 * What a truncated or oversize answer is made of: the normal answer when the request succeeds (JOC
 * did the work; the network or the size spoils it), else an answer with just the dates.
 */
async function answerToSpoil(core: HttpCore, api: ApiFlavour, endpoint: string, req: IncomingMessage, url: URL, raw: string): Promise<object> {
  const reply = await api.dispatch(endpoint, req, url, raw);
  if (reply?.status === 200 && typeof reply.body === 'object' && reply.body !== null) return reply.body;
  return { deliveryDate: iso(core.now()), surveyDate: iso(core.now()) };
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

function sendMaybe(res: ServerResponse, reply: Reply | undefined): Sent {
  return reply === undefined ? NOTHING_SENT : send(res, reply);
}

/** Sends `reply`; nothing goes out when the connection is already gone (client left, simulator closed). */
function send(res: ServerResponse, reply: Reply): Sent {
  if (res.destroyed) return NOTHING_SENT;
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const bytes = Buffer.from(text);
  const headers = { 'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': bytes.length, ...reply.headers };
  if (reply.reason !== undefined) res.writeHead(reply.status, reply.reason, headers);
  else res.writeHead(reply.status, headers);
  res.end(bytes);
  // The log gets what was sent, parsed again: a copy no later change of the inventory reaches.
  const answer = (): unknown => (bytes.length > MAX_LOGGED_ANSWER ? { omitted: `answer of ${bytes.length} bytes` } : parseMaybe(text));
  return { status: reply.status, answer };
}

/** Counts the request; the log entry is made only when it is kept or someone listens. */
function record(core: HttpCore, req: IncomingMessage, path: string, endpoint: string, raw: string, sent: Sent): void {
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

/** JSON text parsed, other text as is, empty text as undefined. */
export function parseMaybe(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
