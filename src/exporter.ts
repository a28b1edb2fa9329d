import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Config, JocConfig, PollConfig } from './config/types';
import type { BackoffPolicy } from './joc/backoff';
import { createPoller, sessionPaths, type Poller } from './flavours';
import { JocCaller } from './joc/caller';
import { JocTransport } from './joc/http';
import { JocSession } from './joc/session';
import type { PollSummary, TargetStatus } from './landing-page';
import type { Logger } from './logger';
import { Exposition } from './metrics/exposition';
import { SelfMetrics } from './metrics/self';
import type { JocPollResult } from './poller';
import { listenLogFields, localUrl } from './listen';
import { ExporterServer } from './server';
import { exposedGc, type Collect } from './util/gc';

/** What tests and the CLI may replace. */
export interface ExporterDeps {
  readonly logger: Logger;
  readonly now?: () => number;
  readonly loginBackoff?: BackoffPolicy;
  /** Include prom-client's process and Node.js metrics in /metrics (default true). */
  readonly processMetrics?: boolean;
  /** One poll and no schedule (`--once`): a failed login promises no retry. Default false. */
  readonly once?: boolean;
  /**
   * A full garbage collection as each render starts and after it (src/util/gc.ts); default
   * node's `gc()` when node runs with `--expose-gc`, as the binary does, else none.
   */
  readonly collectGarbage?: Collect | null;
}

/** One JOC Cockpit instance: its connection, session, its flavour's poller and last result. */
class Target {
  readonly config: JocConfig;
  readonly transport: JocTransport;
  readonly session: JocSession;
  readonly poller: Poller;
  readonly logger: Logger;
  /** The last poll without its samples: the Exposition keeps those as bytes, and only there. */
  lastPoll: PollSummary | null = null;
  task: ScheduledTask | null = null;
  readonly #publish: (result: JocPollResult) => Promise<void>;
  #inFlight: Promise<JocPollResult> | null = null;

  constructor(
    config: JocConfig,
    poll: PollConfig,
    metrics: SelfMetrics,
    deps: ExporterDeps,
    publish: (result: JocPollResult) => Promise<void>,
  ) {
    this.config = config;
    this.#publish = publish;
    this.logger = deps.logger.child({ joc: config.name });
    this.transport = new JocTransport({
      name: config.name,
      url: config.url,
      timeoutMs: poll.timeoutSeconds * 1000,
      maxResponseBytes: poll.maxResponseBytes,
      ca: config.tls.ca,
      insecureSkipVerify: config.tls.insecureSkipVerify,
      metrics,
    });
    this.session = new JocSession({
      name: config.name,
      transport: this.transport,
      user: config.user,
      password: config.password,
      logger: this.logger,
      metrics,
      backoff: deps.loginBackoff,
      now: deps.now,
      logoutTimeoutMs: Math.min(poll.timeoutSeconds * 1000, 2_000),
      paths: sessionPaths(config),
      retries: !deps.once,
    });
    if (config.tls.insecureSkipVerify) {
      this.logger.warn({ url: config.url }, 'tls.insecureSkipVerify: the certificate of JOC Cockpit is not verified');
    }
    const caller = new JocCaller(this.session, metrics, config.name, this.logger);
    this.poller = createPoller(config, caller, { session: this.session, metrics, logger: this.logger, now: deps.now });
    metrics.initialiseJoc(config.name, this.poller.endpoints);
  }

  /** Polls unless a poll of this JOC is still running, in which case it waits for that one (no overlap). */
  poll(): Promise<JocPollResult> {
    if (this.#inFlight) {
      this.logger.warn('previous poll still running; this one is skipped (the schedule is faster than JOC answers)');
      return this.#inFlight;
    }
    this.#inFlight = this.poller
      .poll()
      .then(async (result) => {
        const { samples: _published, ...summary } = result;
        this.lastPoll = summary;
        await this.#publish(result);
        return result;
      })
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }

  get inFlight(): Promise<JocPollResult> | null {
    return this.#inFlight;
  }

  status(): TargetStatus {
    return { joc: this.config.name, url: this.config.url, api: this.config.apiVersion, lastPoll: this.lastPoll };
  }
}

/**
 * The daemon: one Target per configured JOC Cockpit, polled on the node-cron schedule, the
 * exposition rendered after each poll, and the HTTP server in front.
 */
export class Exporter {
  readonly config: Config;
  readonly metrics = new SelfMetrics();
  readonly exposition: Exposition;
  readonly #targets: readonly Target[];
  readonly #logger: Logger;
  #server: ExporterServer | null = null;
  #port = 0;
  #closing: Promise<void> | null = null;

  constructor(config: Config, deps: ExporterDeps) {
    this.config = config;
    this.#logger = deps.logger;
    this.exposition = new Exposition(this.metrics, {
      processMetrics: deps.processMetrics,
      jocOrder: config.joc.map((j) => j.name),
      collect: (deps.collectGarbage === undefined ? exposedGc() : deps.collectGarbage) ?? undefined,
    });
    this.#targets = config.joc.map(
      (joc) => new Target(joc, config.poll, this.metrics, deps, (result) => this.#publish(result)),
    );
  }

  /** The bound port once `start()` has resolved. */
  get port(): number {
    return this.#port;
  }

  /** A URL of the running server from this machine, e.g. `http://127.0.0.1:9446` (also when it listens on 0.0.0.0). */
  get url(): string {
    return localUrl(this.#server?.scheme ?? 'http', this.config.listen.host, this.#port);
  }

  /** Starts the server, the first poll of every JOC, and the schedule. */
  async start(): Promise<void> {
    await this.exposition.render();
    this.#server = new ExporterServer({
      host: this.config.listen.host,
      port: this.config.listen.port,
      web: this.config.listen.web,
      webConfigFile: this.config.listen.webConfigFile,
      maxConnections: this.config.listen.maxConnections,
      logger: this.#logger,
      metrics: (request) => this.exposition.page(request),
      targets: () => this.#targets.map((t) => t.status()),
    });
    this.#port = await this.#server.listen();
    this.#logger.info(
      {
        ...listenLogFields(this.#server.scheme, this.config.listen.host, this.#port),
        joc: this.config.joc.map((j) => j.name),
        schedule: this.config.poll.schedule,
      },
      'jobscheduler-exporter listening',
    );
    for (const target of this.#targets) {
      void target.poll();
      target.task = cron.schedule(this.config.poll.schedule, () => target.poll(), {
        name: `poll ${target.config.name}`,
        noOverlap: true,
        logger: cronLogger(target.logger),
      });
      target.session.setPollInterval(shortestInterval(target.task.getNextRuns(4)));
    }
  }

  /** Polls every JOC once, concurrently, and waits for all (used by `--once` and tests). */
  pollAll(): Promise<JocPollResult[]> {
    return Promise.all(this.#targets.map((t) => t.poll()));
  }

  /**
   * Stops polling, aborts what is in flight, logs out of every JOC, closes the server and the
   * connections. Idempotent; bounded in time by the logout timeout.
   */
  close(): Promise<void> {
    this.#closing ??= this.#closeNow();
    return this.#closing;
  }

  async #closeNow(): Promise<void> {
    this.#logger.info('shutting down: stopping polls and logging out of JOC Cockpit');
    await Promise.all(this.#targets.map((t) => t.task?.destroy()));
    await Promise.all(this.#targets.map((t) => t.session.close()));
    await Promise.all(this.#targets.map((t) => t.inFlight?.catch(() => undefined)));
    await this.#server?.close();
    await Promise.all(this.#targets.map((t) => t.transport.destroy()));
    this.#logger.info('shut down');
  }

  #publish(result: JocPollResult): Promise<void> {
    if (this.#closing) return Promise.resolve();
    return this.exposition.publish(result.joc, result.samples);
  }
}

/** The shortest time between consecutive runs of a schedule, in ms (0 when fewer than two are known). */
export function shortestInterval(runs: readonly Date[]): number {
  let shortest = 0;
  for (let i = 1; i < runs.length; i++) {
    const gap = runs[i]!.getTime() - runs[i - 1]!.getTime();
    if (shortest === 0 || gap < shortest) shortest = gap;
  }
  return shortest;
}

/** node-cron's own messages (overlap, missed runs) go through pino instead of the console. */
function cronLogger(logger: Logger): CronLogger {
  const child = logger.child({ component: 'node-cron' });
  return {
    info: (message) => child.info(message),
    warn: (message) => child.warn(message),
    error: (message, err) => child.error({ err: err?.message }, String(message)),
    debug: (message, err) => child.debug({ err: err?.message }, String(message)),
  };
}
