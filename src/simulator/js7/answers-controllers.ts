/**
 * Answers about JOC itself and its Controllers (JS7-NOTES §2.1, §2.2, §4): `controller/ids`,
 * `controllers`, `controller`, `controller/components`, `jocs`, `joc/version`, `joc/versions`
 * and the GUI's `version.json`. States are computed the way `ControllerAnswer` and
 * `ControllersResourceComponentsImpl` do; a Controller that JOC cannot reach still answers 200
 * with `unreachable` instances and `ClusterUnknown`.
 */
import { atLeast, type Js7Version } from './versions';
import { isCluster, type ControllerInventory, type ControllerNode, type JocMember, type Js7Inventory } from './model';
import { iso } from './shapes';

export interface AnswerContext {
  readonly inventory: Js7Inventory;
  readonly now: number;
  readonly version: Js7Version;
}

interface StateObject<T extends string> {
  severity: number;
  _text: T;
}

const COMPONENT_SEVERITY = { operational: 0, limited: 1, inoperable: 2, unknown: 2 } as const;
const CONNECTION_SEVERITY = { established: 0, unstable: 1, unreachable: 2, unknown: 2 } as const;
const NODE_SEVERITY = { active: 0, inactive: 1, unknown: 2 } as const;

function state<T extends string>(severities: Readonly<Record<T, number>>, text: T): StateObject<T> {
  return { severity: severities[text], _text: text };
}

/** Severity of "Cluster" + type (JS7-NOTES §2.2). */
export function clusterStateObject(controller: ControllerInventory): { severity: number; _text: string; lossNode?: string } {
  if (!isCluster(controller) || controller.connection !== 'ok' || !controller.clusterState || controller.nodes.every((n) => !n.reachable)) {
    return { severity: 4, _text: 'ClusterUnknown' };
  }
  const type = controller.clusterState;
  const severity = type === 'Coupled' ? 0 : ['FailedOver', 'SwitchedOver', 'PassiveLost', 'NodesAppointed'].includes(type) ? 1 : 2;
  const result: { severity: number; _text: string; lossNode?: string } = { severity, _text: `Cluster${type}` };
  if (controller.lossNode && (type === 'NodeLossToBeConfirmed' || type === 'FailoverToBeConfirmed')) result.lossNode = controller.lossNode;
  return result;
}

function reachable(controller: ControllerInventory, node: ControllerNode): boolean {
  return controller.connection === 'ok' && node.reachable;
}

/** `ControllerAnswer`: component state of a reachable node, with its exceptions. */
function componentText(controller: ControllerInventory, node: ControllerNode): keyof typeof COMPONENT_SEVERITY {
  if (!reachable(controller, node)) return 'unknown';
  if (!isCluster(controller)) return 'operational';
  const type = controller.clusterState;
  if (type === undefined) return 'unknown';
  if (!node.active && type === 'PreparedToBeCoupled') return 'inoperable';
  if (node.active && type === 'ActiveNodeIsNotReady') return 'inoperable';
  if ((type === 'NodeLossToBeConfirmed' || type === 'FailoverToBeConfirmed') && controller.lossNode === node.url) return 'inoperable';
  return 'operational';
}

/** One Controller instance (controller/master-schema). */
export function controllerObject(ctx: AnswerContext, controller: ControllerInventory, node: ControllerNode): Record<string, unknown> {
  const up = reachable(controller, node);
  const object: Record<string, unknown> = {
    id: node.id,
    surveyDate: iso(ctx.now),
    controllerId: controller.controllerId,
    title: controller.title,
    host: node.host,
    url: node.url,
    role: node.role,
    isCoupled: isCluster(controller) && controller.connection === 'ok' && controller.clusterState === 'Coupled',
    securityLevel: 'MEDIUM',
    componentState: state(COMPONENT_SEVERITY, componentText(controller, node)),
    connectionState: state(CONNECTION_SEVERITY, up ? 'established' : 'unreachable'),
  };
  if (isCluster(controller)) {
    object.clusterUrl = node.url;
    object.clusterNodeState = state(NODE_SEVERITY, up ? (node.active ? 'active' : 'inactive') : 'unknown');
    if (atLeast(ctx.version, '2.8.0')) object.forceFailoverConfirmation = false;
  }
  if (up) {
    object.startedAt = iso(node.startedAt);
    object.version = controller.version;
    object.javaVersion = '17.0.12';
    object.os = { name: 'Linux', architecture: 'x64', distribution: 'Debian GNU/Linux 12 (bookworm)' };
  }
  return object;
}

/** `controller/ids`: the registered ids; `selected` the first (JS7-NOTES §2.1). */
export function idsAnswer(ctx: AnswerContext): object {
  const ids = ctx.inventory.controllers.map((c) => c.controllerId);
  const answer: Record<string, unknown> = { deliveryDate: iso(ctx.now), controllerIds: ids };
  if (ids.length > 0) answer.selected = ids[0];
  return answer;
}

/** `controllers`: the instances of one Controller ID, or of all ("" or omitted). */
export function controllersAnswer(ctx: AnswerContext, controllers: readonly ControllerInventory[]): object {
  return {
    deliveryDate: iso(ctx.now),
    controllers: controllers.flatMap((c) => c.nodes.map((n) => controllerObject(ctx, c, n))),
  };
}

/** `controller`: the instance with `url`, else the active one (JS7-NOTES §2.2). */
export function controllerAnswer(ctx: AnswerContext, controller: ControllerInventory, url: string | undefined): object | undefined {
  const node = url ? controller.nodes.find((n) => n.url === url) : controller.nodes.find((n) => n.active) ?? controller.nodes[0];
  if (!node) return undefined;
  return { deliveryDate: iso(ctx.now), controller: controllerObject(ctx, controller, node) };
}

/** One JOC instance (controller/joc-schema), as seen from the current one (heartbeat rule of §2.2). */
function jocObject(ctx: AnswerContext, member: JocMember, controller: ControllerInventory | undefined): Record<string, unknown> {
  const age = member.heartbeatAgeMs;
  const connection: keyof typeof CONNECTION_SEVERITY = age <= 31_000 ? 'established' : age <= 61_000 ? 'unstable' : member.current ? 'unstable' : 'unknown';
  const component: keyof typeof COMPONENT_SEVERITY = connection === 'unknown' ? 'unknown' : 'operational';
  const object: Record<string, unknown> = {
    id: member.id,
    instanceId: member.instanceId,
    memberId: member.memberId,
    title: member.title,
    current: member.current,
    host: member.host,
    url: member.url,
    startedAt: iso(member.startedAt),
    version: ctx.version.text,
    isApiServer: member.isApiServer,
    connectionState: state(CONNECTION_SEVERITY, connection),
    componentState: state(COMPONENT_SEVERITY, component),
    controllerConnectionStates: (controller?.nodes ?? []).map((n) => ({
      role: n.role,
      state: state(CONNECTION_SEVERITY, reachable(controller!, n) ? 'established' : 'unreachable'),
    })),
    os: { name: 'Linux', architecture: 'x64', distribution: 'Debian GNU/Linux 12 (bookworm)' },
    securityLevel: 'MEDIUM',
    lastHeartbeat: iso(ctx.now - age),
  };
  // With one JOC there is no cluster node state (JS7-NOTES §2.2).
  if (ctx.inventory.jocs.length > 1) object.clusterNodeState = state(NODE_SEVERITY, member.active ? 'active' : 'inactive');
  return object;
}

/** `controller/components` (JS7-NOTES §2.2); the database state is fixed, as in JOC. */
export function componentsAnswer(ctx: AnswerContext, controller: ControllerInventory): object {
  return {
    deliveryDate: iso(ctx.now),
    jocs: ctx.inventory.jocs.map((m) => jocObject(ctx, m, controller)),
    database: {
      dbms: ctx.inventory.database.dbms,
      version: ctx.inventory.database.version,
      componentState: state(COMPONENT_SEVERITY, 'operational'),
      connectionState: state(CONNECTION_SEVERITY, 'established'),
    },
    controllers: controller.nodes.map((n) => controllerObject(ctx, controller, n)),
    clusterState: clusterStateObject(controller),
  };
}

/** `jocs` (2.5.4+), with its two filters. */
export function jocsAnswer(ctx: AnswerContext, body: { onlyApiServer?: unknown; onlyNonApiServer?: unknown }): object {
  const members = ctx.inventory.jocs.filter((m) => (body.onlyApiServer === true ? m.isApiServer : body.onlyNonApiServer === true ? !m.isApiServer : true));
  return { deliveryDate: iso(ctx.now), jocs: members.map((m) => jocObject(ctx, m, undefined)) };
}

/** `joc/is_active`: whether the instance answering is the active JOC cluster member, and its heartbeat. */
export function isActiveAnswer(ctx: AnswerContext): object {
  const current = ctx.inventory.jocs.find((m) => m.current);
  const active = ctx.inventory.jocs.find((m) => m.active);
  const answer: Record<string, unknown> = { deliveryDate: iso(ctx.now), ok: current !== undefined && current === active };
  if (active) answer.surveyDate = iso(ctx.now - active.heartbeatAgeMs);
  return answer;
}

/** `joc/version` (2.7.2+) and the static `version.json`: the same three fields. */
export function versionAnswer(ctx: AnswerContext): object {
  return { version: ctx.version.text, gitHash: gitHashOf(ctx.version.text), date: '2026-07-16' };
}

/** `joc/versions` (JS7-NOTES §4): JOC's, the Controllers' and the Agents' versions. */
export function versionsAnswer(ctx: AnswerContext, body: { controllerIds?: unknown; agentIds?: unknown }): object {
  const wantedControllers = Array.isArray(body.controllerIds) ? new Set(body.controllerIds as unknown[]) : undefined;
  const wantedAgents = Array.isArray(body.agentIds) ? new Set(body.agentIds as unknown[]) : undefined;
  const controllers = ctx.inventory.controllers.filter((c) => !wantedControllers || wantedControllers.has(c.controllerId));
  const compatibility = (version: string): string => (version.split('.').slice(0, 2).join('.') === ctx.version.text.split('.').slice(0, 2).join('.') ? 'COMPATIBLE' : 'PARTIALLY_COMPATIBLE');
  return {
    deliveryDate: iso(ctx.now),
    jocVersion: ctx.version.text,
    controllerVersions: controllers.flatMap((c) => c.nodes.map((n) => ({
      controllerId: c.controllerId, uri: n.url, version: c.version, compatibility: compatibility(c.version),
    }))),
    agentVersions: controllers.flatMap((c) => c.agents.filter((a) => !wantedAgents || wantedAgents.has(a.agentId)).flatMap((a) => (
      a.subagents
        ? a.subagents.map((s) => ({ agentId: a.agentId, subagentId: s.subagentId, uri: s.url, version: a.version, compatibility: compatibility(a.version) }))
        : [{ agentId: a.agentId, uri: a.url ?? '', version: a.version, compatibility: compatibility(a.version) }]
    ))),
  };
}

/** A stable, made-up git hash per version text. */
function gitHashOf(text: string): string {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return (h.toString(16).padStart(8, '0')).repeat(5);
}
