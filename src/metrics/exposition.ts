import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DATA_FAMILIES, type Sample } from './families';
import { toOpenMetrics } from './openmetrics';
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
  readonly #process: Registry | null;
  /** Per JOC, the samples of its last poll, in configuration order. */
  readonly #samples = new Map<string, readonly Sample[]>();
  #text = '';
  #openMetrics = '';
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
      return { contentType: Registry.OPENMETRICS_CONTENT_TYPE, body: this.#openMetrics + toOpenMetrics(live) + EOF_LINE };
    }
    return { contentType: Registry.PROMETHEUS_CONTENT_TYPE, body: this.#text + live };
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
    this.#openMetrics = toOpenMetrics(this.#text);
  }
}

function processRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of REJECTED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  return registry;
}
