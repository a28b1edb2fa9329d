/**
 * The controls both simulators (JOC 1.13 and JS7) offer around their HTTP server: the listening
 * socket and `refuseConnections`, `close` (which also ends pending waits), the one-off replies of
 * `failNext`, the persistent faults of `setFault`, the permission denials of `deny`/`allow`, the
 * statistics and the sleeps of latency, delay faults and failed logins. The flavour supplies its
 * endpoint list and its request handler.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultTable, type Fault } from './faults';
import { emptyStats, type HttpCore, type Reply, type RequestLogEntry, type SimulatorStats } from './http-core';

export interface InjectedReply {
  status: number;
  /** An object is sent as JSON, a string as is (e.g. broken JSON). Default: no body (""). */
  body?: unknown;
  /** Default application/json. */
  contentType?: string;
  headers?: Record<string, string>;
}

/** The options of both simulators that the shared part of a handler's core reads. */
export interface HostCoreOptions {
  /** Default 0. */
  readonly latencyMs?: number;
  /** Default 1000. */
  readonly maxLoggedRequests?: number;
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

export class SimulatorHost {
  readonly stats: SimulatorStats = emptyStats();
  readonly #faults: FaultTable;
  readonly #injections = new Map<string, InjectedReply[]>();
  readonly #denied = new Set<string>();
  /** Pending waits, each with the function that ends it early (on close). */
  readonly #sleepers = new Map<NodeJS.Timeout, () => void>();
  readonly #onClose: Array<() => void> = [];
  #server: Server | undefined;
  #address: AddressInfo | undefined;
  #closing: Promise<void> | undefined;
  #refusing = false;
  /** The last refuseConnections switch; the next one starts after it (failed or not). */
  #switching: Promise<void> = Promise.resolve();

  /** `endpoints`: the ones `failNext` and `setFault` accept. */
  constructor(private readonly endpoints: readonly string[]) {
    this.#faults = new FaultTable(endpoints);
  }

  /** Listens on `port` (0: a free one) and `host`; resolves with the base URL. */
  async listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number, host: string): Promise<{ url: string; port: number }> {
    const server = createServer(handler);
    server.keepAliveTimeout = 5000;
    await listen(server, port, host);
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.#address = address;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `http://${shown}:${address.port}`, port: address.port };
  }

  /** The flavour-independent part of a handler's core, served by this host, and its denials. */
  core(now: () => number, options: HostCoreOptions): HttpCore & { isDenied(endpoint: string, user: string): boolean } {
    return {
      now,
      stats: this.stats,
      maxLoggedRequests: options.maxLoggedRequests ?? 1000,
      isDenied: (endpoint, user) => this.isDenied(endpoint, user),
      takeInjection: (endpoint) => this.takeInjection(endpoint),
      faultFor: (endpoint) => this.faultFor(endpoint),
      sleep: (ms) => this.sleep(ms),
      latencyMs: options.latencyMs ?? 0,
      onRequest: options.onRequest,
    };
  }

  resetStats(): void {
    Object.assign(this.stats, emptyStats());
  }

  /** Waits `ms`; false when the simulator closed meanwhile. */
  sleep(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(this.#closing === undefined);
    return new Promise<boolean>((resolve) => {
      const t = setTimeout(() => {
        this.#sleepers.delete(t);
        resolve(true);
      }, ms);
      this.#sleepers.set(t, () => resolve(false));
    });
  }

  takeInjection(endpoint: string): Reply | undefined {
    const next = this.#injections.get(endpoint)?.shift();
    if (!next) return undefined;
    return { status: next.status, body: next.body ?? '', contentType: next.contentType ?? 'application/json', headers: next.headers };
  }

  failNext(endpoint: string, reply: InjectedReply, times = 1): void {
    if (!this.endpoints.includes(endpoint)) throw new Error(`unknown endpoint ${endpoint}`);
    const queue = this.#injections.get(endpoint) ?? [];
    for (let i = 0; i < times; i++) queue.push(reply);
    this.#injections.set(endpoint, queue);
  }

  faultFor(endpoint: string): Fault | undefined {
    return this.#faults.lookup(endpoint);
  }

  setFault(endpoint: string, fault: Fault | null): void {
    this.#faults.set(endpoint, fault);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  isDenied(endpoint: string, user: string): boolean {
    return this.#denied.has(denialKey(endpoint)) || this.#denied.has(denialKey(endpoint, user));
  }

  deny(endpoint: string, user?: string): void {
    this.#denied.add(denialKey(endpoint, user));
  }

  /** Undoes `deny(endpoint, user)`; without user it lifts every denial of the endpoint. */
  allow(endpoint: string, user?: string): void {
    if (user !== undefined) this.#denied.delete(denialKey(endpoint, user));
    else for (const k of [...this.#denied]) if (k.startsWith(`${endpoint}\u0000`)) this.#denied.delete(k);
  }

  refuseConnections(refuse: boolean): Promise<void> {
    const server = this.#server;
    const address = this.#address;
    if (!server || !address) return Promise.reject(new Error('not listening'));
    const next = this.#switching.then(async () => {
      if (this.#closing || refuse === this.#refusing) return;
      if (refuse) await stopListening(server);
      else await listen(server, address.port, address.address);
      this.#refusing = refuse;
    });
    this.#switching = next.catch(() => undefined);
    return next;
  }

  /** Runs `stop` (e.g. a demo timer's clearInterval) when the simulator closes. */
  onClose(stop: () => void): void {
    this.#onClose.push(stop);
  }

  /** Closes all connections, then the server; idempotent. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    for (const stop of this.#onClose) stop();
    for (const [t, wake] of this.#sleepers) {
      clearTimeout(t);
      wake();
    }
    this.#sleepers.clear();
    const server = this.#server;
    // After a pending refuseConnections switch; when refusing, close() finds nothing listening.
    this.#closing = this.#switching.then(() => (server ? stopListening(server) : undefined));
    return this.#closing;
  }
}

function denialKey(endpoint: string, user?: string): string {
  return `${endpoint}\u0000${user ?? '*'}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops listening and destroys the open connections (also when nothing listens any more). */
function stopListening(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
