import { once } from 'node:events';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
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

/** A kept text: its plain bytes in parts, sent one after the other, and all of them gzipped. */
interface Kept {
  readonly plain: readonly Buffer[];
  readonly gzip: Buffer;
}

/** The parts as one gzip stream, without joining them first. */
async function gzipParts(parts: readonly Buffer[]): Promise<Buffer> {
  const gzip = createGzip();
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = once(gzip, 'end');
  for (const part of parts) gzip.write(part);
  gzip.end();
  await ended;
  return Buffer.concat(out);
}

async function keep(parts: readonly Buffer[]): Promise<Kept> {
  return { plain: parts, gzip: await gzipParts(parts) };
}

/** Parts smaller than this are joined with their small neighbours, so that a page has few parts. */
const SMALL_PART = 64 * 1024;

/** Joins each run of small parts into one Buffer; large parts stay the objects they are. */
function packParts(parts: readonly Buffer[]): Buffer[] {
  const packed: Buffer[] = [];
  let run: Buffer[] = [];
  const flush = (): void => {
    if (run.length) packed.push(run.length === 1 ? run[0]! : Buffer.concat(run));
    run = [];
  };
  for (const part of parts) {
    if (part.length >= SMALL_PART) {
      flush();
      packed.push(part);
    } else run.push(part);
  }
  flush();
  return packed;
}

/** How long one collection of the live process metrics serves scrapes. */
const LIVE_TTL_MS = 1_000;

const NOTHING_KEPT: Kept = { plain: [], gzip: gzipSync(Buffer.alloc(0)) };

/**
 * The /metrics text. The JOC data series and the exporter's self-metrics are rendered once, after
 * each poll, in both formats, plain and gzipped, and kept; a scrape adds only the handful of live
 * process metrics (CPU, memory, event loop) to the kept bytes, so it costs almost nothing however
 * large the inventory.
 */
export class Exposition {
  readonly #self: SelfMetrics;
  readonly #process: Registry | null;
  /**
   * Per JOC, in configuration order, the series of its last poll as bytes, per data family: kept
   * between polls instead of its samples, which are many small objects where the bytes are a few
   * Buffers, and a render re-renders only the JOCs whose polls ended since the last one.
   */
  readonly #series = new Map<string, ReadonlyMap<DataFamily, Chunk>>();
  /** Samples published since the last render started, per JOC: rendered into #series by the next one. */
  readonly #published = new Map<string, readonly Sample[]>();
  /** Each data family's `# HELP` and `# TYPE` lines, as the first render of it found them. */
  readonly #headers = new Map<DataFamily, Chunk>();
  /** The kept texts as bytes, plain and gzipped, so a scrape sends them without encoding them again. */
  #kept: { readonly text: Kept; readonly openMetrics: Kept } = { text: NOTHING_KEPT, openMetrics: NOTHING_KEPT };
  #rendering: Promise<void> = Promise.resolve();
  /** A render asked for that has not started yet. */
  #queued: Promise<void> | null = null;
  /** The live process metrics per format, and when they were collected (performance.now()). */
  readonly #liveCache = new Map<'text' | 'openMetrics', { readonly at: number; readonly kept: Promise<Kept> }>();
  readonly #collect: (() => void) | undefined;

  /**
   * `collect` runs as each render starts, before it reads the published samples, and again once
   * its text is kept: twice per render, however many JOCs' polls share it (the exporter collects
   * the polls' garbage there, src/util/gc.ts).
   */
  constructor(
    self: SelfMetrics,
    options: { processMetrics?: boolean; jocOrder?: readonly string[]; collect?: () => void } = {},
  ) {
    this.#self = self;
    this.#collect = options.collect;
    this.#process = options.processMetrics === false ? null : processRegistry();
    for (const joc of options.jocOrder ?? []) this.#series.set(joc, new Map());
  }

  /** Replaces the series of one JOC with the samples of its latest poll and renders the text again. */
  publish(joc: string, samples: readonly Sample[]): Promise<void> {
    this.#published.set(joc, samples);
    if (!this.#series.has(joc)) this.#series.set(joc, new Map());
    return this.render();
  }

  /**
   * Renders the kept text from the current series and self-metrics. Renders run one at a time,
   * and calls that come while one waits to start share it: it reads the published samples when it
   * starts, so JOCs whose polls end together cost one render, not one each.
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
    return Buffer.concat(this.#kept.text.plain).toString('utf8');
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
      : new MetricsPage(contentType, null, [...head.plain, ...tail.plain]);
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
    return { plain: [plain], gzip: gzipSync(plain) };
  }

  async #renderNow(): Promise<void> {
    this.#collect?.();
    const published = [...this.#published];
    this.#published.clear();
    for (const [joc, samples] of published) this.#series.set(joc, await this.#renderSeries(samples));
    // Each family's header, then its series JOC by JOC: the same bytes as rendering all the JOCs'
    // samples together, because every data family has the `joc` label, so a label set never
    // comes from two JOCs.
    const text: Buffer[] = [];
    const openMetrics: Buffer[] = [];
    const jocs = [...this.#series.values()];
    for (const family of DATA_FAMILIES) {
      const header = this.#headers.get(family);
      const chunks = jocs.map((series) => series.get(family)).filter((c): c is Chunk => c !== undefined);
      if (!header || !chunks.length) continue;
      text.push(header.text, ...chunks.map((c) => c.text), BLANK_LINE);
      openMetrics.push(header.openMetrics, ...chunks.map((c) => c.openMetrics));
    }
    const self = await this.#self.registry.metrics();
    text.push(Buffer.from(self));
    openMetrics.push(Buffer.from(toOpenMetrics(self)));
    const [keptText, keptOpenMetrics] = await Promise.all([keep(packParts(text)), keep(packParts(openMetrics))]);
    this.#kept = { text: keptText, openMetrics: keptOpenMetrics };
    this.#collect?.();
  }

  /**
   * One JOC's samples as bytes, per family, in both formats, without the families' HELP and TYPE
   * lines (kept once per family in #headers). One family at a time, each turned into bytes at once:
   * the text never exists as one string, and the bytes of a gauge family, the same in both
   * formats, are kept once for both.
   */
  async #renderSeries(samples: readonly Sample[]): Promise<Map<DataFamily, Chunk>> {
    const series = new Map<DataFamily, Chunk>();
    for (const [family, values] of renderedValues(samples)) {
      // A large family in slices: the lines of one slice die young, where those of a whole
      // family of 7,500 series would outlive the young generation and fill the old one.
      const same = sameInOpenMetrics(family);
      const slices: Buffer[] = [];
      const converted: Buffer[] = [];
      for (let start = 0; start < values.length; start += SLICE) {
        const registry = new Registry();
        registry.registerMetric(renderedMetric(family, values.slice(start, start + SLICE)));
        // prom-client starts each family with its HELP and TYPE lines and ends it with a newline.
        const rendered = await registry.metrics();
        const openMetricsText = same ? rendered : toOpenMetrics(rendered);
        if (!this.#headers.has(family)) this.#headers.set(family, headerOf(rendered, openMetricsText));
        slices.push(withoutHeader(rendered));
        if (!same) converted.push(withoutHeader(openMetricsText));
      }
      const bytes = Buffer.concat(slices);
      series.set(family, { text: bytes, openMetrics: same ? bytes : Buffer.concat(converted) });
    }
    return series;
  }
}

/** Bytes of one family in both formats; the same Buffer when the formats agree. */
interface Chunk {
  readonly text: Buffer;
  readonly openMetrics: Buffer;
}

/** Where a rendered family's lines start, after its `# HELP` and `# TYPE` lines. */
function afterHeader(rendered: string): number {
  return rendered.indexOf('\n', rendered.indexOf('\n') + 1) + 1;
}

function withoutHeader(rendered: string): Buffer {
  return Buffer.from(rendered.slice(afterHeader(rendered)));
}

function headerOf(rendered: string, openMetricsText: string): Chunk {
  const text = Buffer.from(rendered.slice(0, afterHeader(rendered)));
  return { text, openMetrics: openMetricsText === rendered ? text : Buffer.from(openMetricsText.slice(0, afterHeader(openMetricsText))) };
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

/** One rendered value of a data family, in the shape prom-client's registry renders. */
interface RenderedValue {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
  /** Histograms only: the family's name with the sample's suffix. */
  readonly metricName?: string;
  /** Always NO_SHARED_LABELS (see there). */
  readonly sharedLabels: Readonly<Record<string, string>>;
}

/**
 * prom-client renders a value's `sharedLabels` once per object and remembers the result in a
 * WeakMap; a value without them gets a new empty object each time, so every line of every render
 * would add a WeakMap entry. One empty object for all values renders the same text.
 */
const NO_SHARED_LABELS: Readonly<Record<string, string>> = Object.freeze({});

const BLANK_LINE = Buffer.from('\n');

/** Series of one family rendered at a time. */
const SLICE = 500;

/**
 * Whether a family's text is the same in OpenMetrics as in the Prometheus text format: a gauge,
 * whose help has no double quote (toOpenMetrics changes only counter names and HELP quotes).
 */
function sameInOpenMetrics(family: DataFamily): boolean {
  return (family.type ?? 'gauge') === 'gauge' && !family.help.includes('"');
}

/**
 * The values of every data family that has samples among one JOC's. A gauge's label set that
 * comes again replaces the earlier value in its place, as prom-client's `Gauge.set` does, so a
 * JOC answer that lists an object twice can never make a scrape fail on a duplicate series.
 * The values go to the registry as they are: setting them on prom-client Gauges would hash
 * every label set (its keys sorted, a key string built) only to read them back, some 20 MB of
 * garbage per render at 13,000 series.
 */
function renderedValues(samples: readonly Sample[]): Map<DataFamily, RenderedValue[]> {
  const byFamily = new Map<DataFamily, RenderedValue[]>();
  const gaugeIndex = new Map<DataFamily, Map<string, number>>();
  for (const sample of samples) {
    const { family } = sample;
    let values = byFamily.get(family);
    if (!values) byFamily.set(family, (values = []));
    if (family.type && family.type !== 'gauge') {
      values.push({ labels: sample.labels, value: sample.value, metricName: family.name + (sample.suffix ?? ''), sharedLabels: NO_SHARED_LABELS });
      continue;
    }
    let index = gaugeIndex.get(family);
    if (!index) gaugeIndex.set(family, (index = new Map()));
    const key = labelKey(family, sample.labels);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, values.length);
      values.push({ labels: sample.labels, value: sample.value, sharedLabels: NO_SHARED_LABELS });
    } else values[at]!.value = sample.value;
  }
  return byFamily;
}

/** A label set's identity within its family: the values of its label names, in their order. */
function labelKey(family: DataFamily, labels: Readonly<Record<string, string>>): string {
  let key = '';
  for (const name of family.labelNames) key += `${labels[name] ?? '\u0000'}\u0001`;
  return key;
}

/**
 * A data family as prom-client's registry renders it (the `get()` shape of its own metrics):
 * gauges as the last poll left them; counter and histogram values are the cumulative state of
 * the history engine, set as they are at each render (prom-client's Counter and Histogram can
 * only be incremented and observed).
 */
function renderedMetric(family: DataFamily, values: readonly RenderedValue[]): Gauge {
  const type = family.type ?? 'gauge';
  const metric = {
    name: family.name,
    help: family.help,
    type,
    get: async () => ({ name: family.name, help: family.help, type, values, aggregator: 'sum' }),
  };
  return metric as unknown as Gauge;
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
