/**
 * A JOC data metric (CONTRACT §4, §7 and §8): name, help and label names. Its series are rebuilt
 * from each poll's answers (src/metrics/families.ts lists them all, in /metrics order).
 */
export interface DataFamily {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /**
   * The Prometheus type; absent = gauge. Counter and histogram values are cumulative state kept
   * across polls (the history of CONTRACT §8.1), rendered as they are.
   */
  readonly type?: 'gauge' | 'counter' | 'histogram';
}

export function dataFamily(name: string, help: string, labelNames: readonly string[], type?: DataFamily['type']): DataFamily {
  return type ? { name, help, labelNames, type } : { name, help, labelNames };
}
