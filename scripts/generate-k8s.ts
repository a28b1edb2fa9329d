/**
 * npm run generate:k8s: writes deploy/kubernetes/prometheusrule.yaml, the Prometheus Operator's
 * PrometheusRule holding the groups of prometheus/alerts.yml. alerts.yml is the one source of
 * the rules (promtool checks and unit-tests it); the PrometheusRule is derived from it, and a
 * test fails when the committed file is not what this script writes.
 *
 *   npm run generate:k8s             write the file
 *   npm run generate:k8s -- --check  exit 1 when the file is out of date (write nothing)
 *
 * The groups are copied as YAML nodes, so comments, block scalars and key order of alerts.yml
 * carry over and the generated file reads like the source.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isSeq, parseDocument } from 'yaml';

export const ALERTS_PATH = 'prometheus/alerts.yml';
export const PROMETHEUS_RULE_PATH = 'deploy/kubernetes/prometheusrule.yaml';
export const REGENERATE_HINT = `${PROMETHEUS_RULE_PATH} is generated from ${ALERTS_PATH}: run \`npm run generate:k8s\` and commit the result`;

const HEADER = ` Generated from ${ALERTS_PATH} by \`npm run generate:k8s\`: do not edit, change
 ${ALERTS_PATH} and run it again. A Prometheus whose ruleSelector selects by label
 (kube-prometheus-stack: \`release: <its Helm release>\`) needs that label under metadata.labels.`;

/** The PrometheusRule manifest for the rule file `alertsText`, as YAML text. */
export function prometheusRuleYaml(alertsText: string): string {
  const source = parseDocument(alertsText);
  if (source.errors.length > 0) throw new Error(`${ALERTS_PATH}: ${source.errors.map((e) => e.message).join('; ')}`);
  const groups = source.get('groups', true);
  if (!isSeq(groups) || groups.items.length === 0) throw new Error(`${ALERTS_PATH}: no rule groups`);
  if (!isMap(source.contents) || source.contents.items.length !== 1) throw new Error(`${ALERTS_PATH}: only \`groups\` can be carried into a PrometheusRule`);

  const doc = new Document({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'jobscheduler-exporter',
      labels: { 'app.kubernetes.io/name': 'jobscheduler-exporter', 'app.kubernetes.io/component': 'exporter' },
    },
    spec: {},
  });
  doc.commentBefore = HEADER;
  doc.setIn(['spec', 'groups'], groups);
  return doc.toString({ lineWidth: 110 });
}

function main(argv: readonly string[]): number {
  const root = join(__dirname, '..', '..');
  const generated = prometheusRuleYaml(readFileSync(join(root, ALERTS_PATH), 'utf8'));
  const target = join(root, PROMETHEUS_RULE_PATH);
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current === generated) return 0;
    process.stderr.write(`${REGENERATE_HINT}\n`);
    return 1;
  }
  writeFileSync(target, generated);
  process.stdout.write(`wrote ${PROMETHEUS_RULE_PATH} from ${ALERTS_PATH}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
