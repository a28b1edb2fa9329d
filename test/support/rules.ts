/**
 * Prometheus rule files (prometheus/alerts.yml) as the tests read and change them. Tests that run
 * the rules against a live Prometheus cannot wait minutes for a `for:` to pass, so they load a
 * copy whose durations are shortened and prove the copy differs in nothing else.
 */
import { parse } from 'yaml';

export interface AlertRule {
  alert?: string;
  record?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface RuleFile {
  groups: { name: string; rules: AlertRule[]; [key: string]: unknown }[];
}

/** A rule file's text, parsed, with every `for:` set to `forValue`; everything else as it is. */
export function shortenedRules(text: string, forValue: string): RuleFile {
  const rules = parse(text) as RuleFile;
  for (const group of rules.groups) {
    for (const rule of group.rules) {
      if (rule.for !== undefined) rule.for = forValue;
    }
  }
  return rules;
}

/** Every alerting rule of a parsed rule file, by name. */
export function alertRules(rules: RuleFile): Map<string, AlertRule> {
  return new Map(rules.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined).map((r) => [r.alert!, r]));
}
