/**
 * docker-compose.yml (the demo stack) and the files it mounts from docker/. No Docker engine
 * here: the wiring between the services is checked statically, the configs with the tools that
 * read them (promtool, the exporter's own config loader).
 */
import { execFile, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config';
import { generateInventory } from '../../src/simulator';
import { describeWithTools } from '../support/tools';
import { v1Joc } from '../support/expected';
import { bindMounts, compose, mountTarget, readYaml, services, type Service } from './compose-file';
import { parseDockerfile } from './dockerfile';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

const dockerfileCmd = JSON.parse(parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).filter((i) => i.keyword === 'CMD').pop()!.args) as string[];
const imageConfigPath = dockerfileCmd[dockerfileCmd.indexOf('--config') + 1];

describe('docker-compose.yml', () => {
  test('the services of the demo, with their ports', () => {
    expect(Object.keys(services).sort()).toEqual(['alertmanager', 'exporter', 'grafana', 'prometheus', 'simulator', 'webhook']);
    const published = (s: Service): string[] => s.ports ?? [];
    expect(published(services.simulator)).toEqual(['4446:4446']);
    expect(published(services.exporter)).toEqual(['9446:9446']);
    expect(published(services.prometheus)).toEqual(['9090:9090']);
    expect(published(services.grafana)).toEqual(['3000:3000']);
    expect(published(services.alertmanager)).toEqual(['9093:9093']);
    expect(published(services.webhook)).toEqual([]);
  });

  test('every bind-mounted path exists, every named volume is declared', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const source of bindMounts(service).keys()) expect({ name, source, exists: existsSync(join(ROOT, source)) }).toEqual({ name, source, exists: true });
      for (const v of service.volumes ?? []) {
        const source = v.split(':')[0];
        if (!/^[./]/.test(source)) expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
    }
  });

  test('simulator and exporter run the image built from the Dockerfile', () => {
    for (const name of ['simulator', 'exporter']) {
      const build = services[name].build;
      const context = typeof build === 'string' ? build : build?.context;
      expect(context).toBe('.');
      expect(existsSync(join(ROOT, (typeof build === 'object' && build.dockerfile) || 'Dockerfile'))).toBe(true);
      expect(services[name].image).toBe(services.exporter.image);
    }
    expect(services.exporter.entrypoint).toBeUndefined();
    expect(services.exporter.command).toBeUndefined();
  });

  test('the simulator listens on 0.0.0.0:4446 with its own health check', () => {
    const s = services.simulator;
    expect(s.entrypoint).toEqual(['node', 'dist/src/simulator/main.js']);
    expect(existsSync(join(ROOT, 'src', 'simulator', 'main.ts'))).toBe(true);
    expect(s.command).toEqual(['--host', '0.0.0.0', '--port', '4446']);
    expect(s.healthcheck?.test?.join(' ')).toContain('4446');
    expect(services.exporter.depends_on).toEqual({ simulator: { condition: 'service_healthy' } });
  });

  test("the exporter gets docker/compose-config.yaml at the image's default --config path, the password from the environment", () => {
    expect(imageConfigPath).toBe('/etc/jobscheduler-exporter/config.yaml');
    expect(mountTarget(services.exporter, './docker/compose-config.yaml')).toBe(imageConfigPath);
    expect(services.exporter.environment?.JOC_PASSWORD).toBeTruthy();
  });

  test('prometheus gets docker/prometheus.yml and the prometheus/ folder', () => {
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(mountTarget(services.prometheus, './docker/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    expect(mountTarget(services.prometheus, './prometheus')).toBe('/etc/prometheus/jobscheduler');
    expect(services.prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
  });

  test('grafana gets the provisioning and the dashboards, with an anonymous viewer', () => {
    expect(services.grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(mountTarget(services.grafana, './grafana/provisioning')).toBe('/etc/grafana/provisioning');
    expect(mountTarget(services.grafana, './grafana/dashboards')).toBeDefined();
    expect(services.grafana.environment).toMatchObject({ GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer' });
    const home = services.grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    const dashboards = mountTarget(services.grafana, './grafana/dashboards')!;
    expect(home.startsWith(`${dashboards}/`)).toBe(true);
    expect(existsSync(join(ROOT, 'grafana', 'dashboards', posix.relative(dashboards, home)))).toBe(true);
  });

  test('alertmanager gets prometheus/alertmanager.yml as shipped, at its --config.file', () => {
    expect(services.alertmanager.image).toMatch(/^prom\/alertmanager:v\d+\.\d+\.\d+$/);
    const config = (services.alertmanager.command ?? []).find((c) => c.startsWith('--config.file='))?.slice('--config.file='.length);
    expect(mountTarget(services.alertmanager, './prometheus/alertmanager.yml')).toBe(config);
  });

  test("the webhook service shares Alertmanager's network and listens where the shipped receivers post", () => {
    expect(services.webhook.network_mode).toBe('service:alertmanager');
    expect(services.webhook.healthcheck).toEqual({ disable: true });
    const urls = readYaml<{ receivers: { webhook_configs?: { url: string }[] }[] }>('prometheus/alertmanager.yml').receivers.flatMap((r) => (r.webhook_configs ?? []).map((h) => new URL(h.url)));
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(services.webhook.command?.[0]).toContain(`.listen(${url.port}, '${url.hostname}')`);
  });

  test('the webhook script logs each alert it is posted (run with node on a free port)', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const script = services.webhook.command![0]!.replace('.listen(5001,', `.listen(${port},`);
    expect(services.webhook.entrypoint).toEqual(['node', '-e']);
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      const body = JSON.stringify({ status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'JobSchedulerJocDown', joc: 'simulator' } }] });
      for (let i = 0; ; i++) {
        const ok = await fetch(`http://127.0.0.1:${port}/jobscheduler/oncall`, { method: 'POST', body }).then((r) => r.ok, () => false);
        if (ok) break;
        if (i > 50) throw new Error('the webhook script does not answer');
        await new Promise((r) => setTimeout(r, 100));
      }
      // The line comes through the child's stdout pipe, which may arrive after the HTTP answer.
      for (let i = 0; !out.includes('\n') && i < 50; i++) await new Promise((r) => setTimeout(r, 100));
      expect(out).toBe('/jobscheduler/oncall firing {"alertname":"JobSchedulerJocDown","joc":"simulator"}\n');
    } finally {
      child.kill();
    }
  });
});

describe('docker/compose-config.yaml', () => {
  test("is valid for the exporter's own config loader and polls the simulator", async () => {
    const config = await loadConfig(join(ROOT, 'docker', 'compose-config.yaml'), { JOC_PASSWORD: services.exporter.environment!.JOC_PASSWORD });
    expect(config.listen.port).toBe(9446);
    expect(config.joc.map((j) => j.url)).toEqual(['http://simulator:4446']);
    expect(readFileSync(join(ROOT, 'docker', 'compose-config.yaml'), 'utf8')).toMatch(/^\s+password: \$\{JOC_PASSWORD\}$/m);
  });

  test('polls as often as Prometheus scrapes', async () => {
    const config = await loadConfig(join(ROOT, 'docker', 'compose-config.yaml'), { JOC_PASSWORD: 'x' });
    const seconds = /^\*\/(\d+) \* \* \* \* \*$/.exec(config.poll.schedule)?.[1];
    const prometheus = readYaml<{ global: { scrape_interval: string } }>('docker/prometheus.yml');
    expect(`${seconds}s`).toBe(prometheus.global.scrape_interval);
  });

  test("names only JobSchedulers, job chains and jobs the simulator's inventory has", async () => {
    const config = await loadConfig(join(ROOT, 'docker', 'compose-config.yaml'), { JOC_PASSWORD: 'x' });
    const inventory = generateInventory({ seed: 1 });
    for (const js of v1Joc(config.joc[0]).jobschedulers ?? []) {
      const scheduler = inventory.schedulers.find((s) => s.jobschedulerId === js.id);
      expect({ id: js.id, known: scheduler !== undefined }).toEqual({ id: js.id, known: true });
      const chains = new Set(scheduler!.jobChains.map((c) => c.path));
      const jobs = new Set(scheduler!.jobs.map((j) => j.path));
      expect(js.jobChains.filter((c) => !chains.has(c))).toEqual([]);
      expect(js.jobs.filter((j) => !jobs.has(j))).toEqual([]);
    }
  });
});

describe('docker/prometheus.yml', () => {
  const config = readYaml<{ rule_files: string[]; scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }>('docker/prometheus.yml');

  test('scrapes the exporter service on 9446 as job "jobscheduler"', () => {
    const job = config.scrape_configs.find((s) => s.job_name === 'jobscheduler');
    expect(job?.static_configs.flatMap((s) => s.targets)).toEqual(['exporter:9446']);
  });

  test('its rule files are the mounted prometheus/ files', () => {
    const mounted = mountTarget(services.prometheus, './prometheus')!;
    for (const file of config.rule_files) {
      const inContainer = posix.resolve('/etc/prometheus', file);
      expect(inContainer.startsWith(`${mounted}/`)).toBe(true);
      expect(existsSync(join(ROOT, 'prometheus', posix.relative(mounted, inContainer)))).toBe(true);
    }
    expect(config.rule_files).toContain('jobscheduler/alerts.yml');
  });

  test('sends its alerts to the alertmanager service', () => {
    const alerting = readYaml<{ alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] } }>('docker/prometheus.yml').alerting;
    expect(alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((s) => s.targets))).toEqual(['alertmanager:9093']);
    expect((services.alertmanager.ports ?? [])[0]!.endsWith(':9093')).toBe(true);
  });
});

describeWithTools('docker/prometheus.yml with promtool', ['promtool'], (tools) => {
  test('promtool check config passes in the layout of the container', async () => {
    // /etc/prometheus/prometheus.yml + /etc/prometheus/jobscheduler/ as compose mounts them.
    const dir = mkdtempSync(join(tmpdir(), 'compose-prometheus-'));
    try {
      writeFileSync(join(dir, 'prometheus.yml'), readFileSync(join(ROOT, 'docker', 'prometheus.yml')));
      cpSync(join(ROOT, 'prometheus'), join(dir, posix.basename(mountTarget(services.prometheus, './prometheus')!)), { recursive: true });
      const { stdout } = await run(tools.promtool, ['check', 'config', join(dir, 'prometheus.yml')]);
      expect(stdout).toMatch(/SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
      expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
