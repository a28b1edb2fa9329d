/**
 * grafana/dashboards/*.json: portable (datasource variable, no hard-coded uid), filtered by the
 * joc / jobscheduler_id variables, and every query valid PromQL over CONTRACT §4 metrics only.
 * (Running the queries against real data is the end-to-end test's job.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_METRICS } from '../support/contract-metrics';
import { contractMetricOf, nonContractSelectors, parsePromQL, substituteGrafanaVariables } from './promql';

const DIR = join(__dirname, '..', '..', 'grafana', 'dashboards');
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
/** Labels Prometheus adds to every series (the exporter has none of these names, CONTRACT §4). */
const TARGET_LABELS = ['job', 'instance'];

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: unknown;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { expr?: string; legendFormat?: string; refId: string; datasource?: unknown }[];
  panels?: Panel[];
  collapsed?: boolean;
}

interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  datasource?: unknown;
  multi?: boolean;
  includeAll?: boolean;
}

interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  refresh: string;
  schemaVersion: number;
  time: { from: string; to: string };
  templating: { list: Variable[] };
  panels: Panel[];
  __inputs?: unknown;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

/** Every panel, rows' nested panels included. */
function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** Every value of a key `datasource` anywhere in the JSON, with its path. */
function datasourceRefs(node: unknown, path = '$'): { path: string; value: unknown }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => datasourceRefs(v, `${path}[${i}]`));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) =>
      k === 'datasource' ? [{ path: `${path}.datasource`, value: v }, ...datasourceRefs(v, `${path}.${k}`)] : datasourceRefs(v, `${path}.${k}`),
    );
  }
  return [];
}

function variableQuery(v: Variable): string {
  return typeof v.query === 'string' ? v.query : v.query.query;
}

test('there is at least one dashboard', () => {
  expect(files).toContain('jobscheduler.json');
});

describe.each(files.map((f) => [f]))('%s', (file) => {
  const text = readFileSync(join(DIR, file), 'utf8');
  const dashboard = JSON.parse(text) as Dashboard;
  const variables = dashboard.templating.list;
  const variableNames = variables.map((v) => v.name);
  const panels = allPanels(dashboard);
  const queryPanels = panels.filter((p) => p.type !== 'row' && p.type !== 'text');
  const targets = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));

  test('stable uid, tags, 30 s refresh, last 6 hours, a current schema', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    if (file === 'jobscheduler.json') expect(dashboard.uid).toBe('jobscheduler-overview');
    expect(dashboard.tags).toContain('jobscheduler');
    expect(dashboard.refresh).toBe('30s');
    expect(dashboard.time).toEqual({ from: 'now-6h', to: 'now' });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.__inputs).toBeUndefined();
  });

  test('the datasource, joc and jobscheduler_id variables', () => {
    const byName = new Map(variables.map((v) => [v.name, v]));
    expect(byName.get('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(byName.get('joc')).toMatchObject({ type: 'query', multi: true, includeAll: true, datasource: DATASOURCE });
    expect(variableQuery(byName.get('joc')!)).toBe('label_values(jobscheduler_joc_up, joc)');
    expect(byName.get('jobscheduler_id')).toMatchObject({ type: 'query', multi: true, includeAll: true, datasource: DATASOURCE });
    expect(variableQuery(byName.get('jobscheduler_id')!)).toBe('label_values(jobscheduler_up{joc=~"$joc"}, jobscheduler_id)');
  });

  test('no hard-coded datasource: every reference is the ${datasource} variable', () => {
    const refs = datasourceRefs(dashboard);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((r) => JSON.stringify(r.value) !== JSON.stringify(DATASOURCE))).toEqual([]);
    for (const p of queryPanels) {
      expect({ panel: p.title, datasource: p.datasource }).toEqual({ panel: p.title, datasource: DATASOURCE });
      for (const t of p.targets ?? []) expect({ panel: p.title, datasource: t.datasource }).toEqual({ panel: p.title, datasource: DATASOURCE });
    }
  });

  test('panels: unique ids, inside the 24-column grid, not overlapping, each with a query', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.gridPos.w).toBeGreaterThan(0);
      expect(p.gridPos.h).toBeGreaterThan(0);
    }
    const overlaps: string[] = [];
    for (let i = 0; i < panels.length; i++) {
      for (let j = i + 1; j < panels.length; j++) {
        const a = panels[i].gridPos;
        const b = panels[j].gridPos;
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) overlaps.push(`${panels[i].title} / ${panels[j].title}`);
      }
    }
    expect(overlaps).toEqual([]);
    for (const p of queryPanels) expect({ panel: p.title, targets: (p.targets ?? []).length > 0 }).toEqual({ panel: p.title, targets: true });
    expect(panels.some((p) => p.type === 'row')).toBe(true);
  });

  test('every query is valid PromQL with all variables defined', () => {
    const queries = [...targets.map((t) => ({ where: `${t.panel} ${t.refId}`, expr: t.expr ?? '' }))];
    for (const v of variables.filter((v) => v.type === 'query')) {
      // label_values(selector, label) is Grafana's; its selector must be valid PromQL.
      const m = /^label_values\((.*),\s*(\w+)\)$/.exec(variableQuery(v));
      expect(m).not.toBeNull();
      queries.push({ where: `variable ${v.name}`, expr: m![1] });
    }
    for (const q of queries) {
      expect({ where: q.where, empty: q.expr.trim() === '' }).toEqual({ where: q.where, empty: false });
      const expr = substituteGrafanaVariables(q.expr, variableNames);
      expect({ where: q.where, undefinedVariables: expr.match(/\$\{?\w+\}?/g) ?? [] }).toEqual({ where: q.where, undefinedVariables: [] });
      expect({ where: q.where, errors: parsePromQL(expr).errors }).toEqual({ where: q.where, errors: [] });
    }
  });

  test('every query selects only metrics of CONTRACT §4, filtered by $joc and $jobscheduler_id', () => {
    for (const t of targets) {
      const parsed = parsePromQL(substituteGrafanaVariables(t.expr ?? '', []));
      expect({ where: t.panel, others: nonContractSelectors(parsed) }).toEqual({ where: t.panel, others: [] });
      let filteredByJoc = false;
      for (const s of parsed.selectors) {
        const labels = contractMetricOf(s)!.labels;
        const has = (label: string, variable: string): boolean =>
          s.matchers.some((m) => m.label === label && m.op === '=~' && m.value === `$${variable}`);
        if (labels.includes('joc')) expect({ selector: s.text, joc: has('joc', 'joc') }).toEqual({ selector: s.text, joc: true });
        if (labels.includes('jobscheduler_id')) {
          expect({ selector: s.text, jobscheduler_id: has('jobscheduler_id', 'jobscheduler_id') }).toEqual({ selector: s.text, jobscheduler_id: true });
        }
        filteredByJoc ||= has('joc', 'joc');
      }
      // Even a query over a metric without `joc` (build info) is narrowed to the selected JOCs.
      expect({ where: t.panel, filteredByJoc }).toEqual({ where: t.panel, filteredByJoc: true });
    }
  });

  test('legends only name labels the selected metrics can have', () => {
    for (const t of targets) {
      if (!t.legendFormat || t.legendFormat === '__auto') continue;
      const parsed = parsePromQL(substituteGrafanaVariables(t.expr ?? '', []));
      const possible = new Set([...TARGET_LABELS, ...parsed.selectors.flatMap((s) => contractMetricOf(s)?.labels ?? [])]);
      const used = [...t.legendFormat.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
      expect({ where: t.panel, unknown: used.filter((l) => !possible.has(l)) }).toEqual({ where: t.panel, unknown: [] });
    }
  });

  if (file === 'jobscheduler.json') {
    test('the overview shows every metric of CONTRACT §4', () => {
      const used = new Set(targets.flatMap((t) => parsePromQL(substituteGrafanaVariables(t.expr ?? '', [])).selectors.map((s) => contractMetricOf(s)?.name)));
      expect(CONTRACT_METRICS.map((m) => m.name).filter((n) => !used.has(n))).toEqual([]);
    });

    test('the overview has the panel types and rows an operator expects', () => {
      const types = new Set(queryPanels.map((p) => p.type));
      for (const t of ['stat', 'timeseries', 'table', 'state-timeline', 'bargauge']) expect(types).toContain(t);
      expect(panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual(
        expect.arrayContaining(['Overview', 'Orders', 'Job chains', 'Jobs', 'Masters', 'Exporter']),
      );
      const exprs = targets.map((t) => t.expr ?? '');
      expect(exprs.some((e) => /jobscheduler_job_chain_orders\{[^}]*state="suspended"/.test(e))).toBe(true);
      expect(exprs.some((e) => /histogram_quantile\(0\.95,/.test(e) && /histogram_quantile/.test(e))).toBe(true);
      expect(exprs.some((e) => /histogram_quantile\(0\.5,/.test(e))).toBe(true);
      expect(exprs.some((e) => /time\(\) - jobscheduler_exporter_last_poll_success_timestamp_seconds/.test(e))).toBe(true);
    });
  }
});
