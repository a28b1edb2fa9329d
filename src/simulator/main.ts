/**
 * `npm run simulator`: a JOC Cockpit simulator for users without a JOC at hand: 1.13 by default,
 * JS7 (JOC Cockpit 2.x) with `--api js7`. Demo mode (the inventory changes every few seconds) is
 * on unless `--static` is given. Logs JSON lines (pino) to stderr: one at startup, one per request
 * at debug level.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startSimulator, type Simulator, type SimulatorOptions } from './index';
import { parseVersion, startJs7Simulator, type Js7Simulator, type Js7SimulatorOptions } from './js7';

const USAGE = `Usage: node dist/src/simulator/main.js [options]

A JOC Cockpit simulator: POST http://HOST:PORT/joc/api/...

Options:
  --api v1|js7              JOC Cockpit 1.13 (v1, default) or JS7 (JOC Cockpit 2.x)
  --host HOST               listen address (default 127.0.0.1)
  --port PORT               listen port (default 4446)
  --user NAME               account name (default root)
  --password PASSWORD       account password (default root)
  --session-timeout-ms N    idle session timeout in ms, -1 = never (default 900000; js7 1800000)
  --seed N                  seed of the generated inventory and its changes (default 1)
  --tick-ms N               demo-mode interval in ms (default 5000)
  --static                  no demo mode: the inventory does not change
  --log-level LEVEL         trace, debug, info, warn, error (default info)
  --help                    show this text

Options of --api js7:
  --joc-version V           2.5, 2.7, 2.8 (default) or a 2.x.y release; older ones lack endpoints
  --workflows N             workflows per Controller ID (default 24)
  --orders N                orders per Controller ID (default 300)
  --login-delay-ms N        delay of the first failed logins in ms (default 2000, later up to 30000)
`;

export interface CliOptions {
  help: boolean;
  options: SimulatorOptions;
  /** Present with `--api js7`: the JS7 simulator's options (`options` then holds only the shared ones). */
  js7?: Js7SimulatorOptions;
  user: string;
  passwordGiven: boolean;
  logLevel: string;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new Error(`--${name} expects an integer, got "${value}"`);
  return Number(value);
}

/** parseArgs takes "-1" for an option; `--session-timeout-ms -1` is meant as a value. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: joinNegativeValues(argv),
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      'session-timeout-ms': { type: 'string' },
      seed: { type: 'string' },
      'tick-ms': { type: 'string' },
      static: { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
      api: { type: 'string' },
      'joc-version': { type: 'string' },
      workflows: { type: 'string' },
      orders: { type: 'string' },
      'login-delay-ms': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const user = values.user ?? 'root';
  const port = integer('port', values.port, 4446);
  if (port < 0 || port > 65535) throw new Error(`--port out of range: ${port}`);
  const api = values.api ?? 'v1';
  if (api !== 'v1' && api !== 'js7') throw new Error(`--api expects v1 or js7, got "${api}"`);
  const js7Only = (['joc-version', 'workflows', 'orders', 'login-delay-ms'] as const).filter((k) => values[k] !== undefined);
  if (api === 'v1' && js7Only.length > 0) throw new Error(`--${js7Only[0]} needs --api js7`);
  const options: SimulatorOptions = {
    host: values.host ?? '127.0.0.1',
    port,
    users: { [user]: values.password ?? 'root' },
    sessionTimeoutMs: integer('session-timeout-ms', values['session-timeout-ms'], api === 'js7' ? 1_800_000 : 900_000),
    seed: integer('seed', values.seed, 1),
    demo: !(values.static ?? false),
    tickMs: integer('tick-ms', values['tick-ms'], 5000),
  };
  const cli: CliOptions = { help: values.help ?? false, user, passwordGiven: values.password !== undefined, logLevel: values['log-level'] ?? 'info', options };
  if (api === 'js7') cli.js7 = js7Options(options, values);
  return cli;
}

function js7Options(shared: SimulatorOptions, values: Record<string, string | boolean | undefined>): Js7SimulatorOptions {
  const version = typeof values['joc-version'] === 'string' ? values['joc-version'] : '2.8';
  parseVersion(version);
  const count = (name: string, fallback: number): number => {
    const n = integer(name, values[name] as string | undefined, fallback);
    if (n < 0) throw new Error(`--${name} must not be negative, got ${n}`);
    return n;
  };
  const firstMs = count('login-delay-ms', 2000);
  return {
    host: shared.host, port: shared.port, users: shared.users, sessionTimeoutMs: shared.sessionTimeoutMs, seed: shared.seed,
    demo: shared.demo, tickMs: shared.tickMs, version,
    size: { workflowsPerController: count('workflows', 24), ordersPerController: count('orders', 300) },
    loginDelay: { firstMs, maxMs: Math.max(firstMs, 30_000) },
  };
}

/** Where the CLI writes; replaceable in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  exit(code: number): void;
  /** Destination of the JSON log lines; default stderr. */
  log?: pino.DestinationStream;
}

export interface RunningCli {
  simulator: Simulator | Js7Simulator;
  /** What SIGTERM/SIGINT do: close, then exit 0. */
  stop(signal: string): Promise<void>;
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/** Runs the CLI; resolves when listening (undefined for --help and usage errors). */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<RunningCli | undefined> {
  let cli: CliOptions;
  try {
    cli = parseCli(argv);
  } catch (e) {
    io.stderr(`${(e as Error).message}\n\n${USAGE}`);
    io.exit(2);
    return undefined;
  }
  if (cli.help) {
    io.stdout(USAGE);
    return undefined;
  }
  const log = pino({ name: 'joc-simulator', level: cli.logLevel }, io.log ?? pino.destination(2));
  // No headers and no bodies: they carry credentials and tokens.
  const onRequest = (entry: { method: string; endpoint: string; status: number }): void => {
    log.debug({ method: entry.method, endpoint: entry.endpoint, status: entry.status }, 'request');
  };
  const credentials = cli.passwordGiven ? `user ${cli.user}, the password given with --password` : `${cli.user}/root (default password)`;
  let simulator: Simulator | Js7Simulator;
  if (cli.js7) {
    const js7 = await startJs7Simulator({ ...cli.js7, onRequest });
    simulator = js7;
    log.info(
      { url: `${js7.url}/joc/api`, api: 'js7', version: js7.version.text, controllerIds: js7.inventory.controllers.map((c) => c.controllerId), demo: cli.js7.demo, credentials },
      'JS7 JOC Cockpit simulator listening',
    );
  } else {
    const v1 = await startSimulator({ ...cli.options, onRequest });
    simulator = v1;
    log.info(
      { url: `${v1.url}/joc/api`, jobschedulerIds: v1.inventory.schedulers.map((s) => s.jobschedulerId), demo: cli.options.demo, credentials },
      'JOC Cockpit simulator listening',
    );
  }
  const onTerm = (): void => void stop('SIGTERM');
  const onInt = (): void => void stop('SIGINT');
  async function stop(signal: string): Promise<void> {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    log.info({ signal }, 'shutting down');
    await simulator.close();
    log.flush?.();
    io.exit(0);
  }
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  return { simulator, stop };
}

if (require.main === module) {
  runCli(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`simulator failed to start: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
