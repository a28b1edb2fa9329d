/**
 * `npm run simulator`: a JOC Cockpit 1.13 simulator for users without a JOC at hand.
 * Demo mode (the inventory changes every few seconds) is on unless `--static` is given.
 * Logs JSON lines (pino) to stderr: one at startup, one per request at debug level.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startSimulator, type Simulator, type SimulatorOptions } from './index';
import { logFormat } from '../logger';

const USAGE = `Usage: node dist/src/simulator/main.js [options]

A JOC Cockpit 1.13 simulator: POST http://HOST:PORT/joc/api/...

Options:
  --host HOST               listen address (default 127.0.0.1)
  --port PORT               listen port (default 4446)
  --user NAME               account name (default root)
  --password PASSWORD       account password (default root)
  --session-timeout-ms N    idle session timeout in ms, -1 = never (default 900000)
  --seed N                  seed of the generated inventory and its changes (default 1)
  --tick-ms N               demo-mode interval in ms (default 5000)
  --static                  no demo mode: the inventory does not change
  --log-level LEVEL         trace, debug, info, warn, error (default info)
  --help                    show this text
`;

export interface CliOptions {
  help: boolean;
  options: SimulatorOptions;
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
    },
    strict: true,
    allowPositionals: false,
  });
  const user = values.user ?? 'root';
  const port = integer('port', values.port, 4446);
  if (port < 0 || port > 65535) throw new Error(`--port out of range: ${port}`);
  return {
    help: values.help ?? false,
    user,
    passwordGiven: values.password !== undefined,
    logLevel: values['log-level'] ?? 'info',
    options: {
      host: values.host ?? '127.0.0.1',
      port,
      users: { [user]: values.password ?? 'root' },
      sessionTimeoutMs: integer('session-timeout-ms', values['session-timeout-ms'], 900_000),
      seed: integer('seed', values.seed, 1),
      demo: !(values.static ?? false),
      tickMs: integer('tick-ms', values['tick-ms'], 5000),
    },
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
  simulator: Simulator;
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
  const log = pino({ ...logFormat('joc-simulator'), level: cli.logLevel }, io.log ?? pino.destination(2));
  const simulator = await startSimulator({
    ...cli.options,
    onRequest: (entry) => {
      // No headers and no bodies: they carry credentials and tokens.
      log.debug({ method: entry.method, endpoint: entry.endpoint, status: entry.status }, 'request');
    },
  });
  log.info(
    {
      url: `${simulator.url}/joc/api`,
      jobschedulerIds: simulator.inventory.schedulers.map((s) => s.jobschedulerId),
      demo: cli.options.demo,
      credentials: cli.passwordGiven ? `user ${cli.user}, the password given with --password` : `${cli.user}/root (default password)`,
    },
    'JOC Cockpit simulator listening',
  );
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
