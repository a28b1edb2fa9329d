import { promisify } from 'node:util';
import { gunzipSync, gzip, gzipSync } from 'node:zlib';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DATA_FAMILIES, type DataFamily, type Sample } from './families';
import { toOpenMetrics } from './openmetrics';
import type { SelfMetrics } from './self';

/**
 * prom-client default metrics that `promtool check metrics` rejects: gauges whose names end in
 * `_total`. Their non-`_total` twins (`nodejs_active_handles` ...) carry the same information.
 */
const REJECTED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const EOF_LINE = '# EOF\n';

const gzipAsync = promisify(gzip);

/** What a scrape asks for. */
export interface PageRequest {
  readonly openMetrics: boolean;
  /** gzip the body (Prometheus sends `Accept-Encoding: gzip`). */
  readonly gzip: boolean;
}

/**
 * One /metrics answer: its content type, its encoding and its body in parts, the kept text
 * first, sent as they are. Gzipped parts are separate gzip members, which together are one
 * valid gzip stream (RFC 1952).
 */
export class MetricsPage {
  readonly contentType: string;
  readonly contentEncoding: 'gzip' | null;
  readonly parts: readonly Buffer[];

  constructor(contentType: string, contentEncoding: 'gzip' | null, parts: readonly Buffer[]) {
    this.contentType = contentType;
    this.contentEncoding = contentEncoding;
    this.parts = parts;
  }

  get byteLength(): number {
    return this.parts.reduce((n, part) => n + part.length, 0);
  }

  /** The whole body as one string, decoded (for `--once` and tests; the server writes the parts). */
  get body(): string {
    const bytes = Buffer.concat(this.parts);
    return (this.contentEncoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
  }
}

/** A kept text, plain and gzipped. */
interface Kept {
  readonly plain: Buffer;
  readonly gzip: Buffer;
}

async function keep(text: string): Promise<Kept> {
  const plain = Buffer.from(text);
  return { plain, gzip: await gzipAsync(plain) };
}

/** How long one collection of the live process metrics serves scrapes. */
const LIVE_TTL_MS = 1_000;

const NOTHING_KEPT: Kept = { plain: Buffer.alloc(0), gzip: gzipSync(Buffer.alloc(0)) };

/**
 * The /metrics text. The JOC data series and the exporter's self-metrics are rendered once, after
 * each poll, in both formats, plain and gzipped, and kept; a scrape adds only the handful of live
 * process metrics (CPU, memory, event loop) to the kept bytes, so it costs almost nothing however
 * large the inventory.
 */
export class Exposition {
  readonly #self: SelfMetrics;
  readonly #process: Registry | null;
  /** Per JOC, the samples of its last poll, in configuration order. */
  readonly #samples = new Map<string, readonly Sample[]>();
  /** The kept texts as bytes, plain and gzipped, so a scrape sends them without encoding them again. */
  #kept: { readonly text: Kept; readonly openMetrics: Kept } = { text: NOTHING_KEPT, openMetrics: NOTHING_KEPT };
  #rendering: Promise<void> = Promise.resolve();
  /** A render asked for that has not started yet. */
  #queued: Promise<void> | null = null;
  /** The live process metrics per format, and when they were collected (performance.now()). */
  readonly #liveCache = new Map<'text' | 'openMetrics', { readonly at: number; readonly kept: Promise<Kept> }>();

  constructor(self: SelfMetrics, options: { processMetrics?: boolean; jocOrder?: readonly string[] } = {}) {
    this.#self = self;
    this.#process = options.processMetrics === false ? null : processRegistry();
    for (const joc of options.jocOrder ?? []) this.#samples.set(joc, []);
  }

  /** Replaces the samples of one JOC with those of its latest poll and renders the text again. */
  publish(joc: string, samples: readonly Sample[]): Promise<void> {
    this.#samples.set(joc, samples);
    return this.render();
  }

  /**
   * Renders the kept text from the current samples and self-metrics. Renders run one at a time,
   * and calls that come while one waits to start share it: it reads the samples when it starts,
   * so JOCs whose polls end together cost one render, not one each.
   */
  render(): Promise<void> {
    if (this.#queued) return this.#queued;
    const queued = this.#rendering.then(() => {
      this.#queued = null;
      return this.#renderNow();
    });
    this.#queued = queued;
    this.#rendering = queued;
    return queued;
  }

  /** The kept text without process metrics, in the Prometheus text format (for tests). */
  get text(): string {
    return this.#kept.text.plain.toString('utf8');
  }

  /** The answer to one scrape: the kept text plus live process metrics, in the asked format. */
  async page(request: PageRequest = { openMetrics: false, gzip: false }): Promise<MetricsPage> {
    const kept = this.#kept;
    const format = request.openMetrics ? 'openMetrics' : 'text';
    const tail = await this.#live(format);
    const [contentType, head] = request.openMetrics
      ? [Registry.OPENMETRICS_CONTENT_TYPE, kept.openMetrics]
      : [Registry.PROMETHEUS_CONTENT_TYPE, kept.text];
    return request.gzip
      ? new MetricsPage(contentType, 'gzip', [head.gzip, tail.gzip])
      : new MetricsPage(contentType, null, [head.plain, tail.plain]);
  }

  /**
   * The live process metrics in one format, collected at most once per LIVE_TTL_MS: collecting
   * them (reading /proc, walking the event-loop delay histogram) costs more than sending the kept
   * bytes, and scrapes that come together, or a dozen Prometheus servers, share one collection.
   */
  #live(format: 'text' | 'openMetrics'): Promise<Kept> {
    const now = performance.now();
    const cached = this.#liveCache.get(format);
    if (cached && now - cached.at < LIVE_TTL_MS) return cached.kept;
    const kept = this.#collectLive(format);
    this.#liveCache.set(format, { at: now, kept });
    kept.catch(() => this.#liveCache.delete(format));
    return kept;
  }

  async #collectLive(format: 'text' | 'openMetrics'): Promise<Kept> {
    const live = this.#process ? await this.#process.metrics() : '';
    const text = format === 'openMetrics' ? `${toOpenMetrics(live)}${EOF_LINE}` : live;
    const plain = Buffer.from(text);
    return { plain, gzip: gzipSync(plain) };
  }

  async #renderNow(): Promise<void> {
    const data = new Registry();
    const gauges = new Map(
      DATA_FAMILIES.map((family) => [
        family.name,
        new Gauge({ name: family.name, help: family.help, labelNames: family.labelNames, registers: [] }),
      ]),
    );
    const used = new Set<string>();
    const cumulative = new Map<string, CumulativeValue[]>();
    for (const samples of this.#samples.values()) {
      for (const sample of samples) {
        used.add(sample.family.name);
        if (!sample.family.type || sample.family.type === 'gauge') {
          gauges.get(sample.family.name)!.set(sample.labels, sample.value);
          continue;
        }
        let values = cumulative.get(sample.family.name);
        if (!values) cumulative.set(sample.family.name, (values = []));
        values.push({ labels: sample.labels, value: sample.value, metricName: sample.family.name + (sample.suffix ?? '') });
      }
    }
    for (const family of DATA_FAMILIES) {
      if (!used.has(family.name)) continue;
      const values = cumulative.get(family.name);
      data.registerMetric(values ? (cumulativeMetric(family, values) as unknown as Gauge) : gauges.get(family.name)!);
    }
    const text = await Registry.merge([data, this.#self.registry]).metrics();
    const [plain, openMetrics] = await Promise.all([keep(text), keep(toOpenMetrics(text))]);
    this.#kept = { text: plain, openMetrics };
  }
}

/**
 * prom-client's event-loop delay summaries, read from one `monitorEventLoopDelay` histogram that
 * each collection resets. A collection less than a sampling interval (10 ms) after the previous
 * one, or after the start (`--once` against a JOC that is down), finds it empty, and prom-client
 * then sets min to 2^63 ns (9223372036.85 s), mean and stddev to NaN. Those are no measurements:
 * such a collection leaves the summaries without a sample.
 */
const LAG_GAUGE = 'nodejs_eventloop_lag_seconds';
const LAG_SUMMARIES = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'].map((s) => `nodejs_eventloop_lag_${s}_seconds`);

function omitEmptyLagWindows(registry: Registry): void {
  // The lag gauge's `collect` sets all the summaries at once, synchronously (prom-client's
  // eventLoopLag.js); it is a property of the metric object, not in prom-client's class types.
  // The registry reads each summary right after that call, so the check must be synchronous too:
  // the mean's `set` notes whether the window had a sample (its mean is NaN when it had none).
  const lag = registry.getSingleMetric(LAG_GAUGE) as { collect?: () => unknown } | undefined;
  const summaries = LAG_SUMMARIES.map((name) => registry.getSingleMetric(name)).filter((m): m is Gauge => m instanceof Gauge);
  const mean = registry.getSingleMetric('nodejs_eventloop_lag_mean_seconds');
  const collect = lag?.collect;
  if (!lag || !collect || !(mean instanceof Gauge) || summaries.length !== LAG_SUMMARIES.length) return;
  let sampled = true;
  const setMean = mean.set.bind(mean) as (labels: object, value: number) => void;
  (mean as unknown as { set: (labels: object, value: number) => void }).set = (labels, value) => {
    sampled = Number.isFinite(value);
    setMean(labels, value);
  };
  lag.collect = function collectLag(this: unknown): unknown {
    const result = collect.call(this);
    if (!sampled) for (const summary of summaries) summary.remove({});
    return result;
  };
}

/** One rendered value of a counter or histogram family. */
interface CumulativeValue {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly metricName: string;
}

/**
 * A counter or histogram family as prom-client's registry renders it (the `get()` shape of its own
 * metrics). prom-client's Counter and Histogram can only be incremented and observed; these values
 * are the cumulative state of the history engine, set as they are at each render.
 */
function cumulativeMetric(family: DataFamily, values: readonly CumulativeValue[]) {
  const type = family.type as 'counter' | 'histogram';
  return {
    name: family.name,
    help: family.help,
    type,
    get: async () => ({ name: family.name, help: family.help, type, values, aggregator: 'sum' }),
  };
}

let processMetrics: Registry | null = null;

/**
 * prom-client's process and Node.js metrics, one registry per process: they describe the process,
 * and prom-client's collectors (an event-loop monitor, a GC observer) cannot be stopped once
 * started, so every Exposition in the process shares them.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
    for (const name of REJECTED_DEFAULT_METRICS) processMetrics.removeSingleMetric(name);
    omitEmptyLagWindows(processMetrics);
  }
  return processMetrics;
}
