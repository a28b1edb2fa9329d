import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DATA_FAMILIES, type Sample } from './families';
import { toOpenMetrics } from './openmetrics';
import type { SelfMetrics } from './self';

/**
 * prom-client default metrics that `promtool check metrics` rejects: gauges whose names end in
 * `_total`. Their non-`_total` twins (`nodejs_active_handles` ...) carry the same information.
 */
const REJECTED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const EOF_LINE = Buffer.from('# EOF\n');

/** One /metrics answer: its content type and its body in parts, the kept text first, sent as they are. */
export class MetricsPage {
  readonly contentType: string;
  readonly parts: readonly Buffer[];

  constructor(contentType: string, parts: readonly Buffer[]) {
    this.contentType = contentType;
    this.parts = parts;
  }

  get byteLength(): number {
    return this.parts.reduce((n, part) => n + part.length, 0);
  }

  /** The whole body as one string (for `--once` and tests; the server writes the parts). */
  get body(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

/**
 * The /metrics text. The JOC data series and the exporter's self-metrics are rendered once, after
 * each poll, in both formats, and kept; a scrape adds only the handful of live process metrics
 * (CPU, memory, event loop) to the kept text, so it costs almost nothing however large the
 * inventory.
 */
export class Exposition {
  readonly #self: SelfMetrics;
  readonly #process: Registry | null;
  /** Per JOC, the samples of its last poll, in configuration order. */
  readonly #samples = new Map<string, readonly Sample[]>();
  #text = '';
  /** The kept texts as bytes, so a scrape sends them without copying or encoding them again. */
  #textBytes = Buffer.alloc(0);
  #openMetricsBytes = Buffer.alloc(0);
  #rendering: Promise<void> = Promise.resolve();

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

  /** Renders the kept text from the current samples and self-metrics (renders run one at a time). */
  render(): Promise<void> {
    this.#rendering = this.#rendering.then(() => this.#renderNow());
    return this.#rendering;
  }

  /** The kept text without process metrics, in the Prometheus text format (for tests). */
  get text(): string {
    return this.#text;
  }

  /** The answer to one scrape: the kept text plus live process metrics, in the asked format. */
  async page(openMetrics: boolean): Promise<MetricsPage> {
    const live = this.#process ? await this.#process.metrics() : '';
    if (openMetrics) {
      return new MetricsPage(Registry.OPENMETRICS_CONTENT_TYPE, [this.#openMetricsBytes, Buffer.from(toOpenMetrics(live)), EOF_LINE]);
    }
    return new MetricsPage(Registry.PROMETHEUS_CONTENT_TYPE, [this.#textBytes, Buffer.from(live)]);
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
    for (const samples of this.#samples.values()) {
      for (const sample of samples) {
        gauges.get(sample.family.name)!.set(sample.labels, sample.value);
        used.add(sample.family.name);
      }
    }
    for (const family of DATA_FAMILIES) {
      if (used.has(family.name)) data.registerMetric(gauges.get(family.name)!);
    }
    this.#text = await Registry.merge([data, this.#self.registry]).metrics();
    this.#textBytes = Buffer.from(this.#text);
    this.#openMetricsBytes = Buffer.from(toOpenMetrics(this.#text));
  }
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
  }
  return processMetrics;
}
