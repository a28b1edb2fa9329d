/**
 * `npm run demo`: live metrics without a JOC Cockpit at hand. Starts the JOC Cockpit simulator in
 * demo mode (its orders and jobs change every few seconds) and the exporter polling it every
 * 5 seconds, both on 127.0.0.1, and prints where to look. The exporter's config is YAML text
 * validated by `parseConfig` like a user's; the JOC name is `demo`, so every series carries
 * `joc="demo"`. The password is random, made at start, and never printed.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseConfig } from './config';
import { Exporter } from './exporter';
import { createLogger } from './logger';
import { startSimulator, type SchedulerInventory, type Simulator } from './simulator';
import { NAME } from './version';

const USAGE = `Usage: npm run demo -- [--port PORT] [--sim-port PORT]

Runs ${NAME} against a simulated JOC Cockpit 1.13 whose orders and jobs change
every few seconds, polled every 5 seconds, both on 127.0.0.1. Stop with Ctrl+C.

Options:
  --port PORT       the exporter's port (default 9446; 0 = any free port)
  --sim-port PORT   the simulator's port (default: any free port)
  --help            show this text
`;

const JOC_NAME = 'demo';
const USER = 'demo';
const TICK_MS = 3_000;
const ALL_ORDER_STATES = 'PENDING, RUNNING, SUSPENDED, SETBACK, BLACKLIST, WAITINGFORRESOURCE';

function portOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new Error(`--${name} expects a port number (0-65535), got "${value}"`);
  return port;
}

/** A few job chains and jobs (chained and standalone) of each JobScheduler, so the per-chain and per-job series show. */
function watched(scheduler: SchedulerInventory): string {
  const chains = scheduler.jobChains.slice(0, 3).map((c) => c.path);
  const jobs = [...scheduler.jobs.filter((j) => j.isOrderJob).slice(0, 2), ...scheduler.jobs.filter((j) => !j.isOrderJob).slice(0, 3)];
  return `      - id: ${JSON.stringify(scheduler.jobschedulerId)}
        orderStates: [${ALL_ORDER_STATES}]
        jobChains: ${JSON.stringify(chains)}
        jobs: ${JSON.stringify(jobs.map((j) => j.path))}`;
}

function configYaml(sim: Simulator, port: number): string {
  return `listen: { host: 127.0.0.1, port: ${port} }
poll: { schedule: "*/5 * * * * *" }
joc:
  - name: ${JOC_NAME}
    url: ${sim.url}
    user: ${USER}
    password: \${DEMO_PASSWORD}
    jobschedulers:
${sim.inventory.schedulers.map(watched).join('\n')}
`;
}

/** A port already taken is the one start failure a user can fix at once: say how. */
function startFailure(err: unknown, port: number, option: string): string {
  const error = err as NodeJS.ErrnoException;
  if (error.code === 'EADDRINUSE') {
    return `${NAME} demo: port ${port} on 127.0.0.1 is in use; choose another with ${option} PORT (${option} 0 takes any free port)\n`;
  }
  return `${NAME} demo: cannot start: ${error.message}\n`;
}

async function main(argv: string[]): Promise<number> {
  let port: number;
  let simPort: number;
  try {
    const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, 'sim-port': { type: 'string' }, help: { type: 'boolean' } } });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    port = portOption('port', values.port, 9446);
    simPort = portOption('sim-port', values['sim-port'], 0);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const password = randomBytes(24).toString('base64url');
  let sim: Simulator;
  try {
    sim = await startSimulator({ host: '127.0.0.1', port: simPort, users: { [USER]: password }, demo: true, tickMs: TICK_MS });
  } catch (err) {
    process.stderr.write(startFailure(err, simPort, '--sim-port'));
    return 1;
  }
  const config = await parseConfig(configYaml(sim, port), 'demo config (in memory)', { DEMO_PASSWORD: password }, process.cwd());
  const logger = createLogger('info');
  const exporter = new Exporter(config, { logger });
  try {
    await exporter.start();
  } catch (err) {
    await exporter.close();
    await sim.close();
    process.stderr.write(startFailure(err, port, '--port'));
    return 1;
  }

  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const target = `127.0.0.1:${exporter.port}`;
  const ids = sim.inventory.schedulers.map((s) => s.jobschedulerId).join(', ');
  process.stderr.write(`
${NAME} demo: a simulated JOC Cockpit (JobSchedulers ${ids}), polled every 5 s
  metrics:      ${exporter.url}/metrics
  status page:  ${exporter.url}/
  simulator:    ${sim.url}/joc/api (the inventory changes every ${TICK_MS / 1000} s)
  Prometheus:   scrape_configs: [{ job_name: jobscheduler, scrape_interval: 5s, static_configs: [{ targets: ['${target}'] }] }]
Stop with Ctrl+C.

`);
  const signal = await stopped;
  logger.info({ signal }, 'received signal, shutting down');
  await exporter.close();
  await sim.close();
  process.stderr.write(`${NAME} demo: stopped; the simulator saw ${sim.stats.logouts} logout(s)\n`);
  return 0;
}

// The process ends when nothing is left open; a second Ctrl+C ends it at once.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${NAME} demo: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
