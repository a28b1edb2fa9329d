/**
 * prometheus/alerts.yml and its unit tests prometheus/alerts.test.yml.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describeWithTools } from '../support/tools';
import { contractMetricOf, nonContractSelectors, parsePromQL } from './promql';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const RULES = join(ROOT, 'prometheus', 'alerts.yml');
const RULE_TESTS = join(ROOT, 'prometheus', 'alerts.test.yml');
const RUNBOOK_BASE = 'https://github.com/jobscheduler-exporter/jobscheduler-exporter/blob/main/README.md#';

/** CONTRACT §6: the alerts that must ship. */
const REQUIRED_ALERTS = [
  'JobSchedulerOrdersSuspended',
  'JobSchedulerDown',
  'JobSchedulerJocDown',
  'JobSchedulerMasterUnreachable',
  'JobSchedulerJobChainStopped',
  'JobSchedulerExporterPollStale',
  'JobSchedulerOrdersFailed',
  'JobSchedulerControllerClusterNotCoupled',
];

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleTestCase {
  name?: string;
  alert_rule_test?: {
    eval_time: string;
    alertname: string;
    exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
  }[];
}

const rulesDoc = parse(readFileSync(RULES, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
const rules = rulesDoc.groups.flatMap((g) => g.rules);
const alertNames = rules.map((r) => r.alert);
const testsDoc = parse(readFileSync(RULE_TESTS, 'utf8')) as { rule_files: string[]; tests: RuleTestCase[] };
const ruleTests = testsDoc.tests.flatMap((t) => t.alert_rule_test ?? []);

/** Headings `### Name` of a markdown file. */
function headings(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^###\s+(\S.*?)\s*$/gm)].map((m) => m[1]);
}

describeWithTools('prometheus/alerts.yml with promtool', ['promtool'], (tools) => {
  test('promtool check rules passes', async () => {
    const { stdout } = await run(tools.promtool, ['check', 'rules', RULES]);
    expect(stdout).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  test('promtool test rules passes', async () => {
    // promtool resolves rule_files relative to the test file; run it from any directory.
    const { stdout } = await run(tools.promtool, ['test', 'rules', RULE_TESTS], { cwd: ROOT });
    expect(stdout).toMatch(/SUCCESS/);
    expect(stdout).not.toMatch(/FAILED/);
  });
});

describe('prometheus/alerts.yml structure', () => {
  test('one group "jobscheduler" holding only alerting rules with unique names', () => {
    expect(rulesDoc.groups.map((g) => g.name)).toEqual(['jobscheduler']);
    expect(rules.every((r) => typeof r.alert === 'string' && r.alert.length > 0)).toBe(true);
    expect(new Set(alertNames).size).toBe(alertNames.length);
  });

  test('the alerts CONTRACT §6 requires are there', () => {
    expect(alertNames).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
  });

  test.each(rules.map((r) => [r.alert, r] as const))('%s: severity, summary, description, runbook_url, for', (name, rule) => {
    expect(name).toMatch(/^JobScheduler[A-Z][A-Za-z]+$/);
    expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
    expect(rule.for).toMatch(/^\d+[smh]$/);
    const a = rule.annotations ?? {};
    expect(Object.keys(a).sort()).toEqual(['description', 'runbook_url', 'summary']);
    // summary: a static headline; description: templated with the JOC at least.
    expect(a.summary).not.toContain('{{');
    expect(a.summary).toMatch(/^[A-Z].*\.$/);
    expect(a.description).toContain('{{ $labels.joc }}');
    expect(a.runbook_url).toBe(RUNBOOK_BASE + name.toLowerCase());
  });

  test.each(rules.map((r) => [r.alert, r] as const))(
    '%s: the description names every object label of the alerting metric',
    (_name, rule) => {
      // The left-most selector is the series the alert is about; the others only guard it.
      const metric = contractMetricOf(parsePromQL(rule.expr).selectors[0]);
      const objectLabels = (metric?.labels ?? []).filter((l) => ['joc', 'jobscheduler_id', 'job_chain', 'url'].includes(l));
      expect(objectLabels).toContain('joc');
      for (const label of objectLabels) expect(rule.annotations?.description).toContain(`{{ $labels.${label} }}`);
    },
  );

  test('the required alerts test what CONTRACT §6 says', () => {
    const byName = new Map(rules.map((r) => [r.alert, r]));
    expect(byName.get('JobSchedulerOrdersSuspended')?.expr).toMatch(/jobscheduler_orders\{state="suspended"\} > 0/);
    expect(byName.get('JobSchedulerOrdersSuspended')?.for).toBe('5m');
    expect(byName.get('JobSchedulerDown')?.expr).toMatch(/jobscheduler_up == 0/);
    expect(byName.get('JobSchedulerDown')?.for).toBe('5m');
    expect(byName.get('JobSchedulerJocDown')?.expr).toMatch(/jobscheduler_joc_up == 0/);
    expect(byName.get('JobSchedulerOrdersFailed')?.expr).toMatch(/jobscheduler_orders\{state="failed"\} > 0/);
    expect(byName.get('JobSchedulerOrdersFailed')?.for).toBe('5m');
    expect(byName.get('JobSchedulerControllerClusterNotCoupled')?.expr).toMatch(/jobscheduler_controller_cluster_state\{state="coupled"\} == 0/);
    expect(byName.get('JobSchedulerControllerClusterNotCoupled')?.for).toBe('10m');
    expect(byName.get('JobSchedulerExporterPollStale')?.expr).toMatch(
      /time\(\) - jobscheduler_exporter_last_poll_success_timestamp_seconds > \d+/,
    );
  });

  test.each(rules.map((r) => [r.alert, r.expr] as const))('%s: parses and uses only metrics of CONTRACT §4', (_name, expr) => {
    const parsed = parsePromQL(expr);
    expect(parsed.errors).toEqual([]);
    expect(parsed.selectors.length).toBeGreaterThan(0);
    expect(nonContractSelectors(parsed)).toEqual([]);
  });
});

describe('prometheus/alerts.test.yml covers every alert', () => {
  test('it loads alerts.yml', () => {
    expect(testsDoc.rule_files).toEqual(['alerts.yml']);
  });

  test.each(alertNames.map((n) => [n]))('%s: at least one firing case and one quiet case', (name) => {
    const cases = ruleTests.filter((t) => t.alertname === name);
    expect(cases.filter((t) => (t.exp_alerts ?? []).length > 0).length).toBeGreaterThanOrEqual(1);
    expect(cases.filter((t) => (t.exp_alerts ?? []).length === 0).length).toBeGreaterThanOrEqual(1);
  });

  test('every expected alert states its severity and all of its annotations exactly', () => {
    const byName = new Map(rules.map((r) => [r.alert, r]));
    for (const t of ruleTests) {
      expect(byName.has(t.alertname)).toBe(true);
      const rule = byName.get(t.alertname)!;
      for (const exp of t.exp_alerts ?? []) {
        expect(exp.exp_labels?.severity).toBe(rule.labels?.severity);
        expect(Object.keys(exp.exp_annotations ?? {}).sort()).toEqual(Object.keys(rule.annotations ?? {}).sort());
        // A rendered description: no template left, and the JOC named.
        expect(exp.exp_annotations?.description).not.toContain('{{');
        expect(exp.exp_annotations?.description).toContain(exp.exp_labels?.joc ?? '<no joc label>');
      }
    }
  });
});

describe('runbooks: one "### <AlertName>" heading per alert', () => {
  test('README.md has the anchor of every runbook_url, once', () => {
    const found = headings(join(ROOT, 'README.md'));
    expect(alertNames.filter((n) => !found.includes(n))).toEqual([]);
    // GitHub derives the anchor from the heading; a duplicate heading would get a "-1" suffix.
    expect(alertNames.filter((n) => found.filter((h) => h.toLowerCase() === n.toLowerCase()).length > 1)).toEqual([]);
  });
});
