import { Registry, type OpenMetricsContentType } from 'prom-client';

/**
 * A pair of registries holding the same metric objects, one rendering the Prometheus text format
 * 0.0.4 and one OpenMetrics 1.0, so /metrics can answer either without building metrics twice.
 */
export interface RegistryPair {
  readonly text: Registry;
  readonly openMetrics: Registry<OpenMetricsContentType>;
}

export function newRegistryPair(): RegistryPair {
  const openMetrics = new Registry<OpenMetricsContentType>();
  openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return { text: new Registry(), openMetrics };
}

/** Both registries of a pair, for a metric's `registers` option. */
export function both(pair: RegistryPair): Registry[] {
  return [pair.text, pair.openMetrics as unknown as Registry];
}
