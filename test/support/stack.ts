import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config';
import type { Config } from '../../src/config/types';
import { Exporter, type ExporterDeps } from '../../src/exporter';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { startJs7Simulator, type Js7Simulator, type Js7SimulatorOptions } from '../../src/simulator/js7';
import { captureLogger } from './logs';
import { parseExposition, type ParsedSample } from './exposition';

export const SIM_PASSWORD = 'sim-password-4711';

/** What a stack needs of a simulator, 1.x or JS7. */
interface SimulatorHandle {
  readonly url: string;
  close(): Promise<void>;
}

export interface StackOf<S> {
  readonly sim: S;
  readonly exporter: Exporter;
  readonly config: Config;
  readonly logs: ReturnType<typeof captureLogger>;
  /** Polls every JOC once and returns the kept exposition, parsed. */
  poll(): Promise<ParsedSample[]>;
  /** The kept exposition (without process metrics), parsed. */
  samples(): ParsedSample[];
  close(): Promise<void>;
}
export type Stack = StackOf<Simulator>;
export type Js7Stack = StackOf<Js7Simulator>;

export interface StackOptions {
  readonly sim?: SimulatorOptions;
  /** The `joc:` entries after `url`, `user` and `password` (YAML, indented by 4). */
  readonly jocYaml?: string;
  /** The whole config; `${SIM_URL}` is replaced. Overrides jocYaml. */
  readonly yaml?: string;
  readonly deps?: Partial<ExporterDeps>;
  /** Start the server and schedule (default: no, tests call poll()). */
  readonly start?: boolean;
}

export interface Js7StackOptions extends Omit<StackOptions, 'sim'> {
  readonly sim?: Js7SimulatorOptions;
}

/** A simulator and an in-process exporter polling it, with every log line captured. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sim = await startSimulator({ users: { exporter: SIM_PASSWORD }, ...options.sim });
  return stackOn(sim, options, '');
}

/** A JS7 simulator and an in-process exporter polling it (`apiVersion: js7`), with every log line captured. */
export async function startJs7Stack(options: Js7StackOptions = {}): Promise<Js7Stack> {
  const sim = await startJs7Simulator({ users: { exporter: SIM_PASSWORD }, loginDelay: { firstMs: 10, maxMs: 20 }, ...options.sim });
  return stackOn(sim, options, '    apiVersion: js7\n');
}

async function stackOn<S extends SimulatorHandle>(sim: S, options: Omit<StackOptions, 'sim'>, apiYaml: string): Promise<StackOf<S>> {
  const yaml =
    options.yaml?.replace(/\$\{SIM_URL\}/g, sim.url) ??
    `listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "0 0 1 1 *", timeoutSeconds: 5 }
log: { level: debug }
joc:
  - name: sim
    url: ${sim.url}
${apiYaml}    user: exporter
    password: \${SIM_PASSWORD}
${options.jocYaml ?? ''}`;
  const dir = mkdtempSync(join(tmpdir(), 'jse-stack-'));
  const config = await parseConfig(yaml, join(dir, 'config.yaml'), { SIM_PASSWORD }, dir);
  rmSync(dir, { recursive: true, force: true });
  const logs = captureLogger('debug');
  const exporter = new Exporter(config, { logger: logs.logger, processMetrics: false, ...options.deps });
  if (options.start) await exporter.start();
  const samples = (): ParsedSample[] => parseExposition(exporter.exposition.text);
  return {
    sim,
    exporter,
    config,
    logs,
    samples,
    poll: async () => {
      await exporter.pollAll();
      return samples();
    },
    close: async () => {
      await exporter.close();
      await sim.close();
    },
  };
}

/**
 * For a describe block whose tests each start their own stacks: returns a `startStack` that
 * remembers what it started, and closes all of it after each test.
 */
export function stacksPerTest(): (options?: StackOptions) => Promise<Stack>;
export function stacksPerTest<O, S extends { close(): Promise<void> }>(start: (options?: O) => Promise<S>): (options?: O) => Promise<S>;
export function stacksPerTest<O, S extends { close(): Promise<void> }>(start?: (options?: O) => Promise<S>): (options?: O) => Promise<S> {
  const begin = start ?? (startStack as unknown as (options?: O) => Promise<S>);
  let started: S[] = [];
  afterEach(async () => {
    await Promise.all(started.map((s) => s.close()));
    started = [];
  });
  return async (options) => {
    const s = await begin(options);
    started.push(s);
    return s;
  };
}
