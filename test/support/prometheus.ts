/**
 * A real Prometheus server for tests: scrapes the given targets, optionally loads rule files,
 * and answers PromQL over its HTTP API.
 *
 *   const prom = await startPrometheus({ scrapeTargets: ['127.0.0.1:9446'], ruleFiles: [alerts] });
 *   try {
 *     const up = await prom.waitFor(async () => (await prom.query('jobscheduler_joc_up')).result[0], 20_000);
 *   } finally {
 *     await prom.stop();
 *   }
 *
 * Needs the `prometheus` binary on PATH: wrap the tests in describeWithTools(..., ['prometheus'], ...).
 * Target discovery is throttled to one update per 5 s, so the first sample of a target arrives
 * about 6 s after the start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { stringify } from 'yaml';
import { findTool } from './tools';

export interface StartPrometheusOptions {
  /** host:port of the exporters to scrape, in one scrape job. */
  readonly scrapeTargets: readonly string[];
  /** Rule files to load (paths relative to the working directory or absolute). */
  readonly ruleFiles?: readonly string[];
  /** Scrape and rule evaluation interval; default 1. */
  readonly scrapeIntervalSeconds?: number;
  /** Name of the scrape job of `scrapeTargets` (the `job` label); default `jobscheduler`. */
  readonly jobName?: string;
  /** Also scrape Prometheus' own /metrics as job `prometheus`. */
  readonly scrapeSelf?: boolean;
  /** How long to wait for /-/ready; default 15000 ms. */
  readonly startTimeoutMs?: number;
  /** host:port of Alertmanagers to send the alerts to (`alerting.alertmanagers`). */
  readonly alertmanagers?: readonly string[];
}

export interface PromSample {
  readonly metric: Readonly<Record<string, string>>;
  /** [unix time in seconds, value as text] */
  readonly value: readonly [number, string];
}

export type PromQueryData =
  | { readonly resultType: 'vector'; readonly result: readonly PromSample[] }
  | { readonly resultType: 'scalar' | 'string'; readonly result: readonly [number, string] }
  | {
      readonly resultType: 'matrix';
      readonly result: readonly { metric: Readonly<Record<string, string>>; values: readonly [number, string][] }[];
    };

export interface PromAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

export interface PromRuleGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly { readonly name: string; readonly type: string; readonly health: string; readonly lastError?: string }[];
}

export interface RunningPrometheus {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The generated prometheus.yml. */
  readonly configFile: string;
  /** Instant query at the current time; rejects on a PromQL or HTTP error. */
  query(expr: string): Promise<PromQueryData>;
  /** The instant query's samples; rejects unless the result is a vector. */
  queryVector(expr: string): Promise<readonly PromSample[]>;
  /** Pending and firing alerts (/api/v1/alerts). */
  alerts(): Promise<readonly PromAlert[]>;
  /** The loaded rule groups with their health (/api/v1/rules). */
  rules(): Promise<readonly PromRuleGroup[]>;
  /**
   * Calls `fn` until it returns something other than undefined, null or false, and returns that.
   * Errors thrown by `fn` count as "not yet"; the last one is reported on timeout.
   */
  waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs: number, intervalMs?: number): Promise<T>;
  /** SIGTERM, wait for the exit (SIGKILL after 10 s), remove the temporary directory. */
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot listen on port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** GET `url`; the body parsed as JSON when it is JSON, else as text. */
export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await request(url, { headersTimeout: 10_000, bodyTimeout: 10_000 });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (e.g. /-/ready's plain text)
  }
  return { status: res.statusCode, body };
}

/** The `data` of a Prometheus API answer; throws with Prometheus' error text otherwise. */
async function apiData<T>(url: string): Promise<T> {
  const { status, body } = await getJson(url);
  const answer = body as { status?: string; data?: T; errorType?: string; error?: string };
  if (status !== 200 || answer.status !== 'success') {
    throw new Error(`${url}: HTTP ${status} ${answer.errorType ?? ''} ${answer.error ?? JSON.stringify(body)}`.trim());
  }
  return answer.data as T;
}

/** Resolves when `child` has exited (at once when it has already). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/**
 * Calls `fn` until it returns something other than undefined, null or false, and returns that.
 * Errors thrown by `fn` count as "not yet"; the last one is reported on timeout.
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`waitFor: condition not met within ${timeoutMs} ms${detail}`);
    }
    await sleep(intervalMs);
  }
}

/*
 * The start and stop of a daemon of the Prometheus family (prometheus, alertmanager): neither can
 * listen on port 0, so a port that was free a moment ago is given and, on the rare clash, another
 * one; both answer /-/ready once they serve.
 */

export interface DaemonOptions {
  /** Its name in error messages (`prometheus`). */
  readonly name: string;
  readonly binary: string;
  /** Its temporary directory: removed by stop(), or when it could not be started. */
  readonly dir: string;
  /** The command-line arguments for one attempt on `address` (host:port); may write files first. */
  readonly args: (address: string, attempt: number) => Promise<readonly string[]> | readonly string[];
  /** How long to wait for /-/ready; default 15000 ms. */
  readonly startTimeoutMs?: number;
}

export interface RunningDaemon {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** host:port */
  readonly address: string;
  /** SIGTERM, wait for the exit (SIGKILL after 10 s), remove the temporary directory. */
  stop(): Promise<void>;
}

/** Starts the daemon on a free loopback port and waits for /-/ready; up to 3 ports when one was taken meanwhile. */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  let lastFailure = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const address = `127.0.0.1:${await freePort()}`;
    const child = spawn(options.binary, [...(await options.args(address, attempt))], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    const url = `http://${address}`;
    const exit = exited(child);
    const ready = await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error('exited');
        return (await getJson(`${url}/-/ready`)).status === 200;
      },
      options.startTimeoutMs ?? 15_000,
      100,
    ).catch(() => false);
    if (!ready) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exit;
      lastFailure = `${options.name} did not become ready (exit code ${child.exitCode}, signal ${child.signalCode}): ${stderr.trim()}`;
      if (/address already in use/i.test(stderr)) continue;
      break;
    }

    let stopped: Promise<void> | null = null;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exit;
          clearTimeout(timer);
        }
        await rm(options.dir, { recursive: true, force: true });
      })();
      return stopped;
    };
    return { url, address, stop };
  }
  await rm(options.dir, { recursive: true, force: true });
  throw new Error(lastFailure);
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const binary = findTool('prometheus');
  if (!binary) throw new Error('prometheus is not on PATH (use describeWithTools(..., ["prometheus"], ...))');
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const dir = await mkdtemp(join(tmpdir(), 'jobscheduler-exporter-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');

  // The port is chosen before Prometheus binds it; on the rare clash, startDaemon tries another one.
  const { url, stop } = await startDaemon({
    name: 'prometheus',
    binary,
    dir,
    startTimeoutMs: options.startTimeoutMs,
    async args(address, attempt) {
      const scrapeConfigs: Record<string, unknown>[] = [
        { job_name: options.jobName ?? 'jobscheduler', static_configs: [{ targets: [...options.scrapeTargets] }] },
      ];
      if (options.scrapeSelf) scrapeConfigs.push({ job_name: 'prometheus', static_configs: [{ targets: [address] }] });
      const config = {
        global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
        rule_files: (options.ruleFiles ?? []).map((file) => resolve(file)),
        scrape_configs: scrapeConfigs,
        ...(options.alertmanagers && { alerting: { alertmanagers: [{ static_configs: [{ targets: [...options.alertmanagers] }] }] } }),
      };
      await writeFile(configFile, stringify(config));
      return [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
        `--web.listen-address=${address}`,
        '--log.level=warn',
      ];
    },
  });
  const query = (expr: string): Promise<PromQueryData> =>
    apiData<PromQueryData>(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return {
    url,
    configFile,
    query,
    async queryVector(expr) {
      const data = await query(expr);
      if (data.resultType !== 'vector') throw new Error(`${expr}: expected a vector, got ${data.resultType}`);
      return data.result;
    },
    async alerts() {
      return (await apiData<{ alerts: PromAlert[] }>(`${url}/api/v1/alerts`)).alerts;
    },
    async rules() {
      return (await apiData<{ groups: PromRuleGroup[] }>(`${url}/api/v1/rules`)).groups;
    },
    waitFor,
    stop,
  };
}
