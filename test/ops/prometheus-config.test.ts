/**
 * prometheus/prometheus.yml, the example scrape config: valid for promtool as shipped, and
 * still valid with its commented TLS / basic-auth block switched on.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describeWithTools } from '../support/tools';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const FILE = join(ROOT, 'prometheus', 'prometheus.yml');
const text = readFileSync(FILE, 'utf8');

interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  honor_labels?: boolean;
  scheme?: string;
  static_configs: { targets: string[] }[];
  tls_config?: { ca_file: string };
  basic_auth?: { username: string; password_file: string };
}
interface PromConfig {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

/** The config with the commented TLS / basic-auth example of the scrape job switched on. */
function withAuthExample(source: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.includes('When the exporter serves /metrics with TLS and basic auth'));
  if (start < 0) throw new Error('the TLS / basic-auth example is missing');
  return lines
    .map((line, i) => (i > start && /^ {4}# {1,3}[a-z_]+:/.test(line) && !/^ {4}# {3}#/.test(line) ? line.replace(/^( {4})# /, '$1') : line))
    .join('\n');
}

describe('prometheus/prometheus.yml', () => {
  const config = parse(text) as PromConfig;
  const job = config.scrape_configs.find((s) => s.job_name === 'jobscheduler');

  test('scrapes the exporter as job "jobscheduler" every 30 s (the default poll) and loads alerts.yml', () => {
    expect(job?.static_configs.flatMap((s) => s.targets)).toEqual(['localhost:9446']);
    expect(job?.scrape_interval ?? config.global.scrape_interval).toBe('30s');
    expect(config.rule_files).toEqual(['alerts.yml']);
    // The exporter has no `job` label of its own (CONTRACT §4): honor_labels is left at its default.
    expect(job?.honor_labels).toBeUndefined();
  });

  test('the commented TLS / basic-auth example turns into scheme, tls_config and basic_auth', () => {
    const enabled = (parse(withAuthExample(text)) as PromConfig).scrape_configs.find((s) => s.job_name === 'jobscheduler');
    expect(enabled?.scheme).toBe('https');
    expect(enabled?.tls_config?.ca_file).toBeTruthy();
    expect(enabled?.basic_auth?.username).toBeTruthy();
    expect(enabled?.basic_auth?.password_file).toBeTruthy();
  });
});

describeWithTools('prometheus/prometheus.yml with promtool', ['promtool'], (tools) => {
  test('promtool check config passes', async () => {
    const { stdout } = await run(tools.promtool, ['check', 'config', FILE]);
    expect(stdout).toMatch(/SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  test('promtool check config passes with the TLS / basic-auth example switched on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-example-'));
    try {
      // promtool checks that the referenced files exist: point them at files in the temp dir.
      const enabled = parse(withAuthExample(text)) as PromConfig;
      const job = enabled.scrape_configs.find((s) => s.job_name === 'jobscheduler')!;
      writeFileSync(join(dir, 'ca.pem'), '');
      writeFileSync(join(dir, 'password'), 'secret\n');
      const adapted = withAuthExample(text)
        .replace(job.tls_config!.ca_file, join(dir, 'ca.pem'))
        .replace(job.basic_auth!.password_file, join(dir, 'password'));
      writeFileSync(join(dir, 'prometheus.yml'), adapted);
      copyFileSync(join(ROOT, 'prometheus', 'alerts.yml'), join(dir, 'alerts.yml'));
      const { stdout } = await run(tools.promtool, ['check', 'config', join(dir, 'prometheus.yml')]);
      expect(stdout).toMatch(/valid prometheus config file syntax/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
