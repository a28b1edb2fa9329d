/**
 * PromQL analysis for the tests of alert rules and dashboards, with the parser Prometheus' own
 * web UI uses (@prometheus-io/lezer-promql).
 */
import { parser } from '@prometheus-io/lezer-promql';
import { contractSeriesNames, type ContractMetric } from '../support/contract-metrics';

export interface LabelMatcher {
  readonly label: string;
  readonly op: string;
  /** The string literal's content, without quotes. */
  readonly value: string;
}

export interface Selector {
  /** The metric name, or null for a selector like {__name__=~"..."} */
  readonly name: string | null;
  readonly matchers: readonly LabelMatcher[];
  readonly text: string;
}

export interface ParsedPromQL {
  /** One entry per syntax error: the position and the text around it. */
  readonly errors: readonly string[];
  readonly selectors: readonly Selector[];
}

function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  return JSON.parse(literal.startsWith("'") ? `"${literal.slice(1, -1).replace(/"/g, '\\"')}"` : literal) as string;
}

export function parsePromQL(expr: string): ParsedPromQL {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        errors.push(`syntax error at ${ref.from}: ...${expr.slice(Math.max(0, ref.from - 20), ref.from + 20)}...`);
        return;
      }
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = node.getChild('Identifier');
      const matchers: LabelMatcher[] = [];
      const list = node.getChild('LabelMatchers');
      for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
        if (!m.name.endsWith('LabelMatcher')) continue;
        const labelNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
        const opNode = m.getChild('MatchOp');
        const valueNode = m.getChild('StringLiteral');
        if (!labelNode || !opNode || !valueNode) continue;
        const rawLabel = expr.slice(labelNode.from, labelNode.to);
        matchers.push({
          label: labelNode.name === 'QuotedLabelName' ? unquote(rawLabel) : rawLabel,
          op: expr.slice(opNode.from, opNode.to),
          value: unquote(expr.slice(valueNode.from, valueNode.to)),
        });
      }
      const nameMatcher = matchers.find((m) => m.label === '__name__' && m.op === '=');
      selectors.push({
        name: identifier ? expr.slice(identifier.from, identifier.to) : (nameMatcher?.value ?? null),
        matchers,
        text: expr.slice(node.from, node.to),
      });
    },
  });
  return { errors, selectors };
}

/** Metric names an expression selects that are not series of CONTRACT §4 (or selectors without a name). */
export function nonContractSelectors(parsed: ParsedPromQL): string[] {
  const known = contractSeriesNames();
  return parsed.selectors.filter((s) => s.name === null || !known.has(s.name)).map((s) => s.text);
}

export function contractMetricOf(selector: Selector): ContractMetric | undefined {
  return selector.name ? contractSeriesNames().get(selector.name) : undefined;
}

/** Grafana's interval variables, replaced by a duration for parsing. */
const GRAFANA_INTERVALS = ['__rate_interval', '__interval', '__range'];

/**
 * Replaces Grafana's interval variables by `1m` and each of `variables` by `.*`, as Grafana
 * would with "All" selected. Other `$` references are left as they are (and fail to parse).
 */
export function substituteGrafanaVariables(expr: string, variables: readonly string[]): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    if (GRAFANA_INTERVALS.includes(name)) return '1m';
    if (variables.includes(name)) return '.*';
    return whole;
  });
}
