/**
 * prometheus/alertmanager.yml with amtool: the config is valid, and the route tree sends each
 * severity that alerts.yml uses to the receiver its comments promise. The inhibitions are proved
 * with a real Alertmanager in test/e2e/alertmanager.test.ts.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { alertRules, type RuleFile } from '../support/rules';
import { describeWithTools } from '../support/tools';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const FILE = join(ROOT, 'prometheus', 'alertmanager.yml');
const config = parse(readFileSync(FILE, 'utf8')) as {
  route: { group_by: string[] };
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  receivers: { name: string; webhook_configs?: { url: string }[] }[];
};

describe('prometheus/alertmanager.yml', () => {
  test('groups by joc and jobscheduler_id', () => {
    expect(config.route.group_by).toEqual(['joc', 'jobscheduler_id']);
  });

  test('JobSchedulerJocDown silences the alerts of its JOC, JobSchedulerDown those of its JobScheduler', () => {
    expect(config.inhibit_rules.map((r) => ({ source: r.source_matchers, equal: r.equal }))).toEqual([
      { source: ['alertname="JobSchedulerJocDown"'], equal: ['joc'] },
      { source: ['alertname="JobSchedulerDown"'], equal: ['joc', 'jobscheduler_id'] },
    ]);
  });

  test("the inhibitions' target matchers reach every alert of alerts.yml", () => {
    // A new alert whose name does not start with JobScheduler would escape both inhibitions.
    const names = [...alertRules(parse(readFileSync(join(ROOT, 'prometheus', 'alerts.yml'), 'utf8')) as RuleFile).keys()];
    expect(names.length).toBeGreaterThan(5);
    for (const rule of config.inhibit_rules) {
      const positive = rule.target_matchers.map((m) => /^alertname=~"(.+)"$/.exec(m)?.[1]).filter((x): x is string => x !== undefined);
      expect(positive).toEqual(['JobScheduler.+']);
      expect(names.filter((n) => !new RegExp(`^(?:${positive[0]})$`).test(n))).toEqual([]);
    }
  });

  test('every receiver is a webhook placeholder on loopback', () => {
    for (const r of config.receivers) {
      expect({ name: r.name, urls: (r.webhook_configs ?? []).map((h) => new URL(h.url).hostname) }).toEqual({ name: r.name, urls: ['127.0.0.1'] });
    }
  });
});

describeWithTools('prometheus/alertmanager.yml with amtool', ['amtool'], (tools) => {
  test('amtool check-config passes', async () => {
    const { stdout } = await run(tools.amtool!, ['check-config', FILE]);
    expect(stdout).toMatch(/SUCCESS/);
    expect(stdout).toMatch(new RegExp(`- ${config.inhibit_rules.length} inhibit rules`));
    expect(stdout).toMatch(new RegExp(`- ${config.receivers.length} receivers`));
  });

  test('each severity of alerts.yml is routed to its receiver', async () => {
    const rules = alertRules(parse(readFileSync(join(ROOT, 'prometheus', 'alerts.yml'), 'utf8')) as RuleFile);
    const severities = new Set([...rules.values()].map((r) => r.labels?.severity));
    expect([...severities].sort()).toEqual(expect.arrayContaining(['critical', 'warning']));
    const expected: Record<string, string> = { critical: 'jobscheduler-oncall', warning: 'jobscheduler-team', info: 'jobscheduler-low-priority' };
    for (const severity of severities) {
      const { stdout } = await run(tools.amtool!, ['config', 'routes', 'test', `--config.file=${FILE}`, `severity=${severity}`, 'alertname=JobSchedulerX', 'joc=a']);
      expect({ severity, receiver: stdout.trim() }).toEqual({ severity, receiver: expected[severity!] });
    }
  });
});
