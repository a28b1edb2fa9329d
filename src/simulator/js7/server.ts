/**
 * The JS7 flavour of the simulator's HTTP machinery (../http-core.ts): routing and the order of
 * checks JOC 2.x applies (JS7-NOTES §0.1, §1.5). For a data resource:
 * 1. content type: an explicit non-JSON type is 415 (a missing one is accepted);
 * 2. session (`initLogging`): an unknown, missing or idled-out token is 440 — BEFORE the body,
 *    so a malformed body with an expired token is still 440 (the reverse of 1.x);
 * 3. body: unparsable JSON or a body that is not an object is 420; then the lenient schema check
 *    (validation.ts) is 420 JOC-420;
 * 4. permission: 403;
 * 5. controllerId: empty is 420 JOC-406, unknown is 420 JOC-404;
 * 6. the Controller connection, for the answers that need the Controller's state (JOC's proxy):
 *    420 JOC-402, or 434 where JOC answers so (JS7-NOTES §2.2, §2.4);
 * then the answer. Endpoints a JOC version lacks are unknown paths (404), as on that JOC. Before
 * all of these, after routing, the method check and the latency: a `failNext` reply, else a
 * persistent fault.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultReply } from '../faults';
import { createHttpHandler, parseMaybe, type HttpCore, type Reply } from '../http-core';
import type { SessionStore } from '../sessions';
import { containerErrorPage, header } from '../shapes';
import {
  componentsAnswer, controllerAnswer, controllersAnswer, idsAnswer, isActiveAnswer, jocsAnswer, versionAnswer, versionsAnswer,
  type AnswerContext,
} from './answers-controllers';
import {
  ordersAnswer, ordersSnapshot, workflowsAnswer, workflowsOrderCount, workflowsSnapshot, type OrdersFilterBody, type WorkflowsFilterBody,
} from './answers-orders';
import {
  agentsAnswer, dailyPlanSummaryAnswer, jobsSummaryAnswer, orderHistoryAnswer, ordersSummaryAnswer, taskHistoryAnswer,
  type AgentsFilterBody, type DailyPlanFilterBody, type HistoryFilterBody,
} from './answers-outcomes';
import { parseJocDate } from './dates';
import { isJs7Endpoint, js7PermissionOf, JS7_SINCE, type Js7DataEndpoint, type Js7Endpoint } from './endpoints';
import { activeNode, findController, type ControllerInventory, type Js7Inventory } from './model';
import { login, logout, sessionGone, touch, type FailedLogins } from './security';
import { fail420, JS7_CODES, JS7_FAULT_TEXTS, JS7_MESSAGES, js7SecurityBody, reasonOf } from './shapes';
import { hasJs7BodySchema, validateJs7Body } from './validation';
import { atLeast, type Js7Version } from './versions';

export interface Js7Core extends HttpCore {
  readonly users: Readonly<Record<string, string>>;
  readonly inventory: () => Js7Inventory;
  readonly sessions: SessionStore;
  readonly version: Js7Version;
  readonly failedLogins: FailedLogins;
  isDenied(endpoint: string, user: string): boolean;
}

const PREFIX = '/joc/api/';
const VERSION_JSON = '/joc/version.json';

/** Whether this JOC version has the endpoint (JS7-NOTES §4). */
export function servedBy(version: Js7Version, endpoint: Js7Endpoint): boolean {
  const since = JS7_SINCE[endpoint];
  return since === undefined || atLeast(version, since);
}

export function createJs7Handler(core: Js7Core): (req: IncomingMessage, res: ServerResponse) => void {
  const loginTimeoutPhrase = atLeast(core.version, '2.7.0');
  const withReason = (reply: Reply): Reply => (reply.reason === undefined ? { ...reply, reason: reasonOf(reply.status, loginTimeoutPhrase) } : reply);
  return createHttpHandler(core, {
    endpointOf: (pathname) => {
      if (pathname === VERSION_JSON) return 'version.json';
      const name = pathname.startsWith(PREFIX) ? pathname.slice(PREFIX.length) : '';
      return name !== 'version.json' && isJs7Endpoint(name) && servedBy(core.version, name) ? name : undefined;
    },
    // An endpoint this version lacks is still logged by its name, so that its body can be checked.
    logNameOf: (pathname) => (pathname.startsWith(PREFIX) ? pathname.slice(PREFIX.length) : pathname),
    methodOf: (endpoint) => (endpoint === 'version.json' ? 'GET' : 'POST'),
    // Jersey finds no resource and the servlet container renders its error page [I].
    notFound: () => ({ status: 404, body: containerErrorPage(404, 'Not Found'), contentType: 'text/html' }),
    dispatch: async (endpoint, req, _url, raw) => {
      const reply = await dispatch(core, endpoint as Js7Endpoint, req, raw);
      return reply && withReason(reply);
    },
    faultReply: (fault, raw) => withReason(faultReply(fault, core.now(), serverUrlOf(core, raw), JS7_FAULT_TEXTS)),
  });
}

/** The Controller URL a fault's message names: the one of the request's controllerId, else the first Controller's. */
function serverUrlOf(core: Js7Core, raw: string): string {
  const body = parseMaybe(raw);
  const asked = typeof body === 'object' && body !== null ? (body as { controllerId?: unknown }).controllerId : undefined;
  const inventory = core.inventory();
  const controller = (typeof asked === 'string' ? findController(inventory, asked) : undefined) ?? inventory.controllers[0];
  return controller ? activeNode(controller)?.url ?? controller.controllerId : '';
}

function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return true;
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

async function dispatch(core: Js7Core, endpoint: Js7Endpoint, req: IncomingMessage, raw: string): Promise<Reply | undefined> {
  const ctx: AnswerContext = { inventory: core.inventory(), now: core.now(), version: core.version };
  if (endpoint === 'version.json') return { status: 200, body: versionAnswer(ctx) };
  if (!isJsonContentType(req.headers['content-type'])) {
    return { status: 415, body: containerErrorPage(415, 'Unsupported Media Type'), contentType: 'text/html' };
  }
  switch (endpoint) {
    case 'authentication/login': return login(core, req);
    case 'authentication/logout': return logout(core, req);
    case 'touch': return touch(core, req);
    default: return dataResource(core, ctx, endpoint, req, raw);
  }
}

function dataResource(core: Js7Core, ctx: AnswerContext, endpoint: Js7DataEndpoint, req: IncomingMessage, raw: string): Reply {
  const found = core.sessions.lookup(header(req.headers, 'x-access-token'));
  if (found.kind !== 'valid') return sessionGone(core, found);
  let body: Record<string, unknown> = {};
  if (hasJs7BodySchema(endpoint)) {
    const parsed = parseBody(core, raw);
    if ('status' in parsed) return parsed;
    body = parsed.body;
  }
  const error = validateJs7Body(endpoint, body);
  if (error !== undefined) return fail420(core.now(), JS7_CODES.DEFAULT, JS7_MESSAGES.schema(error));
  const unmappable = mappingError(body);
  if (unmappable !== undefined) return fail420(core.now(), JS7_CODES.DEFAULT, JS7_MESSAGES.notMappable(unmappable));
  const { user, accessToken } = found.session;
  if (core.isDenied(endpoint, user)) {
    return {
      status: 403,
      body: js7SecurityBody({ account: user, accessToken, isAuthenticated: true, hasRole: true, message: JS7_MESSAGES.noPermission(user, js7PermissionOf(endpoint)) }),
    };
  }
  return answer(core, ctx, endpoint, body);
}

/** Jackson's reading of the body: JSON, and an object. */
function parseBody(core: Js7Core, raw: string): { body: Record<string, unknown> } | Reply {
  if (raw.trim() === '') return fail420(core.now(), JS7_CODES.DEFAULT, JS7_MESSAGES.badJson('No content to map due to end-of-input'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return fail420(core.now(), JS7_CODES.DEFAULT, JS7_MESSAGES.badJson((e as Error).message));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'Array value (token `JsonToken.START_ARRAY`)' : `${parsed === null ? 'null' : typeof parsed} value`;
    return fail420(core.now(), JS7_CODES.DEFAULT, JS7_MESSAGES.notAnObject(kind));
  }
  return { body: parsed as Record<string, unknown> };
}

/** Request fields that are lists in JOC's model classes; those of objects name them. */
const LIST_FIELDS: Readonly<Record<string, 'objects' | 'values'>> = {
  workflowIds: 'objects', folders: 'objects', jobs: 'objects', excludeJobs: 'objects', orders: 'objects',
  orderIds: 'values', states: 'values', agentIds: 'values', controllerIds: 'values', historyStates: 'values', taskIds: 'values',
  historyIds: 'values', criticalities: 'values', orderTags: 'values', workflowTags: 'values', agentNames: 'values',
};

/**
 * Jackson's mapping after the lenient schema check: a field that must be a list (of objects) but
 * is not cannot be mapped (JOC: 420). Returns the field, or undefined when the body maps.
 */
function mappingError(body: Record<string, unknown>): string | undefined {
  for (const [field, kind] of Object.entries(LIST_FIELDS)) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) return field;
    if (kind === 'objects' && value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) return field;
  }
  return undefined;
}

/** Endpoints answered from JOC's proxy of the Controller's state: they fail when the Controller cannot be reached. */
const NEEDS_CONTROLLER = new Set<Js7Endpoint>([
  'orders/overview/snapshot', 'orders', 'workflows/overview/snapshot', 'workflows/order_count', 'agents', 'controller',
]);

/** Where a connection reset (and for `controller` a refusal) is 434, not 420 (JS7-NOTES §0.1). */
function connectionFailure(core: Js7Core, endpoint: Js7Endpoint, controller: ControllerInventory): Reply | undefined {
  if (controller.connection === 'ok' || !NEEDS_CONTROLLER.has(endpoint)) return undefined;
  const url = activeNode(controller)?.url ?? controller.controllerId;
  const reset = controller.connection === 'reset';
  const message = reset ? JS7_MESSAGES.connectionReset(url) : JS7_MESSAGES.connectionRefused(url);
  const status = (reset && endpoint === 'orders/overview/snapshot') || endpoint === 'controller' ? 434 : 420;
  return { ...fail420(core.now(), JS7_CODES.CONNECTION, message), status };
}

/** The Controllers a DB-backed request covers: the one named (none when unknown), else all. */
function controllersOf(inventory: Js7Inventory, id: unknown): ControllerInventory[] {
  if (typeof id !== 'string' || id === '') return inventory.controllers;
  const found = findController(inventory, id);
  return found ? [found] : [];
}

function answer(core: Js7Core, ctx: AnswerContext, endpoint: Js7DataEndpoint, body: Record<string, unknown>): Reply {
  const { inventory } = ctx;
  const ok = (b: object): Reply => ({ status: 200, body: b });
  switch (endpoint) {
    case 'controller/ids': return ok(idsAnswer(ctx));
    case 'joc/version': return ok(versionAnswer(ctx));
    case 'joc/versions': return ok(versionsAnswer(ctx, body));
    case 'jocs': return ok(jocsAnswer(ctx, body));
    case 'joc/is_active': return ok(isActiveAnswer(ctx));
    case 'controllers': {
      const id = body.controllerId;
      if (typeof id === 'string' && id !== '' && !findController(inventory, id)) return unknownController(core, id);
      return ok(controllersAnswer(ctx, controllersOf(inventory, id)));
    }
    case 'tasks/history': return ok(taskHistoryAnswer(ctx, controllersOf(inventory, body.controllerId), body as HistoryFilterBody));
    case 'orders/history': return ok(orderHistoryAnswer(ctx, controllersOf(inventory, body.controllerId), body as HistoryFilterBody));
    case 'orders/overview/summary': return ok(ordersSummaryAnswer(ctx, controllersOf(inventory, body.controllerId), body as HistoryFilterBody));
    case 'jobs/overview/summary': return ok(jobsSummaryAnswer(ctx, controllersOf(inventory, body.controllerId), body as HistoryFilterBody));
    case 'daily_plan/orders/summary': {
      const ids = Array.isArray(body.controllerIds) && body.controllerIds.length > 0 ? new Set(body.controllerIds) : undefined;
      const controllers = inventory.controllers.filter((c) => !ids || ids.has(c.controllerId));
      return ok(dailyPlanSummaryAnswer(ctx, controllers, body as unknown as DailyPlanFilterBody));
    }
    default: break;
  }
  const id = body.controllerId;
  if (typeof id !== 'string' || id === '') return fail420(core.now(), JS7_CODES.MISSING_PARAMETER, JS7_MESSAGES.missingControllerId);
  const controller = findController(inventory, id);
  if (!controller) return unknownController(core, id);
  const failure = connectionFailure(core, endpoint, controller);
  if (failure) return failure;
  switch (endpoint) {
    case 'controller': {
      const found = controllerAnswer(ctx, controller, typeof body.url === 'string' && body.url !== '' ? body.url : undefined);
      return found ? ok(found) : unknownController(core, `${id} (${String(body.url)})`);
    }
    case 'controller/components': return ok(componentsAnswer(ctx, controller));
    case 'orders/overview/snapshot': {
      const until = parseJocDate(body.dateTo === '0d' ? '1d' : body.dateTo, ctx.now, false, typeof body.timeZone === 'string' ? body.timeZone : undefined);
      return ok(ordersSnapshot(ctx, controller, body as unknown as OrdersFilterBody, until));
    }
    case 'orders': return ok(ordersAnswer(ctx, controller, body as unknown as OrdersFilterBody));
    case 'workflows': return ok(workflowsAnswer(ctx, unreachableAware(controller), body as unknown as WorkflowsFilterBody));
    case 'workflows/overview/snapshot': return ok(workflowsSnapshot(ctx, controller));
    case 'workflows/order_count': return ok(workflowsOrderCount(ctx, controller, body));
    case 'agents': return ok(agentsAnswer(ctx, controller, body as unknown as AgentsFilterBody));
  }
}

/** `workflows` answers without the Controller too: then every workflow is UNKNOWN (JS7-NOTES §2.6). */
function unreachableAware(controller: ControllerInventory): ControllerInventory {
  if (controller.connection === 'ok') return controller;
  return { ...controller, workflows: controller.workflows.map((w) => ({ ...w, state: 'UNKNOWN' as const })) };
}

function unknownController(core: Js7Core, id: string): Reply {
  return fail420(core.now(), JS7_CODES.UNKNOWN_CONTROLLER, JS7_MESSAGES.unknownController(id));
}
