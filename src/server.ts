import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { BcryptPool } from './bcrypt-pool';
import { hasAllowedSan } from './client-sans';
import { DEFAULT_MAX_CONNECTIONS, type WebConfig, type WebTlsConfig } from './config/types';
import type { Logger } from './logger';
import type { MetricsPage, PageRequest } from './metrics/exposition';
import { RateLimiter } from './rate-limit';
import { requestPath } from './request-target';
import { BasicAuth } from './web-auth';
import { WebConfigWatch } from './web-config-watch';
import { landingPage, type TargetStatus } from './landing-page';

export interface ExporterServerOptions {
  readonly host: string;
  readonly port: number;
  readonly web: WebConfig | null;
  /** The file `web` was read from: read again while running, so that changes apply without a restart. */
  readonly webConfigFile?: string | null;
  /** Open connections at most (`listen.maxConnections`). */
  readonly maxConnections?: number;
  readonly logger: Logger;
  /** The /metrics answer, OpenMetrics and gzipped when the scraper asks for it. */
  readonly metrics: (request: PageRequest) => Promise<MetricsPage>;
  /** What the landing page lists. */
  readonly targets: () => readonly TargetStatus[];
}

/** How long close() lets busy connections finish before it drops them. */
const CLOSE_GRACE_MS = 1_000;
/** A connection that sends no byte for this long is closed (it would only hold a slot). */
const FIRST_BYTE_TIMEOUT_MS = 10_000;
/** The TLS handshake, and the request headers, must be complete within this (Node: 120 s and 60 s). */
const HANDSHAKE_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 10_000;
/** The whole request, body included (Node: 300 s); a body is never read, see #handle. */
const REQUEST_TIMEOUT_MS = 30_000;

/** The first byte of every TLS handshake (a handshake record). */
const TLS_HANDSHAKE_RECORD = 0x16;
/** What Go's server answers to plain HTTP on a TLS port. */
const HTTP_ON_TLS_PORT = 'HTTP/1.0 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n';

/** One way of serving connections: plain HTTP, or HTTPS with one TLS setup. */
interface Layer {
  readonly server: Server;
  readonly tls: WebTlsConfig | null;
  /** Its open connections. */
  connections: number;
  /** Those of them that reached HTTP (for TLS: whose handshake is done). */
  http: number;
}

/** What the web config decides for each request; replaced whole when the file changes. */
interface Policy {
  readonly web: WebConfig | null;
  readonly layer: Layer;
  readonly auth: BasicAuth | null;
  readonly limiter: RateLimiter | null;
}

/**
 * The exporter's HTTP(S) server: `/metrics`, the landing page `/`, `/-/healthy`, `/-/ready`,
 * 404 elsewhere; TLS, client certificates, basic auth, rate limit and headers on every path when
 * a web config file asks for them, re-read while running.
 *
 * A plain TCP server accepts every connection and hands it, at its first byte, to the HTTP or
 * HTTPS server of the web config in use; this is what lets it answer plain HTTP on the TLS port
 * with 400 (as Go does), switch between TLS and plain HTTP on reload, and bound the connections.
 */
export class ExporterServer {
  readonly #o: ExporterServerOptions;
  readonly #net: NetServer;
  readonly #pool = new BcryptPool();
  readonly #watch: WebConfigWatch | null;
  readonly #maxConnections: number;
  #policy: Policy;
  /** Layers replaced by a reload that still serve connections they accepted before it. */
  readonly #oldLayers = new Set<Layer>();
  /** Every open TCP connection, oldest first. */
  readonly #sockets = new Set<Socket>();
  /** Connections that have not sent their first byte yet (the first to go when room is needed). */
  readonly #silent = new Set<Socket>();
  /** Connections handed to TLS whose handshake is not done (the next to go when room is needed). */
  readonly #handshaking = new Set<Socket>();
  /** Requests being answered, by the socket (TCP or TLS) they came on. */
  readonly #busy = new Map<object, number>();
  #stopping = false;

  constructor(options: ExporterServerOptions) {
    this.#o = options;
    this.#maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.#policy = this.#policyFor(options.web);
    this.#net = createNetServer({ pauseOnConnect: false }, (socket) => this.#accept(socket));
    this.#watch =
      options.webConfigFile && options.web
        ? new WebConfigWatch(options.webConfigFile, options.web, (web) => this.#reload(web), options.logger)
        : null;
  }

  /** Listens; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#net.once('error', onError);
      this.#net.listen(this.#o.port, this.#o.host, () => {
        this.#net.off('error', onError);
        this.#watch?.start();
        resolve((this.#net.address() as AddressInfo).port);
      });
    });
  }

  get scheme(): 'http' | 'https' {
    return this.#policy.layer.tls ? 'https' : 'http';
  }

  /**
   * Stops accepting connections, closes idle ones and each busy one once its answer is out; after
   * CLOSE_GRACE_MS drops whatever is left (a request half sent, a TLS handshake never finished, a
   * slow reader), so that no client can hold the shutdown past its deadline. `/-/ready` answers
   * 503 meanwhile. Ends the bcrypt workers, even in the middle of a hash.
   */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#watch?.stop();
    let grace: NodeJS.Timeout | undefined;
    await Promise.all([
      this.#pool.close(),
      new Promise<void>((resolve) => {
        this.#net.close(() => resolve());
        for (const socket of this.#silent) socket.destroy();
        // close(): closes idle connections and ends the layer's timeout checks; it has no port to release.
        for (const layer of this.#layers()) layer.server.close();
        grace = setTimeout(() => {
          for (const socket of this.#sockets) socket.destroy();
        }, CLOSE_GRACE_MS);
      }),
    ]);
    clearTimeout(grace);
  }

  #layers(): Layer[] {
    return [this.#policy.layer, ...this.#oldLayers];
  }

  #policyFor(web: WebConfig | null, previous?: Policy): Policy {
    const sameTls = previous && JSON.stringify(previous.web?.tls ?? null) === JSON.stringify(web?.tls ?? null);
    const sameRate = previous && JSON.stringify(previous.web?.rateLimit ?? null) === JSON.stringify(web?.rateLimit ?? null);
    const users = web?.basicAuthUsers;
    // The same users keep their BasicAuth, and so the cache of verified passwords (a renewed certificate, say).
    const sameUsers = previous && JSON.stringify([...(previous.web?.basicAuthUsers ?? [])]) === JSON.stringify([...(users ?? [])]);
    return {
      web,
      layer: sameTls ? previous.layer : this.#createLayer(web?.tls ?? null),
      auth: sameUsers ? previous.auth : users && users.size > 0 ? new BasicAuth(users, this.#pool) : null,
      limiter: sameRate ? previous.limiter : web?.rateLimit ? new RateLimiter(web.rateLimit) : null,
    };
  }

  /** A changed web config: new connections and requests follow it; old TLS connections close after their answer. */
  #reload(web: WebConfig): void {
    const previous = this.#policy;
    this.#policy = this.#policyFor(web, previous);
    if (this.#policy.layer === previous.layer) return;
    if (previous.layer.connections === 0) return void previous.layer.server.close();
    this.#oldLayers.add(previous.layer);
    previous.layer.server.closeIdleConnections();
  }

  #createLayer(tls: WebTlsConfig | null): Layer {
    const options = { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1_000 };
    let layer: Layer;
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.#request(layer, req, res);
    if (!tls) {
      layer = { server: createHttpServer(options, handler), tls, connections: 0, http: 0 };
    } else {
      // An empty `ca` would make Node verify client certificates against its default roots.
      if (tls.clientCa === '') throw new Error('an empty client CA must be refused when the web config is read');
      const server = createHttpsServer(
        {
          ...options,
          cert: tls.cert,
          key: tls.key,
          // No client_ca_file: verified against Node's default CAs, as Go uses the system roots.
          ca: tls.clientCa ?? undefined,
          minVersion: tls.minVersion,
          maxVersion: tls.maxVersion ?? undefined,
          ciphers: tls.ciphers ?? undefined,
          ecdhCurve: tls.ecdhCurve ?? undefined,
          honorCipherOrder: tls.honorCipherOrder,
          handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
          requestCert: tls.clientAuthType !== 'NoClientCert' || tls.clientAllowedSans !== null,
          rejectUnauthorized: tls.clientAuthType === 'RequireAndVerifyClientCert',
        },
        handler,
      );
      server.on('secureConnection', (socket: TLSSocket) => {
        // Its TCP connection: the one from the same remote address and port.
        for (const raw of this.#handshaking) {
          if (raw.remotePort === socket.remotePort && raw.remoteAddress === socket.remoteAddress) this.#handshaking.delete(raw);
        }
        layer.http += 1;
        socket.once('close', () => (layer.http -= 1));
        if (!clientCertAccepted(tls, socket)) socket.destroy();
      });
      // A failed handshake is the client's problem, not a log line per attempt.
      server.on('tlsClientError', () => undefined);
      layer = { server, tls, connections: 0, http: 0 };
    }
    layer.server.keepAliveTimeout = 65_000;
    // The layer never listens itself: the TCP server hands it connections with
    // emit('connection', socket), which Node documents. Node keeps its list of connections, which
    // closeIdleConnections() (close() and #makeRoom) and the headers and request timeouts work
    // on, only from 'listening' on, and documents no other way to start it: an undocumented
    // internal, so the idle keep-alive test in test/integration/web-security-http.test.ts fails
    // when a Node release changes it.
    layer.server.emit('listening');
    layer.server.on('connection', (socket: Socket) => {
      layer.connections += 1;
      if (!tls) layer.http += 1;
      socket.once('close', () => {
        layer.connections -= 1;
        if (!tls) layer.http -= 1;
        // A layer replaced by a reload goes with its last connection.
        if (layer.connections === 0 && this.#oldLayers.delete(layer)) layer.server.close();
      });
    });
    return layer;
  }

  #accept(socket: Socket): void {
    if (this.#stopping) return void socket.destroy();
    this.#sockets.add(socket);
    this.#silent.add(socket);
    socket.once('close', () => {
      this.#sockets.delete(socket);
      this.#silent.delete(socket);
      this.#handshaking.delete(socket);
    });
    socket.on('error', () => undefined); // a reset by the client; the socket closes
    if (this.#sockets.size > this.#maxConnections && !this.#makeRoom(socket)) return void socket.destroy();
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('readable', () => {
      const chunk = socket.read() as Buffer | null;
      if (!chunk) return void socket.destroy();
      socket.unshift(chunk);
      socket.setTimeout(0);
      this.#silent.delete(socket);
      const layer = this.#policy.layer;
      if (layer.tls && chunk[0] !== TLS_HANDSHAKE_RECORD) return void socket.end(HTTP_ON_TLS_PORT);
      if (layer.tls) this.#handshaking.add(socket);
      layer.server.emit('connection', socket);
    });
  }

  /**
   * Room for `newcomer` beyond maxConnections: the oldest connection that has not sent a byte
   * goes first, then the oldest TLS handshake still under way (a real one takes milliseconds),
   * then every idle keep-alive connection (a client reconnects at its next request). When every
   * other connection has a request in flight, there is no room and the newcomer is refused.
   */
  #makeRoom(newcomer: Socket): boolean {
    for (const waiting of [this.#silent, this.#handshaking]) {
      for (const socket of waiting) {
        if (socket === newcomer) continue;
        socket.destroy();
        return true;
      }
    }
    let http = 0;
    for (const layer of this.#layers()) http += layer.http;
    if (http <= this.#busy.size) return false; // none idle

    for (const layer of this.#layers()) layer.server.closeIdleConnections();
    return true;
  }

  #request(layer: Layer, req: IncomingMessage, res: ServerResponse): void {
    const key = req.socket;
    this.#busy.set(key, (this.#busy.get(key) ?? 0) + 1);
    res.once('close', () => {
      const left = (this.#busy.get(key) ?? 1) - 1;
      if (left > 0) this.#busy.set(key, left);
      else this.#busy.delete(key);
    });
    // A keep-alive connection whose request was in flight when close() began turns idle only
    // after its answer; close it then, or it would hold close() open until keepAliveTimeout.
    res.once('finish', () => {
      if (this.#stopping) setImmediate(() => layer.server.closeIdleConnections());
    });
    this.#handle(layer, req, res).catch((err: unknown) => {
      this.#o.logger.error({ err: String(err), path: req.url }, 'request handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  }

  async #handle(layer: Layer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const policy = this.#policy;
    // A connection of a TLS setup replaced by a reload gets this answer, then closes.
    if (layer !== policy.layer) res.setHeader('connection', 'close');
    // No body is ever read: a request with one is answered and its connection closed, so a slow body holds nothing.
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
      res.setHeader('connection', 'close');
    }
    if (policy.limiter && !policy.limiter.allow()) return send(res, 429, 'too many requests\n');
    for (const [name, value] of Object.entries(policy.web?.headers ?? {})) res.setHeader(name, value);
    const path = requestPath(req.url);
    if (path === null) return send(res, 400, 'bad request target\n');
    if (policy.auth) {
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      const result = await policy.auth.check(req.headers.authorization, gone.signal);
      if (result === 'busy') {
        res.setHeader('retry-after', '1');
        return send(res, 503, 'too many password checks in progress; retry\n');
      }
      if (result !== 'ok') {
        res.setHeader('www-authenticate', 'Basic realm="jobscheduler-exporter", charset="UTF-8"');
        return send(res, 401, 'unauthorized\n');
      }
    }
    const route = ROUTES[path];
    if (!route) return send(res, 404, `${path} not found; see / for what this exporter serves\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed\n');
    }
    return route(this, req, res);
  }

  static async metrics(server: ExporterServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const page = await server.#o.metrics({
      openMetrics: wantsOpenMetrics(req.headers.accept),
      gzip: acceptsGzip(req.headers['accept-encoding']),
    });
    res.writeHead(200, {
      'content-type': page.contentType,
      'content-length': page.byteLength,
      vary: 'Accept, Accept-Encoding',
      ...(page.contentEncoding ? { 'content-encoding': page.contentEncoding } : {}),
    });
    if (req.method !== 'HEAD') for (const part of page.parts) res.write(part);
    res.end();
  }

  static landing(server: ExporterServer, req: IncomingMessage, res: ServerResponse): void {
    const html = landingPage(server.#o.targets());
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  static ready(server: ExporterServer, _req: IncomingMessage, res: ServerResponse): void {
    if (server.#stopping) return send(res, 503, 'shutting down\n');
    send(res, 200, 'ready\n');
  }
}

/**
 * The client-certificate checks Node's `rejectUnauthorized` does not make (exporter-toolkit's
 * `client_auth_type`, as Go's crypto/tls, and `client_allowed_sans`), right after the handshake:
 * a refused client gets no HTTP answer at all, as with Go's failed handshake.
 */
function clientCertAccepted(tls: WebTlsConfig, socket: TLSSocket): boolean {
  const cert = socket.getPeerCertificate(true);
  const presented = cert !== null && Object.keys(cert).length > 0;
  if ((tls.clientAuthType === 'RequireAnyClientCert' || tls.clientAuthType === 'RequireAndVerifyClientCert') && !presented) return false;
  if (tls.clientAuthType === 'VerifyClientCertIfGiven' && presented && !socket.authorized) return false;
  if (tls.clientAllowedSans) return presented && hasAllowedSan(cert.raw, tls.clientAllowedSans);
  return true;
}

type Route = (server: ExporterServer, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const ROUTES: Readonly<Record<string, Route>> = {
  '/metrics': ExporterServer.metrics,
  '/': ExporterServer.landing,
  '/-/healthy': (_server, _req, res) => send(res, 200, 'healthy\n'),
  '/-/ready': ExporterServer.ready,
};

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** True when the Accept header prefers OpenMetrics (as Prometheus sends it when it may use it). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept);
}

/** True when the Accept-Encoding header allows gzip (and does not give it q=0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((item) => {
    const [coding, ...params] = item.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === 'x-gzip') && (q === undefined || Number(q.slice(2)) > 0);
  });
}
