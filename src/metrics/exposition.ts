import { collectDefaultMetrics, Gauge, Registry, type Metric } from 'prom-client';
import { DATA_FAMILIES, type Sample } from './families';
import { both, newRegistryPair, type RegistryPair } from './registries';
import type { SelfMetrics } from './self';

/**
 * prom-client default metrics that `promtool check metrics` rejects: gauges whose names end in
 * `_total`. Their non-`_total` twins (`nodejs_active_handles` ...) carry the same information.
 */
const REJECTED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const EOF_LINE = '# EOF\n';

/** The body and content type of one /metrics answer. */
export interface MetricsPage {
  readonly contentType: string;
  readonly body: string;
}

/**
 * The /metrics text. The JOC data series and the exporter's self-metrics are rendered once, after
 * each poll, in both formats, and kept; a scrape adds only the handful of live process metrics
 * (CPU, memory, event loop) to the kept text, so it costs almost nothing however large the
 * inventory.
 */
export class Exposition {
  readonly #self: SelfMetrics;
  readonly #process: RegistryPair | null;
  /** Per JOC, the samples of its last poll, in configuration order. */
  readonly #samples = new Map<string, readonly Sample[]>();
  #text = '';
  #openMetrics = EOF_LINE;
  #rendering: Promise<void> = Promise.resolve();

  constructor(self: SelfMetrics, options: { processMetrics?: boolean; jocOrder?: readonly string[] } = {}) {
    this.#self = self;
    this.#process = options.processMetrics === false ? null : processRegistries();
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

  /** The kept text without process metrics, in the Prometheus text format (for `--once` and tests). */
  get text(): string {
    return this.#text;
  }

  /** The answer to one scrape: the kept text plus live process metrics, in the asked format. */
  async page(openMetrics: boolean): Promise<MetricsPage> {
    if (openMetrics) {
      const live = this.#process ? await this.#process.openMetrics.metrics() : EOF_LINE;
      return { contentType: Registry.OPENMETRICS_CONTENT_TYPE, body: stripEof(this.#openMetrics) + live };
    }
    const live = this.#process ? await this.#process.text.metrics() : '';
    return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: this.#text + live };
  }

  async #renderNow(): Promise<void> {
    const data = newRegistryPair();
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
      if (!used.has(family.name)) continue;
      for (const registry of both(data)) registry.registerMetric(gauges.get(family.name)!);
    }
    const self = this.#self.registries;
    this.#text = await Registry.merge([data.text, self.text]).metrics();
    this.#openMetrics = await Registry.merge([
      data.openMetrics as unknown as Registry,
      self.openMetrics as unknown as Registry,
    ]).metrics();
  }
}

function processRegistries(): RegistryPair {
  const pair = newRegistryPair();
  collectDefaultMetrics({ register: pair.text });
  for (const name of REJECTED_DEFAULT_METRICS) pair.text.removeSingleMetric(name);
  for (const metric of pair.text.getMetricsAsArray()) {
    pair.openMetrics.registerMetric(metric as unknown as Metric);
  }
  return pair;
}

function stripEof(text: string): string {
  return text.endsWith(EOF_LINE) ? text.slice(0, -EOF_LINE.length) : text;
}
