import type { Js7OrderStateFilter } from '../joc/js7/enums';
import type { OrderStateFilter } from '../joc/v1/enums';
import type { Secret } from '../secret';

/**
 * The resolved configuration: every default applied, environment expanded, files read.
 * The user-facing format is CONTRACT §2; `config.example.yaml` documents every key.
 */
export interface Config {
  /** The file the configuration was read from, as given. */
  readonly source: string;
  readonly listen: ListenConfig;
  readonly poll: PollConfig;
  readonly log: LogConfig;
  readonly joc: readonly JocConfig[];
}

export interface ListenConfig {
  readonly host: string;
  readonly port: number;
  readonly webConfigFile: string | null;
  /** The parsed web config file, when `webConfigFile` is set. */
  readonly web: WebConfig | null;
  /** Open connections at most; beyond it idle ones are closed to make room (see server.ts). */
  readonly maxConnections: number;
}

export const DEFAULT_MAX_CONNECTIONS = 256;
export const MAX_MAX_CONNECTIONS = 65_536;

export interface PollConfig {
  /** node-cron expression, 5 or 6 fields. */
  readonly schedule: string;
  readonly timeoutSeconds: number;
  /** The largest JOC Cockpit answer body read, in bytes; a larger one fails its request. */
  readonly maxResponseBytes: number;
}

/**
 * 64 MiB: room for the `orders` answer of about 150,000 orders in the watched states (compact
 * orders take some 400 bytes each), small enough that a runaway answer cannot exhaust memory.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
export const MIN_RESPONSE_BYTES = 1024;
export const MAX_RESPONSE_BYTES = 1024 * 1024 * 1024;

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogConfig {
  readonly level: LogLevel;
}

export type ApiVersion = 'v1' | 'js7';

/** What every JOC Cockpit instance has, whatever its API flavour. */
interface JocConfigBase {
  /** Value of the `joc` label. */
  readonly name: string;
  /** Base URL without `/joc/api` and without a trailing slash. */
  readonly url: string;
  readonly user: string;
  /** From `password` or the content of `passwordFile`. */
  readonly password: Secret;
  readonly tls: JocTlsConfig;
  /** Task and order history (CONTRACT §8.1). */
  readonly history: HistoryConfig;
  /** Agents (CONTRACT §8.2). */
  readonly agents: AgentsConfig;
  /** Today's daily plan (CONTRACT §8.3). */
  readonly dailyPlan: DailyPlanConfig;
}

export interface HistoryConfig {
  readonly enabled: boolean;
  /** The longest gap (missed polls, JOC outages) that is caught up, and how far back the first poll reads, hours. */
  readonly windowHours: number;
  /** Per JobScheduler / Controller: jobs (and job chains, workflows) with series of their own. */
  readonly maxJobs: number;
}

export const DEFAULT_HISTORY: HistoryConfig = { enabled: true, windowHours: 6, maxJobs: 5_000 };
export const MIN_HISTORY_WINDOW_HOURS = 0.5;
export const MAX_HISTORY_WINDOW_HOURS = 168;
export const MAX_HISTORY_JOBS = 1_000_000;

export interface AgentsConfig {
  readonly enabled: boolean;
}

export interface DailyPlanConfig {
  readonly enabled: boolean;
  /** IANA time zone of "today". */
  readonly timeZone: string;
}

/** A JOC Cockpit 1.x instance (`apiVersion: v1`). */
export interface V1JocConfig extends JocConfigBase {
  readonly apiVersion: 'v1';
  /** null when `jobschedulers` is omitted: the ids are discovered with `jobscheduler/ids`. */
  readonly jobschedulers: readonly JobSchedulerConfig[] | null;
}

/** A JS7 JOC Cockpit 2.x instance (`apiVersion: js7`, CONTRACT §7). */
export interface Js7JocConfig extends JocConfigBase {
  readonly apiVersion: 'js7';
  /** null when `controllers` is omitted: the ids are discovered with `controller/ids`. */
  readonly controllers: readonly ControllerConfig[] | null;
}

export type JocConfig = V1JocConfig | Js7JocConfig;

export interface JocTlsConfig {
  readonly caFile: string | null;
  /** The PEM content of `caFile`. */
  readonly ca: string | null;
  readonly insecureSkipVerify: boolean;
}

export interface JobSchedulerConfig extends SchedulerConfig {
  /** Upper case, without duplicates, in the order given. */
  readonly orderStates: readonly OrderStateFilter[];
  readonly jobChains: readonly string[];
  readonly jobs: readonly string[];
}

/** The default `orderStates` of a JobScheduler (CONTRACT §2). */
export const DEFAULT_ORDER_STATES: readonly OrderStateFilter[] = ['SUSPENDED', 'SETBACK', 'BLACKLIST'];

/** What both kinds of scheduler entry have: the id (`jobscheduler_id` label). */
export interface SchedulerConfig {
  readonly id: string;
}

/** One JS7 Controller ID of a js7 JOC (CONTRACT §2 `controllers`). */
export interface ControllerConfig extends SchedulerConfig {
  /** Upper case, without duplicates, in the order given. */
  readonly orderStates: readonly Js7OrderStateFilter[];
  /** Absolute workflow paths, without duplicates. */
  readonly workflows: readonly string[];
}

/** The default `orderStates` of a JS7 Controller (CONTRACT §2). */
export const DEFAULT_JS7_ORDER_STATES: readonly Js7OrderStateFilter[] = ['SUSPENDED', 'FAILED', 'BLOCKED', 'PROMPTING'];

/** exporter-toolkit's web configuration file, resolved (files read). */
export interface WebConfig {
  readonly tls: WebTlsConfig | null;
  /** user name → bcrypt hash. Empty: no basic auth. */
  readonly basicAuthUsers: ReadonlyMap<string, string>;
  /** Extra response headers from `http_server_config.headers`. */
  readonly headers: Readonly<Record<string, string>>;
  /** `rate_limit`: a token bucket of `burst` tokens, one more every `intervalMs`; null: no limit. */
  readonly rateLimit: { readonly intervalMs: number; readonly burst: number } | null;
}

export type ClientAuthType =
  | 'NoClientCert'
  | 'RequestClientCert'
  | 'RequireAnyClientCert'
  | 'VerifyClientCertIfGiven'
  | 'RequireAndVerifyClientCert';

export interface WebTlsConfig {
  readonly cert: string;
  readonly key: string;
  readonly clientCa: string | null;
  readonly clientAuthType: ClientAuthType;
  readonly minVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' | null;
  /** OpenSSL names of the TLS 1.2 cipher suites allowed (`cipher_suites`); null: Node's defaults. */
  readonly ciphers: string | null;
  /** OpenSSL names of the key exchange groups (`curve_preferences`), `:`-separated; null: defaults. */
  readonly ecdhCurve: string | null;
  /** The server's cipher order wins (`prefer_server_cipher_suites`, default true as exporter-toolkit). */
  readonly honorCipherOrder: boolean;
  /** A client certificate must carry one of these SANs (`client_allowed_sans`); null: any. */
  readonly clientAllowedSans: readonly string[] | null;
}

/** One problem found in the configuration: the key path and what is wrong with it. */
export interface ConfigProblem {
  /** e.g. `joc[0].url`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
}

/** Thrown by `loadConfig` with every problem found, never only the first. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(source: string, problems: readonly ConfigProblem[]) {
    super(`invalid configuration ${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }

  /** One line per problem, `path: message`, as the CLI prints them. */
  lines(): string[] {
    return this.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  }
}
