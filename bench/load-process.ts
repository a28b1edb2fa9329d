/**
 * Child process: autocannon's load against one URL, so that the load generator does not share
 * the exporter's event loop or CPU time. Latencies are kept per response (autocannon's own
 * histogram has a resolution of 1 ms) and summarised here. Exits when the parent disconnects.
 */
import autocannon from 'autocannon';
import { serve } from './ipc';
import { summarise, type Summary } from './stats';

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Load {
  /** 2xx answers. */
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Of the 2xx answers, ms. */
  readonly latencyMs: Summary;
  readonly bytesPerSecond: number;
  /** Answers that were not 2xx, connection errors and timeouts. */
  readonly failures: number;
}

const api = {
  async run(options: LoadOptions): Promise<Load> {
    const latencies: number[] = [];
    const instance = autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.seconds,
      headers: { ...options.headers },
    });
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
    });
    const result = await instance;
    if (latencies.length === 0) throw new Error(`no 2xx answer from ${options.url} in ${options.seconds} s`);
    return {
      requests: latencies.length,
      seconds: result.duration,
      perSecond: latencies.length / result.duration,
      latencyMs: summarise(latencies),
      bytesPerSecond: result.throughput.total / result.duration,
      failures: result.non2xx + result.errors + result.timeouts,
    };
  },
};

export type LoadApi = typeof api;

serve(api);
