import { Pool, errors as undiciErrors } from 'undici';
import type { SelfMetrics } from '../metrics/self';
import { readBodyText } from './body';
import { readBodySplit, type KeepElement } from './json-split';
import { JocAbortedError, JocNetworkError, JocOversizeError } from './errors';

/** One HTTP answer of JOC Cockpit, body parsed as JSON when it is JSON. */
export interface JocReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed body, or undefined when the body is empty or not JSON. */
  readonly json: unknown;
  /** The raw body text (for error messages; never logged for security/* answers). */
  readonly text: string;
}

/** Per-request options of `post`. */
export interface PostOptions {
  /** The request may take at least this long, when that is more than the transport's timeout (a JS7 login). */
  readonly minTimeoutMs?: number;
  /**
   * A 200 answer whose top-level array `key` is read element by element (src/joc/json-split.ts),
   * keeping of each element what `keep()` (made once per answer) returns. Its `text` is empty.
   */
  readonly split?: { readonly key: string; readonly keep: () => KeepElement };
}

/** What a session needs of the HTTP layer (JocTransport; a fake in unit tests). */
export interface JocPoster {
  post(
    endpoint: string,
    body: object,
    headers: Readonly<Record<string, string>>,
    signal?: AbortSignal,
    options?: PostOptions,
  ): Promise<JocReply>;
}

export interface JocTransportOptions {
  /** The `joc` label value. */
  readonly name: string;
  /** Base URL of JOC Cockpit, without `/joc/api`. */
  readonly url: string;
  readonly timeoutMs: number;
  readonly ca: string | null;
  readonly insecureSkipVerify: boolean;
  readonly metrics: SelfMetrics;
  /** Keep-alive connections to this JOC; also the most requests in flight at once. */
  readonly connections?: number;
  /** The largest answer body read; a larger one is cut off and fails the request. */
  readonly maxResponseBytes: number;
}

/**
 * The HTTP layer to one JOC Cockpit instance: a keep-alive undici Pool, `POST {url}/joc/api/<endpoint>`
 * with a JSON body, a timeout on every request (connect, headers and the whole body), a size
 * limit on every answer, and the request counter and latency histogram recorded here and nowhere
 * else. It knows nothing of sessions.
 *
 * `code` of the request counter is the HTTP status when a complete answer arrived, and `error`
 * when none did: no connection, a reset, a timeout, a body cut off or over the size limit.
 */
export class JocTransport implements JocPoster {
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #options: JocTransportOptions;

  constructor(options: JocTransportOptions) {
    const base = new URL(options.url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TypeError(`JOC Cockpit URL must be http or https, got ${base.protocol}`);
    }
    if (!(options.timeoutMs > 0)) throw new TypeError(`timeoutMs must be > 0, got ${options.timeoutMs}`);
    if (!(options.maxResponseBytes > 0)) throw new TypeError(`maxResponseBytes must be > 0, got ${options.maxResponseBytes}`);
    this.#options = options;
    this.#basePath = base.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(base.origin, {
      connections: options.connections ?? 4,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 30_000,
      maxResponseSize: options.maxResponseBytes,
      connect: {
        ca: options.ca ?? undefined,
        rejectUnauthorized: !options.insecureSkipVerify,
      },
    });
  }

  /**
   * POSTs `body` as JSON to `joc/api/<endpoint>`. Resolves with any HTTP answer (the caller
   * decides what a status means); rejects with JocNetworkError when there is no complete answer
   * in time, JocOversizeError when the body is over the limit, or JocAbortedError when `signal`
   * (shutdown) aborts it. The timeout covers the whole exchange, body included: a JOC that
   * trickles its answer byte by byte cannot hold a poll longer than `timeoutMs`.
   */
  async post(
    endpoint: string,
    body: object,
    headers: Readonly<Record<string, string>>,
    signal?: AbortSignal,
    options: PostOptions = {},
  ): Promise<JocReply> {
    const { name, metrics } = this.#options;
    const timeoutMs = Math.max(this.#options.timeoutMs, options.minTimeoutMs ?? 0);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const stopTimer = metrics.requestDuration.startTimer({ joc: name, endpoint });
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: `${this.#basePath}/joc/api/${endpoint}`,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: combined,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const split = res.statusCode === 200 ? options.split : undefined;
      const text = split ? '' : await readBodyText(res.body, res.headers['content-length'], this.#options.maxResponseBytes);
      const json = split ? await readBodySplit(res.body, split.key, split.keep()) : parseJson(text);
      stopTimer();
      metrics.requests.inc({ joc: name, endpoint, code: String(res.statusCode) });
      return { status: res.statusCode, headers: res.headers, json, text };
    } catch (err) {
      stopTimer();
      metrics.requests.inc({ joc: name, endpoint, code: 'error' });
      if (signal?.aborted) throw new JocAbortedError(endpoint);
      if (err instanceof undiciErrors.ResponseExceededMaxSizeError) {
        throw new JocOversizeError(endpoint, this.#options.maxResponseBytes);
      }
      const timedOut =
        timeout.aborted ||
        err instanceof undiciErrors.HeadersTimeoutError ||
        err instanceof undiciErrors.BodyTimeoutError ||
        err instanceof undiciErrors.ConnectTimeoutError;
      throw new JocNetworkError(endpoint, err, timedOut);
    }
  }

  /** Drops every connection at once, aborting what is in flight. */
  async destroy(): Promise<void> {
    await this.#pool.destroy();
  }
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
