/**
 * The JOC data metrics (CONTRACT §4): names, help and label names. Their series are rebuilt from
 * each poll's answers.
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
