/**
 * c. Scrape cost: GET /metrics against a started exporter that has polled the large selection
 * once, first one request at a time over one keep-alive connection, then from several
 * connections at once for a fixed time, in the text format, in OpenMetrics, and in OpenMetrics
 * gzipped (bytes on the wire), as Prometheus asks. The client runs
 * on the exporter's thread and event loop, so the figures are a floor for what the exporter
 * serves, not a ceiling.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';
import { LARGE_SELECTION, pollOk, withStack } from './scenarios';
import { msSince, summarise, type Summary } from './stats';

/** Request headers of each variant; the last is what Prometheus sends. */
const FORMATS = {
  text: { accept: 'text/plain;version=0.0.4' },
  openmetrics: { accept: 'application/openmetrics-text;version=1.0.0' },
  'openmetrics gzip': { accept: 'application/openmetrics-text;version=1.0.0', 'accept-encoding': 'gzip' },
} as const;
export type Format = keyof typeof FORMATS;

export interface ScrapeOptions {
  /** Requests of the sequential run. */
  readonly sequential: number;
  /** Connections and duration of the concurrent run. */
  readonly connections: number;
  readonly seconds: number;
}

export interface Run {
  readonly connections: number;
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latencyMs: Summary;
}

export interface FormatCost {
  readonly format: Format;
  readonly contentType: string;
  readonly bytesPerScrape: number;
  readonly sequential: Run;
  readonly concurrent: Run & {
    /** Event-loop delay of this thread (exporter and client) while the concurrent run lasted. */
    readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  };
}

export function scrapeCost(options: ScrapeOptions): Promise<FormatCost[]> {
  return withStack(
    LARGE_SELECTION,
    async (exporter) => {
      await exporter.start();
      // start() begins the first poll; pollAll() waits for that one instead of starting another.
      await pollOk(exporter);
      const costs: FormatCost[] = [];
      for (const format of Object.keys(FORMATS) as Format[]) {
        costs.push(await scrapeFormat(exporter.url, format, options));
      }
      return costs;
    },
    true,
  );
}

async function scrapeFormat(url: string, format: Format, options: ScrapeOptions): Promise<FormatCost> {
  const one = await withPool(url, 1, async (pool) => {
    const page = await scrape(pool, format);
    return { bytes: page.bytes, contentType: page.contentType, sequential: await run(pool, format, 1, { requests: options.sequential }) };
  });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const concurrent = await withPool(url, options.connections, (pool) =>
    run(pool, format, options.connections, { seconds: options.seconds }),
  );
  delay.disable();
  return {
    format,
    contentType: one.contentType,
    bytesPerScrape: one.bytes,
    sequential: one.sequential,
    concurrent: {
      ...concurrent,
      eventLoopDelayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
    },
  };
}

async function withPool<T>(url: string, connections: number, body: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  try {
    return await body(pool);
  } finally {
    await pool.close();
  }
}

/** `connections` clients scraping back to back, each until `requests` are done or `seconds` have passed. */
async function run(pool: Pool, format: Format, connections: number, until: { requests?: number; seconds?: number }): Promise<Run> {
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  const deadline = until.seconds === undefined ? Infinity : until.seconds * 1000;
  const more = (): boolean => latencies.length < (until.requests ?? Infinity) && msSince(start) < deadline;
  const client = async (): Promise<void> => {
    while (more()) {
      const sent = process.hrtime.bigint();
      await scrape(pool, format);
      latencies.push(msSince(sent));
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const seconds = msSince(start) / 1000;
  return { connections, requests: latencies.length, seconds, perSecond: latencies.length / seconds, latencyMs: summarise(latencies) };
}

async function scrape(pool: Pool, format: Format): Promise<{ bytes: number; contentType: string }> {
  const { statusCode, headers, body } = await pool.request({ method: 'GET', path: '/metrics', headers: FORMATS[format] });
  const bytes = (await body.arrayBuffer()).byteLength;
  if (statusCode !== 200) throw new Error(`GET /metrics answered ${statusCode}`);
  return { bytes, contentType: String(headers['content-type']) };
}
