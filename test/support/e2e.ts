/**
 * What the end-to-end tests with a real Prometheus share (test/e2e/*.test.ts): the dashboard's
 * variables and rows, series keys, and running a tool with input (the test copy of the alert
 * rules is in rules.ts).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { substituteGrafanaVariables } from '../ops/promql';
import type { PromSample } from './prometheus';

const ROOT = join(__dirname, '..', '..');

export interface Panel {
  type: string;
  title: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: { expr?: string; refId: string }[];
  panels?: Panel[];
  fieldConfig?: { defaults?: { mappings?: { type: string; options: Record<string, { text?: string }> }[] } };
}
export interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

/** The title of the row each panel sits under (by its grid position; '' above the first row). */
export function rowOf(dashboard: Dashboard): Map<Panel, string> {
  const rows = dashboard.panels.filter((p) => p.type === 'row').sort((a, b) => (a.gridPos?.y ?? 0) - (b.gridPos?.y ?? 0));
  const out = new Map<Panel, string>();
  for (const panel of dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])])) {
    if (panel.type === 'row') continue;
    const y = panel.gridPos?.y ?? 0;
    out.set(panel, [...rows].reverse().find((r) => (r.gridPos?.y ?? 0) <= y)?.title ?? '');
  }
  return out;
}

/** The panels of the JS7 rows (titles starting `JS7`): only a JS7 JOC gives them data. */
export function isJs7Row(title: string): boolean {
  return title.startsWith('JS7');
}

/** `label_values(metric_expr, label)` (or `label_values(label)`) of a query variable. */
export function labelValuesQuery(query: string): { expr: string; label: string } {
  const two = /^\s*label_values\(\s*([\s\S]+),\s*([a-zA-Z_]\w*)\s*\)\s*$/.exec(query);
  if (two) return { expr: two[1]!.trim(), label: two[2]! };
  const one = /^\s*label_values\(\s*([a-zA-Z_]\w*)\s*\)\s*$/.exec(query);
  if (one) return { expr: `{${one[1]!}!=""}`, label: one[1]! };
  throw new Error(`template variable query not understood by this test: ${query}`);
}

/** Replaces the dashboard variables by `values` (regex-ready), then Grafana's interval variables. */
export function substitute(expr: string, values: Readonly<Record<string, string>>): string {
  const withValues = expr.replace(/\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    return name in values ? values[name]! : whole;
  });
  return substituteGrafanaVariables(withValues, []);
}

export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs `command` in the project's folder with `input` on stdin. */
export function run(command: string, args: readonly string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A series as `name{label="value",...}` with sorted labels, for comparing sets of series. */
export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
  return `${name}{${body}}`;
}

/** The samples of one family, keyed without Prometheus' target labels `job` and `instance`. */
export function keyed(name: string, samples: readonly PromSample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    const { __name__: _name, job: _job, instance: _instance, ...labels } = s.metric;
    out[seriesKey(name, labels)] = Number(s.value[1]);
  }
  return out;
}
