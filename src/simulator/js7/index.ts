/**
 * In-process JS7 JOC Cockpit (2.x) simulator (see ../../../../shared/joc-api/JS7-NOTES.md):
 * `startJs7Simulator` listens on a port, serves every endpoint of the JS7 call plan (endpoints.ts)
 * with JOC 2.x's check order and answer shapes, and exposes the live model, the request log and
 * the controls of the 1.x simulator (failNext, setFault, refuseConnections, deny, sessions) plus
 * JS7's own (Controller reachability, version knob). It runs on the machinery both simulators
 * share (../http-core.ts, ../host.ts, ../sessions.ts, ../faults.ts).
 */
import type { Fault } from '../faults';
import { SimulatorHost, type InjectedReply } from '../host';
import type { RequestLogEntry, SimulatorStats } from '../http-core';
import { createPrng } from '../prng';
import { SessionStore, type ExpiryShape, type SessionInfo } from '../sessions';
import { tickJs7 } from './demo';
import { JS7_ENDPOINTS, js7PermissionOf, type Js7Endpoint, type Js7PermittedEndpoint } from './endpoints';
import { generateJs7Inventory, type Js7GeneratorOptions } from './generator';
import { findController, type ControllerConnection, type Js7Inventory } from './model';
import { FailedLogins, JOC_LOGIN_DELAY, type LoginDelay } from './security';
import { createJs7Handler, servedBy, type Js7Core } from './server';
import { parseVersion, type Js7Version, type Js7VersionName } from './versions';

export type * from './model';
export { CLUSTER_STATE_TYPES, findController, activeNode, isCluster } from './model';
export { JS7_ENDPOINTS, JS7_PERMISSION_OF, JS7_SINCE, js7PermissionOf, type Js7Endpoint, type Js7DataEndpoint, type Js7PermittedEndpoint } from './endpoints';
export { generateJs7Inventory, type Js7GeneratorOptions } from './generator';
export { tickJs7, type TickOptions } from './demo';
export { parseVersion, VERSION_OF, type Js7Version, type Js7VersionName } from './versions';
export { ORDER_BUCKETS, bucketOf } from './answers-orders';
export { JOC_LOGIN_DELAY, type LoginDelay } from './security';

export interface Js7SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** account → password; default { root: 'root' }. */
  users?: Record<string, string>;
  /** Idle timeout in ms, default 1800000 (JOC's 30 min, JS7-NOTES §1.1); -1 = never. */
  sessionTimeoutMs?: number;
  /** The JOC version posed as: '2.5' (2.5.3), '2.7' (2.7.1), '2.8' (2.8.4, default) or a 2.x.y release. */
  version?: Js7VersionName | string;
  /** A scripted model; it becomes the live model (not copied). Default: generated from `seed` and `size`. */
  inventory?: Js7Inventory;
  /** Seed of the generated model and of the demo changes; default 1. */
  seed?: number;
  /** Sizes of the generated model (the seed and clock come from the options above). */
  size?: Omit<Js7GeneratorOptions, 'seed' | 'now'>;
  /** Change the model every `tickMs` (default false). */
  demo?: boolean;
  /** Default 5000. */
  tickMs?: number;
  /** Delay before each request is answered, default 0. */
  latencyMs?: number;
  /** Delay of failed logins; default JOC's (2 s, then up to 30 s). Tests set it small. */
  loginDelay?: LoginDelay;
  /** Clock for sessions, dates and the model; default Date.now. */
  now?: () => number;
  /** Denied from the start; see `Js7Simulator.deny`. */
  deny?: Array<{ endpoint: Js7PermittedEndpoint; user?: string }>;
  /** Size of `stats.requests`, default 1000. */
  maxLoggedRequests?: number;
  /** Called after each answered request. */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface Js7Simulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (append /joc/api/...). */
  readonly url: string;
  readonly port: number;
  /** The JOC version posed as. */
  readonly version: Js7Version;
  /** The live, mutable model. */
  readonly inventory: Js7Inventory;
  /** Counters and the request log: each entry holds the endpoint and the parsed request body. */
  readonly stats: SimulatorStats;
  resetStats(): void;
  /** Whether this version has the endpoint (the others answer 404). */
  serves(endpoint: Js7Endpoint): boolean;
  /**
   * Every current session answers `shape` on its next call: '440' (default; JOC's answer for an
   * idled-out session), '401', or '420' with Shiro's UnknownSessionException (as JOC 2.0/2.1).
   */
  expireSessions(shape?: ExpiryShape): void;
  /** JOC restart: all tokens are forgotten (440). */
  restart(): void;
  /**
   * 403 for `endpoint`, for `account` or (omitted) everybody, as JOC answers an account without
   * the permission it checks; an error for an endpoint that checks none (`jocs`, `joc/version`).
   */
  deny(endpoint: Js7PermittedEndpoint, account?: string): void;
  allow(endpoint: Js7PermittedEndpoint, account?: string): void;
  /**
   * JOC cannot reach a Controller ID: its instances show `unreachable` (200), the answers that need
   * its state are 420 JOC-402 ('refused', default) or, on a connection reset, 434 where JOC answers so.
   */
  setControllerReachable(controllerId: string, reachable: boolean, failure?: Exclude<ControllerConnection, 'ok'>): void;
  /** The next `times` requests to `endpoint` get this reply, before any check. */
  failNext(endpoint: Js7Endpoint, reply: InjectedReply, times?: number): void;
  /** As the 1.x simulator's `setFault` (faults.ts); JS7's codes and texts. */
  setFault(endpoint: Js7Endpoint | '*', fault: Fault | null): void;
  clearFaults(): void;
  /** Connection refused while true (as the 1.x simulator's). */
  refuseConnections(refuse: boolean): Promise<void>;
  activeSessions(): SessionInfo[];
  /** One demo-mode step now (also without `demo`). */
  tick(): void;
  close(): Promise<void>;
}

export async function startJs7Simulator(options: Js7SimulatorOptions = {}): Promise<Js7Simulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const version = parseVersion(options.version ?? '2.8');
  const inventory = options.inventory ?? generateJs7Inventory({ ...options.size, seed, now: now() });
  const sessions = new SessionStore(now, options.sessionTimeoutMs ?? 1_800_000, '440');
  const host = new SimulatorHost(JS7_ENDPOINTS);
  const rng = createPrng(seed + 7919);
  const tickMs = options.tickMs ?? 5000;
  const deny = (endpoint: Js7PermittedEndpoint, account?: string): void => {
    js7PermissionOf(endpoint);
    host.deny(endpoint, account);
  };
  for (const d of options.deny ?? []) deny(d.endpoint, d.user);

  const core: Js7Core = {
    ...host.core(now, options),
    users: options.users ?? { root: 'root' },
    inventory: () => inventory,
    sessions,
    version,
    failedLogins: new FailedLogins(options.loginDelay ?? JOC_LOGIN_DELAY, () => rng.next()),
  };

  const { url, port } = await host.listen(createJs7Handler(core), options.port ?? 0, options.host ?? '127.0.0.1');
  const step = (): void => tickJs7(inventory, rng, now(), { lateMs: 2 * tickMs });
  if (options.demo) {
    const ticker = setInterval(step, tickMs);
    ticker.unref();
    host.onClose(() => clearInterval(ticker));
  }

  return {
    url,
    port,
    version,
    inventory,
    stats: host.stats,
    resetStats: () => host.resetStats(),
    serves: (endpoint) => servedBy(version, endpoint),
    expireSessions: (shape = '440') => sessions.expireAll(shape),
    restart: () => sessions.clear(),
    deny,
    allow: (endpoint, account) => host.allow(endpoint, account),
    setControllerReachable(controllerId, reachable, failure = 'refused') {
      const controller = findController(inventory, controllerId);
      if (!controller) throw new Error(`unknown controllerId ${controllerId}`);
      controller.connection = reachable ? 'ok' : failure;
    },
    failNext: (endpoint, reply, times = 1) => host.failNext(endpoint, reply, times),
    setFault: (endpoint, fault) => host.setFault(endpoint, fault),
    clearFaults: () => host.clearFaults(),
    refuseConnections: (refuse) => host.refuseConnections(refuse),
    activeSessions: () => sessions.active(),
    tick: step,
    close: () => host.close(),
  };
}
