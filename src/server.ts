import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { WebConfig } from './config/types';
import type { Logger } from './logger';
import type { MetricsPage, PageRequest } from './metrics/exposition';
import { BasicAuth } from './web-auth';
import { landingPage, type TargetStatus } from './landing-page';

export interface ExporterServerOptions {
  readonly host: string;
  readonly port: number;
  readonly web: WebConfig | null;
  readonly logger: Logger;
  /** The /metrics answer, OpenMetrics and gzipped when the scraper asks for it. */
  readonly metrics: (request: PageRequest) => Promise<MetricsPage>;
  /** What the landing page lists. */
  readonly targets: () => readonly TargetStatus[];
}

/** How long close() lets busy connections finish before it drops them. */
const CLOSE_GRACE_MS = 1_000;

/** Client-certificate modes (exporter-toolkit `client_auth_type`) that need a check per request. */
const NEEDS_CLIENT_CERT = new Set(['RequireAnyClientCert', 'RequireAndVerifyClientCert']);

/**
 * The exporter's HTTP(S) server: `/metrics`, the landing page `/`, `/-/healthy`, `/-/ready`,
 * 404 elsewhere; TLS and basic auth on every path when a web config file asks for them.
 */
export class ExporterServer {
  readonly #o: ExporterServerOptions;
  readonly #server: Server;
  readonly #auth: BasicAuth | null;
  /** Every open TCP connection, TLS handshakes in progress included (the HTTP server does not track those). */
  readonly #sockets = new Set<Socket>();
  #stopping = false;

  constructor(options: ExporterServerOptions) {
    this.#o = options;
    const users = options.web?.basicAuthUsers;
    this.#auth = users && users.size > 0 ? new BasicAuth(users) : null;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      // A keep-alive connection whose request was in flight when close() began turns idle only
      // after its answer; close it then, or it would hold close() open until keepAliveTimeout.
      res.once('finish', () => {
        if (this.#stopping) this.#server.closeIdleConnections();
      });
      this.#handle(req, res).catch((err: unknown) => {
        options.logger.error({ err: String(err), path: req.url }, 'request handler failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('internal error\n');
      });
    };
    const tls = options.web?.tls;
    // An empty `ca` would make Node verify client certificates against its default roots.
    if (tls?.clientCa === '') throw new Error('an empty client CA must be refused when the web config is read');
    this.#server = tls
      ? createHttpsServer(
          {
            cert: tls.cert,
            key: tls.key,
            ca: tls.clientCa ?? undefined,
            minVersion: tls.minVersion,
            maxVersion: tls.maxVersion ?? undefined,
            requestCert: tls.clientAuthType !== 'NoClientCert',
            rejectUnauthorized: tls.clientAuthType === 'RequireAndVerifyClientCert',
          },
          handler,
        )
      : createHttpServer(handler);
    this.#server.keepAliveTimeout = 65_000;
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Listens; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(this.#o.port, this.#o.host, () => {
        this.#server.off('error', onError);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  get scheme(): 'http' | 'https' {
    return this.#o.web?.tls ? 'https' : 'http';
  }

  /**
   * Stops accepting connections, closes idle ones and each busy one once its answer is out; after
   * CLOSE_GRACE_MS drops whatever is left (a request half sent, a TLS handshake never finished, a
   * slow reader), so that no client can hold the shutdown past its deadline. `/-/ready` answers
   * 503 meanwhile.
   */
  async close(): Promise<void> {
    this.#stopping = true;
    let grace: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
      grace = setTimeout(() => {
        for (const socket of this.#sockets) socket.destroy();
      }, CLOSE_GRACE_MS);
    });
    clearTimeout(grace);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(this.#o.web?.headers ?? {})) res.setHeader(name, value);
    if (!this.#clientCertAccepted(req)) return send(res, 403, 'client certificate required\n');
    if (this.#auth && !(await this.#auth.check(req.headers.authorization))) {
      res.setHeader('www-authenticate', 'Basic realm="jobscheduler-exporter", charset="UTF-8"');
      return send(res, 401, 'unauthorized\n');
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = ROUTES[path];
    if (!route) return send(res, 404, `${path} not found; see / for what this exporter serves\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed\n');
    }
    return route(this, req, res);
  }

  #clientCertAccepted(req: IncomingMessage): boolean {
    const tls = this.#o.web?.tls;
    if (!tls) return true;
    const socket = req.socket as TLSSocket;
    const cert = socket.getPeerCertificate?.();
    const presented = cert !== undefined && Object.keys(cert).length > 0;
    if (NEEDS_CLIENT_CERT.has(tls.clientAuthType) && !presented) return false;
    if (tls.clientAuthType === 'VerifyClientCertIfGiven' && presented && !socket.authorized) return false;
    return true;
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
