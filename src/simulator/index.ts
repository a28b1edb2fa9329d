/**
 * In-process JOC Cockpit 1.13 simulator (see ../../../shared/joc-api/NOTES.md): `startSimulator`
 * listens on a port, serves the endpoints the exporter uses and exposes the live inventory,
 * request statistics and controls for error-path tests (one-off replies, persistent faults,
 * refused connections).
 */
import { generateInventory } from './generator';
import { tick } from './demo';
import { findScheduler, type Inventory } from './inventory';
import type { Fault } from './faults';
import { SimulatorHost, type InjectedReply } from './host';
import { createPrng } from './prng';
import { createHandler, type Core, type RequestLogEntry, type SimulatorStats } from './server';
import { SessionStore, type ExpiryShape, type SessionInfo } from './sessions';
import { ENDPOINTS, type DataEndpoint, type Endpoint } from './shapes';

export type { Inventory, SchedulerInventory, MasterInventory, JobChainInventory, JobChainNodeInventory, JobInventory, OrderInventory, MasterConnection } from './inventory';
export type { ExpiryShape, SessionInfo } from './sessions';
export type { RequestLogEntry, SimulatorStats } from './server';
export type { Endpoint, DataEndpoint } from './shapes';
export type { Fault, FaultKind } from './faults';
export { FAULT_KINDS } from './faults';
export { ENDPOINTS, PERMISSION_OF } from './shapes';
export { generateInventory, type GeneratorOptions } from './generator';
export { tick } from './demo';

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** name → password; default { root: 'root' }. */
  users?: Record<string, string>;
  /** Idle timeout in ms, default 900000 (NOTES §2.1); -1 = never. */
  sessionTimeoutMs?: number;
  /** Answer of a data call on an idled-out session (NOTES §3.2): '401' (default), '440' or '420'. */
  idleExpiry?: ExpiryShape;
  /** A scripted inventory; it becomes the live model (not copied). Default: generated from `seed`. */
  inventory?: Inventory;
  /** Seed of the generated inventory and of the demo changes; default 1. */
  seed?: number;
  /** Change the inventory every `tickMs` (default false). */
  demo?: boolean;
  /** Default 5000. */
  tickMs?: number;
  /** Delay before each POST is answered, default 0. */
  latencyMs?: number;
  /** Clock for sessions and dates; default Date.now. */
  now?: () => number;
  /** Denied from the start; see `Simulator.deny`. */
  deny?: Array<{ endpoint: DataEndpoint; user?: string }>;
  /** Size of `stats.requests`, default 1000. */
  maxLoggedRequests?: number;
  /** Called after each answered request (main.ts logs it). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export type { InjectedReply } from './host';

export interface Simulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (append /joc/api/...). */
  readonly url: string;
  readonly port: number;
  /** The live, mutable model. */
  readonly inventory: Inventory;
  readonly stats: SimulatorStats;
  resetStats(): void;
  /** Every current session answers `shape` on its next data call (idled out / purged / failed over). */
  expireSessions(shape?: ExpiryShape): void;
  /** JOC restart: all tokens are forgotten (440 SessionNotExist on data calls). */
  restart(): void;
  /** 403 for `endpoint`, for `user` or (omitted) everybody. */
  deny(endpoint: DataEndpoint, user?: string): void;
  /** Undoes `deny(endpoint, user)`; without user it lifts every denial of the endpoint. */
  allow(endpoint: DataEndpoint, user?: string): void;
  /** Unreachable Master: 420 JOC-402 ('refused', default) or 434 on the snapshots ('reset'); members show UNREACHABLE. */
  setMasterReachable(jobschedulerId: string, reachable: boolean, failure?: 'refused' | 'reset'): void;
  /** The next `times` POSTs to `endpoint` get this reply, before any check (and before a persistent fault). */
  failNext(endpoint: Endpoint, reply: InjectedReply, times?: number): void;
  /**
   * Every POST to `endpoint` ('*': to any endpoint) meets `fault` until it is replaced or cleared
   * (null). It applies after routing, the method check and `latencyMs`, before any other check; a
   * fault set for the endpoint wins over the one for '*'. Counted in `stats.faults`.
   */
  setFault(endpoint: Endpoint | '*', fault: Fault | null): void;
  clearFaults(): void;
  /**
   * Connection refused: while true nothing listens (open connections, keep-alive ones included,
   * are destroyed); false listens again on the same port. Sessions survive. Resolves when done.
   */
  refuseConnections(refuse: boolean): Promise<void>;
  activeSessions(): SessionInfo[];
  /** One demo-mode step now (also without `demo`). */
  tick(): void;
  /** Closes all connections, then the server; idempotent. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const inventory = options.inventory ?? generateInventory({ seed, now: now() });
  const sessions = new SessionStore(now, options.sessionTimeoutMs ?? 900_000, options.idleExpiry ?? '401');
  const host = new SimulatorHost(ENDPOINTS);
  const rng = createPrng(seed + 7919);
  for (const d of options.deny ?? []) host.deny(d.endpoint, d.user);

  const core: Core = {
    ...host.core(now, options),
    users: options.users ?? { root: 'root' },
    inventory: () => inventory,
    sessions,
  };

  const { url, port } = await host.listen(createHandler(core), options.port ?? 0, options.host ?? '127.0.0.1');
  if (options.demo) {
    const ticker = setInterval(() => tick(inventory, rng, now()), options.tickMs ?? 5000);
    ticker.unref();
    host.onClose(() => clearInterval(ticker));
  }

  return {
    url,
    port,
    inventory,
    stats: host.stats,
    resetStats: () => host.resetStats(),
    expireSessions: (shape = '401') => sessions.expireAll(shape),
    restart: () => sessions.clear(),
    deny: (endpoint, user) => host.deny(endpoint, user),
    allow: (endpoint, user) => host.allow(endpoint, user),
    setMasterReachable(jobschedulerId, reachable, failure = 'refused') {
      const scheduler = findScheduler(inventory, jobschedulerId);
      if (!scheduler) throw new Error(`unknown jobschedulerId ${jobschedulerId}`);
      scheduler.connection = reachable ? 'ok' : failure;
    },
    failNext: (endpoint, reply, times = 1) => host.failNext(endpoint, reply, times),
    setFault: (endpoint, fault) => host.setFault(endpoint, fault),
    clearFaults: () => host.clearFaults(),
    refuseConnections: (refuse) => host.refuseConnections(refuse),
    activeSessions: () => sessions.active(),
    tick: () => tick(inventory, rng, now()),
    close: () => host.close(),
  };
}
