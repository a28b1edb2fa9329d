/**
 * A real Alertmanager for tests: loads the given config, receives alerts from a Prometheus
 * started with `alertmanagers: [am.address]`, and answers its API v2.
 *
 *   const am = await startAlertmanager({ config: parse(readFileSync('prometheus/alertmanager.yml', 'utf8')) });
 *   try {
 *     const alerts = await am.alerts();
 *   } finally {
 *     await am.stop();
 *   }
 *
 * Needs the `alertmanager` binary (Debian: `prometheus-alertmanager`) on PATH: wrap the tests in
 * describeWithTools(..., ['alertmanager'], ...) and pass its path as `binary`. Clustering is off
 * (it would listen on the fixed port 9094).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getJson, startDaemon } from './prometheus';

export interface StartAlertmanagerOptions {
  /** Path of the alertmanager binary (from describeWithTools). */
  readonly binary: string;
  /** The configuration, as parsed YAML. */
  readonly config: unknown;
  /** How long to wait for /-/ready; default 15000 ms. */
  readonly startTimeoutMs?: number;
}

/** An alert as Alertmanager's API v2 lists it (GET /api/v2/alerts). */
export interface AmAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly fingerprint: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly receivers: readonly { readonly name: string }[];
  readonly status: {
    readonly state: 'active' | 'suppressed' | 'unprocessed';
    readonly inhibitedBy: readonly string[];
    readonly silencedBy: readonly string[];
  };
}

export interface RunningAlertmanager {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** host:port, for Prometheus' alerting config. */
  readonly address: string;
  /** The config file it loaded. */
  readonly configFile: string;
  /** Every alert it holds (active, suppressed and unprocessed). */
  alerts(): Promise<readonly AmAlert[]>;
  /** SIGTERM, wait for the exit (SIGKILL after 10 s), remove the temporary directory. */
  stop(): Promise<void>;
}

export async function startAlertmanager(options: StartAlertmanagerOptions): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'jobscheduler-exporter-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, stringify(options.config));

  const { url, address, stop } = await startDaemon({
    name: 'alertmanager',
    binary: options.binary,
    dir,
    startTimeoutMs: options.startTimeoutMs,
    args: (listenAddress, attempt) => [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, `data-${attempt}`)}`,
      `--web.listen-address=${listenAddress}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
  });
  return {
    url,
    address,
    configFile,
    async alerts() {
      const { status, body } = await getJson(`${url}/api/v2/alerts`);
      if (status !== 200 || !Array.isArray(body)) throw new Error(`${url}/api/v2/alerts: HTTP ${status} ${JSON.stringify(body)}`);
      return body as AmAlert[];
    },
    stop,
  };
}
