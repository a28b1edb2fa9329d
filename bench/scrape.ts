/**
 * /metrics under load: autocannon (load-process.ts, a child process) with 16 connections against
 * the exporter, then against a plain `node:http` server in this process that answers every
 * request with the bytes and headers the exporter sent for the same request: the ratio of the two
 * is what the exporter's own handling costs.
 */
import { createServer, get, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Child } from './ipc';
import type { Load, LoadApi } from './load-process';

/** What a scraper sends; the second is what Prometheus 2.x/3.x sends. */
export const VARIANTS = {
  text: {},
  'openmetrics gzip': {
    accept: 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    'accept-encoding': 'gzip',
  },
} as const satisfies Record<string, Readonly<Record<string, string>>>;
export type Variant = keyof typeof VARIANTS;

/** One answer as received: status, headers and the body's bytes (not decoded). */
export interface Page {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export function fetchPage(url: string, headers: Readonly<Record<string, string>>): Promise<Page> {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Headers Node's server sets itself on every answer. */
const OWN_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** A plain HTTP server answering every request with one page; `page` changes it. */
export class PlainServer {
  readonly #server = createServer((_req, res) => {
    res.writeHead(200, this.#headers);
    res.end(this.#body);
  });
  #headers: OutgoingHttpHeaders = {};
  #body: Buffer = Buffer.alloc(0);

  async listen(): Promise<string> {
    // The exporter's keep-alive timeout, so connections live alike.
    this.#server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/metrics`;
  }

  set page(page: Page) {
    this.#headers = Object.fromEntries(Object.entries(page.headers).filter(([name]) => !OWN_HEADERS.has(name)));
    this.#body = page.body;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

export interface ScrapeRun {
  readonly variant: Variant;
  readonly connections: number;
  /** Bytes of one answer as sent (gzipped for the gzip variant). */
  readonly bytes: number;
  readonly exporter: Load;
  readonly plain: Load;
}

/**
 * For each variant: the exporter's answer is captured and served by the plain server, then the
 * exporter and the plain server are loaded one after the other for `seconds` each, after a
 * warm-up of `warmupSeconds` against the exporter.
 */
export async function scrapeRuns(
  metricsUrl: string,
  options: { readonly connections: number; readonly seconds: number; readonly warmupSeconds: number },
): Promise<ScrapeRun[]> {
  const load = new Child<LoadApi>('load-process');
  const plain = new PlainServer();
  try {
    const plainUrl = await plain.listen();
    const runs: ScrapeRun[] = [];
    for (const variant of Object.keys(VARIANTS) as Variant[]) {
      const headers = VARIANTS[variant];
      const page = await fetchPage(metricsUrl, headers);
      if (page.status !== 200) throw new Error(`GET ${metricsUrl} answered ${page.status}`);
      plain.page = page;
      const run = (url: string, seconds: number): Promise<Load> => load.call('run', { url, connections: options.connections, seconds, headers });
      if (options.warmupSeconds > 0) await run(metricsUrl, options.warmupSeconds);
      const exporter = await run(metricsUrl, options.seconds);
      runs.push({ variant, connections: options.connections, bytes: page.body.length, exporter, plain: await run(plainUrl, options.seconds) });
    }
    return runs;
  } finally {
    await plain.close();
    await load.close();
  }
}
