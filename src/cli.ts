#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=1 --liftoff-only --optimize-for-size --expose-gc
// The memory settings above (also in `npm start` and the Docker ENTRYPOINT; README, "Memory";
// figures in docs/performance.md, "Memory"): V8 lets its young generation grow to 16 MB per
// semi-space, which a poll's short-lived garbage fills and RSS keeps (1 MB: a few more
// scavenges); --liftoff-only keeps V8 from compiling undici's WebAssembly HTTP parser a second
// time with TurboFan, whose 35 MB of compiler memory the process keeps; --optimize-for-size has V8
// collect and optimise for a small heap, for more CPU time per poll; --expose-gc lets the exporter
// collect the garbage of a poll once its render is kept (src/util/gc.ts); MALLOC_ARENA_MAX=2 keeps
// glibc from giving each thread that allocates (libuv's, V8's) a malloc arena of its own.
import { parseArgs } from 'node:util';
import { loadConfig, summarise } from './config';
import { ConfigError, type Config } from './config/types';
import { Exporter } from './exporter';
import { describeListenError } from './listen';
import { createLogger, type Logger } from './logger';
import { NAME, VERSION } from './version';

/** Exit codes (CONTRACT §1). */
export const EXIT = { OK: 0, FATAL: 1, USAGE: 2 } as const;

/** Longest wait for a clean shutdown after SIGTERM/SIGINT before the process ends anyway. */
const SHUTDOWN_DEADLINE_MS = 4_500;

const HELP = `Usage: ${NAME} [--config FILE] [--check-config | --once]

Prometheus exporter for SOS JobScheduler's JOC Cockpit, 1.x and JS7 (2.x). Logs in to
each configured JOC Cockpit and polls it on a schedule: orders, jobs and job chains (1.x)
or workflows (JS7), Masters or Controllers, Agents, the daily plan, and the tasks and
orders that ended and how. Serves them on /metrics.

Options:
  --config FILE    the YAML configuration (default ./config.yaml; see config.example.yaml)
  --check-config   validate the configuration, print a summary, and exit (0 valid, 2 not)
  --once           poll every JOC Cockpit once, print the /metrics text to stdout, log out,
                   and exit (0 when every JOC Cockpit was reached, 1 otherwise)
  --version        print the version and exit
  --help           print this help and exit

Exit codes: 0 normal end (also after SIGTERM/SIGINT), 1 fatal runtime error,
2 configuration or usage error.
`;

/** Where the CLI writes and what it reads; replaceable in tests. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT). */
  readonly stopSignal: () => Promise<string>;
  readonly logger?: (level: Config['log']['level']) => Logger;
}

let stopSignal: Promise<string> | null = null;

/** The first SIGTERM/SIGINT from the first call on: called at startup, so a signal during startup is not lost. */
function processStopSignal(): Promise<string> {
  stopSignal ??= new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  return stopSignal;
}

const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stopSignal: processStopSignal,
};

interface Flags {
  config: string;
  checkConfig: boolean;
  once: boolean;
  version: boolean;
  help: boolean;
}

function parseFlags(argv: readonly string[]): Flags {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      config: { type: 'string', default: './config.yaml' },
      'check-config': { type: 'boolean', default: false },
      once: { type: 'boolean', default: false },
      version: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values['check-config'] && values.once) throw new TypeError('--check-config and --once exclude each other');
  return {
    config: values.config as string,
    checkConfig: values['check-config'] as boolean,
    once: values.once as boolean,
    version: values.version as boolean,
    help: values.help as boolean,
  };
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(argv);
  } catch (err) {
    io.stderr(`${NAME}: ${(err as Error).message}\nTry '${NAME} --help'.\n`);
    return EXIT.USAGE;
  }
  if (flags.help) {
    io.stdout(HELP);
    return EXIT.OK;
  }
  if (flags.version) {
    io.stdout(`${NAME} ${VERSION} (Node.js ${process.version})\n`);
    return EXIT.OK;
  }

  let config: Config;
  try {
    config = await loadConfig(flags.config, io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`${NAME}: ${err.message}\n${err.lines().map((l) => `  ${l}\n`).join('')}`);
    return EXIT.USAGE;
  }
  if (flags.checkConfig) {
    io.stdout(`${summarise(config)}\n`);
    return EXIT.OK;
  }

  const logger = (io.logger ?? createLogger)(config.log.level);
  return flags.once ? runOnce(config, logger, io) : runDaemon(config, logger, io);
}

async function runOnce(config: Config, logger: Logger, io: CliIO): Promise<number> {
  const exporter = new Exporter(config, { logger, once: true });
  try {
    const results = await exporter.pollAll();
    io.stdout((await exporter.exposition.page()).body);
    return results.every((r) => r.up) ? EXIT.OK : EXIT.FATAL;
  } finally {
    await exporter.close();
  }
}

async function runDaemon(config: Config, logger: Logger, io: CliIO): Promise<number> {
  const exporter = new Exporter(config, { logger });
  const stop = io.stopSignal();
  try {
    await exporter.start();
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, 'cannot start');
    const listenProblem = describeListenError(err, config.listen);
    if (listenProblem) io.stderr(`${NAME}: ${listenProblem}\n`);
    await exporter.close();
    return EXIT.FATAL;
  }
  const signal = await stop;
  logger.info({ signal }, 'received signal, shutting down');
  await exporter.close();
  return EXIT.OK;
}

/** Keeps a bug from taking the daemon down silently: log, and end only when state may be broken. */
function installProcessGuards(): void {
  const logger = createLogger('error');
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: String(reason) }, 'unhandled promise rejection (a bug; the exporter keeps running)');
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err: err.stack ?? err.message }, 'uncaught exception; exiting');
    process.exit(EXIT.FATAL);
  });
}

if (require.main === module) {
  installProcessGuards();
  // Listening from here on: a signal while the configuration loads still ends the daemon cleanly
  // (it starts, stops at once, logs out) instead of being swallowed until the deadline (exit 1).
  void processStopSignal();
  let stopping = false;
  const deadline = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`${NAME}: shutdown took longer than ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway\n`);
      process.exit(EXIT.FATAL);
    }, SHUTDOWN_DEADLINE_MS).unref();
  };
  process.on('SIGTERM', deadline);
  process.on('SIGINT', deadline);
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${NAME}: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(EXIT.FATAL);
    },
  );
}
