/**
 * `npm run demo`: live metrics without a JOC Cockpit at hand. Starts the JOC Cockpit 1.x simulator
 * and the JS7 simulator in demo mode (their orders, jobs, workflows and Controllers change every
 * few seconds) and one exporter polling both every 5 seconds, all on 127.0.0.1, and prints where
 * to look. The exporter's config is YAML text validated by `parseConfig` like a user's; the JOC
 * names are `demo` (1.x) and `demo-js7` (JS7). The password is random, made at start, and never
 * printed.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseConfig } from './config';
import { Exporter } from './exporter';
import { createLogger } from './logger';
import { startSimulator, type SchedulerInventory, type Simulator } from './simulator';
import { startJs7Simulator, type Js7Simulator } from './simulator/js7';
import { JS7_ORDER_STATE_FILTERS } from './joc/js7/enums';
import { NAME } from './version';

const USAGE = `Usage: npm run demo -- [--port PORT] [--sim-port PORT]

Runs ${NAME} against a simulated JOC Cockpit 1.13 and a simulated JS7 JOC Cockpit
2.8, whose orders, jobs and workflows change every few seconds, both polled every
5 seconds by one exporter, all on 127.0.0.1. Stop with Ctrl+C.

Options:
  --port PORT       the exporter's port (default 9446; 0 = any free port)
  --sim-port PORT   the 1.x simulator's port (default: any free port; the JS7 one takes any free port)
  --help            show this text
`;

const JOC_NAME = 'demo';
const JS7_JOC_NAME = 'demo-js7';
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

/** A few workflows of each Controller ID, so the per-workflow state series show. */
function watchedControllers(js7: Js7Simulator): string {
  return js7.inventory.controllers
    .map((c) => `      - id: ${JSON.stringify(c.controllerId)}
        orderStates: [${JS7_ORDER_STATE_FILTERS.join(', ')}]
        workflows: ${JSON.stringify([...new Set(c.workflows.map((w) => w.path))].slice(0, 4))}`)
    .join('\n');
}

function configYaml(sim: Simulator, js7: Js7Simulator, port: number): string {
  return `listen: { host: 127.0.0.1, port: ${port} }
poll: { schedule: "*/5 * * * * *" }
joc:
  - name: ${JOC_NAME}
    url: ${sim.url}
    user: ${USER}
    password: \${DEMO_PASSWORD}
    jobschedulers:
${sim.inventory.schedulers.map(watched).join('\n')}
  - name: ${JS7_JOC_NAME}
    url: ${js7.url}
    apiVersion: js7
    user: ${USER}
    password: \${DEMO_PASSWORD}
    controllers:
${watchedControllers(js7)}
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
  let js7: Js7Simulator;
  try {
    js7 = await startJs7Simulator({ host: '127.0.0.1', users: { [USER]: password }, demo: true, tickMs: TICK_MS });
  } catch (err) {
    await sim.close();
    process.stderr.write(startFailure(err, 0, '--sim-port'));
    return 1;
  }
  const config = await parseConfig(configYaml(sim, js7, port), 'demo config (in memory)', { DEMO_PASSWORD: password }, process.cwd());
  const logger = createLogger('info');
  const exporter = new Exporter(config, { logger });
  try {
    await exporter.start();
  } catch (err) {
    await exporter.close();
    await Promise.all([sim.close(), js7.close()]);
    process.stderr.write(startFailure(err, port, '--port'));
    return 1;
  }

  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const target = `127.0.0.1:${exporter.port}`;
  const ids = sim.inventory.schedulers.map((s) => s.jobschedulerId).join(', ');
  const controllers = js7.inventory.controllers.map((c) => c.controllerId).join(', ');
  process.stderr.write(`
${NAME} demo: a simulated JOC Cockpit 1.x "${JOC_NAME}" (JobSchedulers ${ids}) and a JS7 JOC
Cockpit "${JS7_JOC_NAME}" (Controllers ${controllers}), both polled every 5 s
  metrics:      ${exporter.url}/metrics
  status page:  ${exporter.url}/
  simulator:    ${sim.url}/joc/api (the inventory changes every ${TICK_MS / 1000} s)
  JS7:          ${js7.url}/joc/api (JOC ${js7.version.text})
  Prometheus:   scrape_configs: [{ job_name: jobscheduler, scrape_interval: 5s, static_configs: [{ targets: ['${target}'] }] }]
Stop with Ctrl+C.

`);
  const signal = await stopped;
  logger.info({ signal }, 'received signal, shutting down');
  await exporter.close();
  await Promise.all([sim.close(), js7.close()]);
  process.stderr.write(`${NAME} demo: stopped; the simulators saw ${sim.stats.logouts + js7.stats.logouts} logout(s)\n`);
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
