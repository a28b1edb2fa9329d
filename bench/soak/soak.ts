/**
 * The soak: the compiled exporter binary polls the JOC Cockpit simulator every second while
 * random faults come and go (every kind of `Fault`, expired sessions, a JOC restart, refused
 * connections), and its own /metrics is read at intervals for memory, sockets and event-loop
 * delay. At the end the faults clear, the exporter must recover by itself, and SIGTERM must end
 * it with exit 0. `npm run soak` runs it for minutes; a one-minute run is part of the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { request } from 'undici';
import { ENDPOINTS, FAULT_KINDS, startSimulator, type DataEndpoint, type Endpoint, type Fault, type Simulator } from '../../src/simulator';
import { createPrng, type Prng } from '../../src/simulator/prng';

export interface SoakOptions {
  /** How long faults are injected, in ms. */
  readonly durationMs: number;
  /** A reading of the exporter's own metrics every `reportMs`. */
  readonly reportMs: number;
  /** Chance per second that a new fault starts, 0 to 1 (random plan only). */
  readonly faultRate: number;
  /**
   * random (default): faults start at `faultRate` per second, drawn from `seed`. every-kind: a
   * fixed sequence, the same in every run: a quiet start, then one event a second, each lasting
   * a second, until every fault kind, every session-gone shape, a JOC restart and refused
   * connections have come once, then quiet to the end (see EVERY_KIND_MS).
   */
  readonly plan?: 'random' | 'every-kind';
  /** Seed of the fault sequence (the same seed gives the same faults). */
  readonly seed: number;
  /** Called with each reading as it is taken. */
  readonly onReading?: (reading: SoakReading) => void;
  /** Called with each fault as it starts. */
  readonly onFault?: (description: string) => void;
}

export interface SoakReading {
  readonly elapsedSeconds: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Open sockets of the exporter process (Linux /proc), or its open file descriptors elsewhere. */
  readonly sockets: number;
  readonly openFds: number;
  /** prom-client's event-loop delay of the exporter: p99 and max since the previous render. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** Polls that reached JOC so far (orders/overview/snapshot requests of the first JobScheduler). */
  readonly polls: number;
  readonly faults: number;
  readonly jocUp: number;
  /**
   * No fault active or ended within QUIET_AFTER_FAULT_MS, and JOC up: the exporter holds its
   * working set of connections. Open sockets are judged on these readings only: during an outage
   * the connections to JOC are gone, and a baseline taken then would report false growth.
   */
  readonly quiet: boolean;
}

export interface SoakReport {
  readonly readings: readonly SoakReading[];
  /** Scrapes of /metrics made; every one must answer 200. */
  readonly scrapes: number;
  readonly failedScrapes: readonly string[];
  readonly faultsInjected: number;
  readonly faultKindsSeen: readonly string[];
  /** Polls that reached JOC (see SoakReading.polls). */
  readonly polls: number;
  /** Seconds from clearing every fault to every up-gauge at 1, or null when it did not recover. */
  readonly recoverySeconds: number | null;
  readonly exitCode: number | null;
  readonly exitSignal: string | null;
  /** Seconds from SIGTERM to exit. */
  readonly shutdownSeconds: number;
  readonly logins: number;
  readonly logouts: number;
  /** Log lines at warn or above, and lines that are not JSON (there should be none). */
  readonly warnLines: number;
  readonly strayLines: readonly string[];
  /** The password or an access token appeared in the exporter's output. */
  readonly secretLeaked: boolean;
}

const PASSWORD = 'Soak-Password-7f3a9c';
const SCHEDULERS = ['scheduler', 'scheduler2'];
/** The data calls of a poll with configured JobSchedulers (no jobscheduler/ids). */
const DATA_ENDPOINTS = ENDPOINTS.filter(
  (e): e is DataEndpoint => !e.startsWith('security/') && e !== 'touch' && e !== 'jobscheduler/ids',
);
/** The exporter reads at most this much of one answer; the oversize fault sends twice as much. */
const MAX_RESPONSE_BYTES = 256 * 1024;
const TIMEOUT_SECONDS = 2;
/** Recovery is waited for this long at most: two polls plus the transient login backoff cap. */
const RECOVERY_LIMIT_MS = 40_000;
/** A reading is quiet only this long after the last fault ended: the time to poll again and reconnect. */
export const QUIET_AFTER_FAULT_MS = 2_500;
/** The every-kind plan: quiet this long first, so that quiet readings come before the faults. */
const EVERY_KIND_LEAD_MS = 5_000;

/** The compiled CLI, from bench/soak (ts-jest) or dist/bench/soak (npm run soak). */
export function cliPath(): string {
  const dist = __dirname.includes(`${sep}dist${sep}`) ? join(__dirname, '..', '..') : join(__dirname, '..', '..', 'dist');
  return join(dist, 'src', 'cli.js');
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const cli = cliPath();
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const sim = await startSimulator({ sessionTimeoutMs: 20_000, seed: options.seed, maxLoggedRequests: 200, users: { root: PASSWORD } });
  const dir = mkdtempSync(join(tmpdir(), 'jobscheduler-exporter-soak-'));
  const rng = createPrng(options.seed);
  let exporter: Exporter | undefined;
  try {
    writeFileSync(join(dir, 'config.yaml'), config(sim));
    exporter = startExporter(cli, join(dir, 'config.yaml'));
    const metricsUrl = await exporter.url;
    const faults = new FaultSchedule(sim, rng, options.onFault, options.plan === 'every-kind' ? everyKindEvents() : null);
    const readings: SoakReading[] = [];
    const failedScrapes: string[] = [];
    let scrapes = 0;

    const started = Date.now();
    let nextReport = started + options.reportMs;
    while (Date.now() - started < options.durationMs) {
      await sleep(1_000);
      await faults.tick(options.faultRate);
      scrapes += 1;
      const scrape = await scrapeMetrics(metricsUrl);
      if (typeof scrape === 'string') {
        failedScrapes.push(scrape);
        continue;
      }
      if (Date.now() >= nextReport) {
        nextReport += options.reportMs;
        const reading = read(scrape, exporter.pid, (Date.now() - started) / 1000, sim, faults);
        readings.push(reading);
        options.onReading?.(reading);
      }
    }

    await faults.clear();
    const clearedAt = Date.now();
    let recoverySeconds: number | null = null;
    while (Date.now() - clearedAt < RECOVERY_LIMIT_MS) {
      scrapes += 1;
      const scrape = await scrapeMetrics(metricsUrl);
      if (typeof scrape === 'string') failedScrapes.push(scrape);
      else if (allUp(scrape)) {
        recoverySeconds = (Date.now() - clearedAt) / 1000;
        break;
      }
      await sleep(250);
    }
    if (recoverySeconds !== null) {
      // One more reading once recovered and quiet: the end point for open sockets, whatever the
      // faults were doing when the last reading of the run was taken.
      await sleep(Math.max(0, QUIET_AFTER_FAULT_MS - (Date.now() - clearedAt)));
      scrapes += 1;
      const scrape = await scrapeMetrics(metricsUrl);
      if (typeof scrape === 'string') failedScrapes.push(scrape);
      else {
        const reading = read(scrape, exporter.pid, (Date.now() - started) / 1000, sim, faults);
        readings.push(reading);
        options.onReading?.(reading);
      }
    }

    const stopped = await exporter.stop();
    const tokens = new Set(sim.stats.requests.map((r) => r.headers['x-access-token']).filter((t): t is string => typeof t === 'string'));
    for (const s of sim.activeSessions()) tokens.add(s.accessToken);
    const output = exporter.output();
    const lines = output.split('\n').filter((l) => l.trim() !== '');
    const levels = lines.map((l): string | null => {
      try {
        return String((JSON.parse(l) as { level?: unknown }).level);
      } catch {
        return null;
      }
    });
    return {
      readings,
      scrapes,
      failedScrapes,
      faultsInjected: faults.count,
      faultKindsSeen: [...faults.kindsSeen].sort(),
      polls: sim.stats.perEndpoint['orders/overview/snapshot'] ?? 0,
      recoverySeconds,
      exitCode: stopped.code,
      exitSignal: stopped.signal,
      shutdownSeconds: stopped.seconds,
      logins: sim.stats.logins,
      logouts: sim.stats.logouts,
      warnLines: levels.filter((level) => level === 'warn' || level === 'error' || level === 'fatal').length,
      strayLines: lines.filter((_l, i) => levels[i] === null).slice(0, 5),
      secretLeaked: output.includes(PASSWORD) || [...tokens].some((t) => t.length > 8 && output.includes(t)),
    };
  } finally {
    exporter?.kill();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function config(sim: Simulator): string {
  const jobschedulers = SCHEDULERS.map((id) => {
    const scheduler = sim.inventory.schedulers.find((s) => s.jobschedulerId === id);
    if (!scheduler) throw new Error(`the generated inventory has no JobScheduler ${id}`);
    const chains = scheduler.jobChains.slice(0, 3).map((c) => JSON.stringify(c.path));
    const jobs = scheduler.jobs.slice(0, 5).map((j) => JSON.stringify(j.path));
    return `      - id: ${id}\n        jobChains: [${chains.join(', ')}]\n        jobs: [${jobs.join(', ')}]\n`;
  });
  return (
    `listen: { host: 127.0.0.1, port: 0 }\n` +
    `poll: { schedule: "* * * * * *", timeoutSeconds: ${TIMEOUT_SECONDS}, maxResponseBytes: ${MAX_RESPONSE_BYTES} }\n` +
    `log: { level: info }\n` +
    `joc:\n  - name: soak\n    url: ${sim.url}\n    user: root\n    password: ${PASSWORD}\n    jobschedulers:\n` +
    jobschedulers.join('')
  );
}

/** Environment variables handed to the exporter when the soak has them. */
export const PASSED_ENV = ['MALLOC_ARENA_MAX', 'NODE_OPTIONS'] as const;

interface Exporter {
  readonly pid: number;
  /** The /metrics URL, once the exporter has logged where it listens. */
  readonly url: Promise<string>;
  output(): string;
  stop(): Promise<{ code: number | null; signal: string | null; seconds: number }>;
  kill(): void;
}

function startExporter(cli: string, configFile: string): Exporter {
  // Only what shapes the process's memory passes through, for experiments (see `npm run soak -- --help`).
  const passed = Object.fromEntries(PASSED_ENV.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
  const child: ChildProcess = spawn(process.execPath, [cli, '--config', configFile], {
    env: { PATH: process.env.PATH, ...passed },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /"address":"(http[^"]+)"/.exec(output);
      if (match) resolve(`${match[1]}/metrics`);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`the exporter exited before it listened:\n${output}`)));
  });
  url.catch(() => undefined);
  return {
    pid: child.pid!,
    url,
    output: () => output,
    async stop() {
      const sent = Date.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const result = await exited;
      clearTimeout(timer);
      return { ...result, seconds: (Date.now() - sent) / 1000 };
    },
    kill: () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')),
  };
}

/** One event of the every-kind plan. */
type PlannedEvent =
  | { readonly kind: 'fault'; readonly endpoint: Endpoint; readonly fault: Fault }
  | { readonly kind: 'expire'; readonly shape: '401' | '440' | '420' }
  | { readonly kind: 'restart' }
  | { readonly kind: 'refuse' };

/** How long each event of the every-kind plan lasts. */
const PLANNED_LASTING_MS = 1_000;

/**
 * The every-kind plan's events in order: each fault kind on a data call (taking the calls in
 * turn), a failing login and keep-alive, each session-gone shape, a JOC restart, refused connections.
 */
export function everyKindEvents(): PlannedEvent[] {
  const faults: PlannedEvent[] = FAULT_KINDS.map((kind, i) => ({
    kind: 'fault',
    endpoint: DATA_ENDPOINTS[i % DATA_ENDPOINTS.length]!,
    fault: plannedFault(kind),
  }));
  return [
    ...faults,
    { kind: 'fault', endpoint: 'security/login', fault: { kind: 'reset' } },
    { kind: 'fault', endpoint: 'touch', fault: { kind: 'html500' } },
    { kind: 'expire', shape: '401' },
    { kind: 'expire', shape: '440' },
    { kind: 'expire', shape: '420' },
    { kind: 'restart' },
    { kind: 'refuse' },
  ];
}

function plannedFault(kind: Fault['kind']): Fault {
  if (kind === 'delay') return { kind, ms: TIMEOUT_SECONDS * 1_500 };
  if (kind === 'oversize') return { kind, bytes: MAX_RESPONSE_BYTES * 2 };
  return { kind } as Fault;
}

/** The length of an every-kind soak: the quiet lead, an event a second, and as long again quiet. */
export const EVERY_KIND_MS = 2 * EVERY_KIND_LEAD_MS + everyKindEvents().length * 1_000;

/** Starts and ends faults, one decision a second: random ones, or the events of a plan in turn. */
class FaultSchedule {
  count = 0;
  readonly kindsSeen = new Set<string>();
  readonly #sim: Simulator;
  readonly #rng: Prng;
  readonly #onFault: ((description: string) => void) | undefined;
  readonly #planned: PlannedEvent[] | null;
  readonly #startedAt = Date.now();
  /** Endpoint → when its fault ends. */
  readonly #active = new Map<Endpoint, number>();
  #refusedUntil = 0;
  /** When the last fault ended or the last instant event (expiry, restart) happened. */
  #lastEnded = 0;

  constructor(sim: Simulator, rng: Prng, onFault?: (description: string) => void, planned: PlannedEvent[] | null = null) {
    this.#sim = sim;
    this.#rng = rng;
    this.#onFault = onFault;
    this.#planned = planned;
  }

  /** No fault is active and none ended within QUIET_AFTER_FAULT_MS. */
  get quiet(): boolean {
    return this.#active.size === 0 && this.#refusedUntil === 0 && Date.now() - this.#lastEnded >= QUIET_AFTER_FAULT_MS;
  }

  async tick(rate: number): Promise<void> {
    const now = Date.now();
    for (const [endpoint, until] of this.#active) {
      if (until > now) continue;
      this.#sim.setFault(endpoint, null);
      this.#active.delete(endpoint);
      this.#lastEnded = now;
    }
    if (this.#refusedUntil !== 0 && this.#refusedUntil <= now) {
      this.#refusedUntil = 0;
      this.#lastEnded = now;
      await this.#sim.refuseConnections(false);
    }
    if (this.#planned) return this.#nextPlanned(now);
    if (this.#rng.next() >= rate) return;
    this.count += 1;
    const lasting = 1_000 + Math.floor(this.#rng.next() * 4_000);
    const roll = this.#rng.next();
    if (roll < 0.05) {
      this.#lastEnded = now;
      return this.#event(`session expiry (${this.#expire()})`);
    }
    if (roll < 0.08) {
      this.#sim.restart();
      this.#lastEnded = now;
      return this.#event('JOC restart (all sessions forgotten)');
    }
    if (roll < 0.12 && this.#refusedUntil === 0) {
      this.#refusedUntil = now + lasting;
      await this.#sim.refuseConnections(true);
      return this.#event(`connection refused for ${lasting} ms`);
    }
    // Logins fail now and then too; most faults hit the data calls and the keep-alive.
    const endpoint: Endpoint = roll < 0.17 ? 'security/login' : roll < 0.25 ? 'touch' : this.#rng.pick(DATA_ENDPOINTS);
    const fault = this.#fault();
    this.#sim.setFault(endpoint, fault);
    this.#active.set(endpoint, now + lasting);
    this.#event(`${fault.kind} on ${endpoint} for ${lasting} ms`, fault.kind);
  }

  async clear(): Promise<void> {
    if (this.#active.size > 0 || this.#refusedUntil !== 0) this.#lastEnded = Date.now();
    this.#sim.clearFaults();
    this.#active.clear();
    if (this.#refusedUntil !== 0) await this.#sim.refuseConnections(false);
    this.#refusedUntil = 0;
  }

  async #nextPlanned(now: number): Promise<void> {
    if (now - this.#startedAt < EVERY_KIND_LEAD_MS || this.#planned!.length === 0) return;
    if (this.#active.size > 0 || this.#refusedUntil !== 0) return;
    const event = this.#planned!.shift()!;
    this.count += 1;
    switch (event.kind) {
      case 'fault':
        this.#sim.setFault(event.endpoint, event.fault);
        this.#active.set(event.endpoint, now + PLANNED_LASTING_MS);
        return this.#event(`${event.fault.kind} on ${event.endpoint} for ${PLANNED_LASTING_MS} ms`, event.fault.kind);
      case 'expire':
        this.#sim.expireSessions(event.shape);
        this.#lastEnded = now;
        return this.#event(`session expiry (${event.shape})`);
      case 'restart':
        this.#sim.restart();
        this.#lastEnded = now;
        return this.#event('JOC restart (all sessions forgotten)');
      case 'refuse':
        this.#refusedUntil = now + PLANNED_LASTING_MS;
        await this.#sim.refuseConnections(true);
        return this.#event(`connection refused for ${PLANNED_LASTING_MS} ms`);
    }
  }

  #fault(): Fault {
    const kind = this.#rng.pick(FAULT_KINDS);
    switch (kind) {
      case 'delay':
        // Half of them longer than the timeout.
        return { kind, ms: Math.floor(this.#rng.next() * TIMEOUT_SECONDS * 2_000) };
      case 'oversize':
        return { kind, bytes: MAX_RESPONSE_BYTES * 2 };
      default:
        return { kind } as Fault;
    }
  }

  #expire(): string {
    const shape = this.#rng.pick(['401', '440', '420'] as const);
    this.#sim.expireSessions(shape);
    return shape;
  }

  #event(description: string, kind = description.split(' ')[0]!): void {
    this.kindsSeen.add(kind);
    this.#onFault?.(description);
  }
}

type Scrape = ReadonlyMap<string, number>;

/** GET /metrics on a fresh connection; the samples by `name{labels}`, or why the scrape failed. */
async function scrapeMetrics(url: string): Promise<Scrape | string> {
  try {
    const res = await request(url, { headers: { connection: 'close' }, headersTimeout: 5_000, bodyTimeout: 5_000 });
    const text = await res.body.text();
    if (res.statusCode !== 200) return `HTTP ${res.statusCode}`;
    const samples = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      samples.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    return samples;
  } catch (err) {
    return (err as Error).message;
  }
}

function allUp(scrape: Scrape): boolean {
  if (scrape.get('jobscheduler_joc_up{joc="soak"}') !== 1) return false;
  return SCHEDULERS.every((id) => scrape.get(`jobscheduler_up{joc="soak",jobscheduler_id="${id}"}`) === 1);
}

function read(scrape: Scrape, pid: number, elapsedSeconds: number, sim: Simulator, faults: FaultSchedule): SoakReading {
  const openFds = scrape.get('process_open_fds') ?? Number.NaN;
  const jocUp = scrape.get('jobscheduler_joc_up{joc="soak"}') ?? Number.NaN;
  return {
    elapsedSeconds,
    rssBytes: scrape.get('process_resident_memory_bytes') ?? Number.NaN,
    heapUsedBytes: scrape.get('nodejs_heap_size_used_bytes') ?? Number.NaN,
    sockets: openSockets(pid) ?? openFds,
    openFds,
    loopDelayP99Ms: (scrape.get('nodejs_eventloop_lag_p99_seconds') ?? Number.NaN) * 1000,
    loopDelayMaxMs: (scrape.get('nodejs_eventloop_lag_max_seconds') ?? Number.NaN) * 1000,
    polls: sim.stats.perEndpoint['orders/overview/snapshot'] ?? 0,
    faults: faults.count,
    jocUp,
    quiet: faults.quiet && allUp(scrape),
  };
}

/** Sockets among the open file descriptors of `pid` (Linux); undefined where /proc is not there. */
function openSockets(pid: number): number | undefined {
  const dir = `/proc/${pid}/fd`;
  if (!existsSync(dir)) return undefined;
  let sockets = 0;
  for (const fd of readdirSync(dir)) {
    try {
      if (readlinkSync(join(dir, fd)).startsWith('socket:')) sockets += 1;
    } catch {
      // closed between the listing and the readlink
    }
  }
  return sockets;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How much a resource grew once the exporter had settled: the first half of the run is warm-up
 * (V8 compiles, the heap and the malloc arenas grow to their working size: RSS climbs for some
 * 4 minutes at a poll a second, then stays flat), and of the second half the lowest reading of
 * its last part is compared with the lowest of its first part. The lowest readings are those
 * just after a garbage collection; the highest only say when the collector last ran.
 */
export function growth(readings: readonly SoakReading[], of: (r: SoakReading) => number): { start: number; end: number; ratio: number } {
  const total = readings.at(-1)?.elapsedSeconds ?? 0;
  const settled = readings.filter((r) => r.elapsedSeconds >= total / 2);
  const used = settled.length >= 2 ? settled : readings;
  const part = Math.max(1, Math.floor(used.length / 2));
  const start = Math.min(...used.slice(0, part).map(of));
  const end = Math.min(...used.slice(-part).map(of));
  return { start, end, ratio: end / start };
}

/** Growth that counts as noise, as a ratio (0.2 = 20 %). */
export interface Tolerance {
  readonly heap: number;
  readonly rss: number;
}

/**
 * After warm-up, RSS holds within a few per cent (10-minute and 20-minute soaks: 129.8 → 132.7
 * and 132.4 → 134.1 MB); a leak of 100 KB a poll would add 10 % in 150 s. The heap's lows swing
 * more between collections.
 */
export const LONG_RUN_TOLERANCE: Tolerance = { heap: 0.2, rss: 0.1 };

/**
 * What is wrong with a soak run; empty when it passed. Allowed as noise: growth within
 * `tolerance`, 2 more open sockets.
 */
export function findings(report: SoakReport, tolerance: Tolerance = LONG_RUN_TOLERANCE): string[] {
  const problems: string[] = [];
  if (report.failedScrapes.length > 0) problems.push(`${report.failedScrapes.length} scrapes failed, first: ${report.failedScrapes[0]}`);
  if (report.recoverySeconds === null) problems.push(`did not recover within ${RECOVERY_LIMIT_MS / 1000} s of the faults clearing`);
  if (report.exitCode !== 0) problems.push(`exit code ${report.exitCode} (signal ${report.exitSignal}) after SIGTERM`);
  if (report.shutdownSeconds > 5) problems.push(`shutdown took ${report.shutdownSeconds} s`);
  if (report.secretLeaked) problems.push('the password or an access token reached the output');
  if (report.strayLines.length > 0) problems.push(`output lines that are not JSON log lines: ${report.strayLines.join(' | ')}`);
  if (report.readings.length >= 3) {
    const measures = [
      ['RSS', (r: SoakReading) => r.rssBytes, tolerance.rss],
      ['heap', (r: SoakReading) => r.heapUsedBytes, tolerance.heap],
    ] as const;
    for (const [what, of, allowed] of measures) {
      const g = growth(report.readings, of);
      if (g.ratio > 1 + allowed) problems.push(`${what} grew ${((g.ratio - 1) * 100).toFixed(1)} % (${mb(g.start)} → ${mb(g.end)} MB)`);
    }
  }
  const sockets = socketGrowth(report.readings);
  if (sockets && sockets.end > sockets.start + 2) problems.push(`open sockets grew from ${sockets.start} to ${sockets.end} (quiet readings)`);
  return problems;
}

/**
 * Open sockets over the quiet readings only (see SoakReading.quiet): the lowest of their first
 * half against the lowest of their second half. Unlike memory they need no warm-up: once JOC has
 * answered a poll the exporter holds its working set of connections. Null when fewer than two
 * readings were quiet, too few to say anything.
 */
export function socketGrowth(readings: readonly SoakReading[]): { start: number; end: number; quietReadings: number } | null {
  const quiet = readings.filter((r) => r.quiet);
  if (quiet.length < 2) return null;
  const part = Math.floor(quiet.length / 2);
  const start = Math.min(...quiet.slice(0, part).map((r) => r.sockets));
  const end = Math.min(...quiet.slice(-part).map((r) => r.sockets));
  return { start, end, quietReadings: quiet.length };
}

export function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
