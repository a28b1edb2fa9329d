/**
 * grafana/provisioning: a stock Grafana (the compose service) loads the dashboards with a
 * Prometheus datasource they can select.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mountTarget, readYaml, services } from './compose-file';

const ROOT = join(__dirname, '..', '..');

describe('grafana/provisioning', () => {
  const datasources = readYaml<{ apiVersion: number; datasources: { name: string; uid: string; type: string; url: string; isDefault?: boolean; jsonData?: { timeInterval?: string } }[] }>(
    'grafana/provisioning/datasources/prometheus.yml',
  );
  const providers = readYaml<{ apiVersion: number; providers: { type: string; options: { path: string } }[] }>('grafana/provisioning/dashboards/jobscheduler.yml');

  test('one default Prometheus datasource at the compose service', () => {
    expect(datasources.apiVersion).toBe(1);
    expect(datasources.datasources).toHaveLength(1);
    const ds = datasources.datasources[0];
    expect(ds).toMatchObject({ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', isDefault: true });
    const port = services.prometheus.ports![0].split(':').pop();
    expect(ds.url).toBe(`http://prometheus:${port}`);
  });

  test("its scrape interval is Prometheus' (for $__rate_interval)", () => {
    const prometheus = readYaml<{ global: { scrape_interval: string } }>('docker/prometheus.yml');
    expect(datasources.datasources[0].jsonData?.timeInterval).toBe(prometheus.global.scrape_interval);
  });

  test('the dashboards can select it: their datasource variable asks for its type', () => {
    const dir = join(ROOT, 'grafana', 'dashboards');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { templating: { list: { type: string; query: string; regex?: string }[] } };
      const variable = d.templating.list.find((v) => v.type === 'datasource');
      expect(variable?.query).toBe(datasources.datasources[0].type);
      expect(new RegExp(variable?.regex || '.*').test(datasources.datasources[0].name)).toBe(true);
    }
  });

  test('the file provider reads the folder compose mounts grafana/dashboards at', () => {
    expect(providers.apiVersion).toBe(1);
    expect(providers.providers).toHaveLength(1);
    expect(providers.providers[0].type).toBe('file');
    expect(providers.providers[0].options.path).toBe(mountTarget(services.grafana, './grafana/dashboards'));
  });
});
