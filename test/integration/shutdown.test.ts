import { execFile, type ChildProcess } from 'node:child_process';
import { constants as fsConstants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Agent, createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runInThisContext } from 'node:vm';
import type { WebConfig, WebTlsConfig } from '../../src/config/types';
import { createLogger } from '../../src/logger';
import { MetricsPage } from '../../src/metrics/exposition';
import { ExporterServer } from '../../src/server';
import { startSimulator, type Simulator } from '../../src/simulator';
import { runBinary, until } from '../support/binary';
import { SIM_PASSWORD, stacksPerTest } from '../support/stack';
import { describeWithTools } from '../support/tools';

// SIGTERM/SIGINT (CONTRACT §5: stop polling, abort what is in flight, log out, close the server,
// exit 0 within 5 s) at the awkward moments: a poll in flight, a login in flight, a login backoff,
// a client holding a connection; and no unhandled rejection on any of these paths.

const TLS_DIR = join(__dirname, '..', 'fixtures', 'tls');
const EXIT_WITHIN_MS = 5_000;
/** Long enough that nothing held is answered before the test is over. */
const HOLD_MS = 30_000;

/**
 * A proxy between the exporter and the simulator that holds the requests of some endpoints for
 * `hold(endpoint)` ms before passing them on, so a test can act while one is in flight. A held
 * request whose client gives up (the exporter aborted it) is never passed on.
 */
interface HoldingProxy {
  readonly url: string;
  /** Where requests go: the simulator's base URL; settable after the proxy is up. */
  target: string;
  /** The endpoints of every request received so far, in order. */
  readonly received: string[];
  close(): Promise<void>;
}

async function holdingProxy(hold: (endpoint: string) => number): Promise<HoldingProxy> {
  const timers = new Set<NodeJS.Timeout>();
  const proxy = {
    url: '',
    target: '',
    received: [] as string[],
    close: (): Promise<void> =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const endpoint = (req.url ?? '').replace(/^\/joc\/api\//, '');
    proxy.received.push(endpoint);
    let clientGone = false;
    res.on('close', () => (clientGone = true));
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (clientGone) return;
        const upstream = request(new URL(req.url ?? '/', proxy.target), { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(body));
      }, hold(endpoint));
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

const isDataEndpoint = (endpoint: string): boolean => !endpoint.startsWith('security/') && endpoint !== 'touch';

/** Polls every second, with a request timeout far above the hold so only the shutdown ends a held request. */
const configYaml = (url: string, password: string): string => `listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "* * * * * *", timeoutSeconds: 60 }
log: { level: debug }
joc:
  - name: sim
    url: ${url}
    user: exporter
    password: ${password}
`;

/** Lines of stderr that speak of a crash: an unhandled rejection, an uncaught exception, a missed deadline. */
const CRASH = /unhandled|uncaught|longer than|exiting anyway/i;

/** What every shutdown must show in stderr: JSON lines only, a 'shut down' line, nothing about a crash. */
function expectCleanLog(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines.filter((l) => CRASH.test(l))).toEqual([]);
  expect(lines.every((l) => JSON.parse(l) !== null)).toBe(true);
  expect(stderr).toContain('"msg":"shut down"');
}

describe('the binary on SIGTERM/SIGINT: exit 0 within 5 s, logged out, no unhandled rejection', () => {
  let dir: string;
  let sim: Simulator;
  let proxy: HoldingProxy | null = null;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-shutdown-'));
    sim = await startSimulator({ users: { exporter: SIM_PASSWORD } });
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = null;
    await proxy?.close();
    proxy = null;
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the binary against `url` (the simulator, or a proxy in front of it) and collects its stderr. */
  const start = (url: string, password = SIM_PASSWORD) => {
    sim.resetStats();
    const config = join(dir, `config-${Date.now()}.yaml`);
    writeFileSync(config, configYaml(url, password));
    const run = runBinary(['--config', config]);
    child = run.child;
    return {
      stderr: run.stderr,
      /** Sends `signal` and resolves with the exit code and how long the exit took. */
      stop: async (signal: NodeJS.Signals) => {
        const sent = Date.now();
        run.child.kill(signal);
        const { code, at } = await run.exit;
        return { code, ms: at - sent };
      },
    };
  };

  describe.each(['SIGTERM', 'SIGINT'] as const)('%s', (signal) => {
    test('during a poll (data requests held in flight): the poll is aborted, the session logged out', async () => {
      proxy = await holdingProxy((endpoint) => (isDataEndpoint(endpoint) ? HOLD_MS : 0));
      proxy.target = sim.url;
      const p = proxy;
      const r = start(p.url);
      await until(() => sim.stats.logins === 1 && p.received.some(isDataEndpoint), 10_000, 'a data request in flight');
      const { code, ms } = await r.stop(signal);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(EXIT_WITHIN_MS);
      expect(sim.stats.logouts).toBe(1);
      expect(sim.activeSessions()).toEqual([]);
      // The held data requests were aborted, not answered.
      expect(sim.stats.requests.filter((x) => isDataEndpoint(x.endpoint))).toEqual([]);
      expect(r.stderr()).toContain('logged out of JOC Cockpit');
      expectCleanLog(r.stderr());
    });

    test('during a login (security/login held in flight): the login is aborted, exit without a session', async () => {
      proxy = await holdingProxy((endpoint) => (endpoint === 'security/login' ? HOLD_MS : 0));
      proxy.target = sim.url;
      const p = proxy;
      const r = start(p.url);
      await until(() => p.received.includes('security/login'), 10_000, 'a login in flight');
      const { code, ms } = await r.stop(signal);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(EXIT_WITHIN_MS);
      expect(sim.stats.logins).toBe(0);
      expect(sim.activeSessions()).toEqual([]);
      expectCleanLog(r.stderr());
    });

    test('during a login backoff (wrong password): exit at once, no logout needed', async () => {
      const r = start(sim.url, 'Wrong-Pw-3e9a');
      await until(() => r.stderr().includes('login to JOC Cockpit refused'), 10_000, 'a refused login');
      const refusedAt = r.stderr().length;
      await until(() => r.stderr().slice(refusedAt).includes('poll finished'), 3_000, 'a poll during the backoff');
      const { code, ms } = await r.stop(signal);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(EXIT_WITHIN_MS);
      expect(sim.stats.failedLogins).toBe(1);
      expect(sim.stats.logouts).toBe(0);
      expectCleanLog(r.stderr());
    });
  });

  test('with a client holding a connection (a request half sent, a keep-alive connection idle): exit 0 within 5 s', async () => {
    const r = start(sim.url);
    await until(() => sim.stats.logins === 1 && /"address":"http:\/\/127\.0\.0\.1:\d+"/.test(r.stderr()), 10_000, 'the exporter to listen');
    const port = Number(/"address":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(r.stderr())![1]);
    const idle = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) =>
      request({ port, host: '127.0.0.1', path: '/metrics', agent: idle }, (res) => res.resume().on('end', resolve)).on('error', reject).end(),
    );
    const slow = connect(port, '127.0.0.1');
    slow.on('error', () => undefined);
    await new Promise<void>((resolve) => slow.write('GET /metrics HTTP/1.1\r\nHost: exporter\r\n', () => resolve()));
    try {
      const { code, ms } = await r.stop('SIGTERM');
      expect(code).toBe(0);
      expect(ms).toBeLessThan(EXIT_WITHIN_MS);
      expect(sim.stats.logouts).toBe(1);
      expectCleanLog(r.stderr());
    } finally {
      slow.destroy();
      idle.destroy();
    }
  });
});

describeWithTools('the binary on a signal while its configuration is still loading', ['mkfifo'], (tools) => {
  // The password file is a FIFO: the exporter's read of it blocks until the test writes, and the
  // test's open for writing returns only once the exporter has opened it for reading, so the
  // signal arrives, deterministically, in the middle of loading the configuration.
  test('SIGTERM is not lost: the exporter starts, stops at once, logs out, exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jse-shutdown-fifo-'));
    const sim = await startSimulator({ users: { exporter: SIM_PASSWORD } });
    let proc: ChildProcess | null = null;
    try {
      const fifo = join(dir, 'password');
      await promisify(execFile)(tools.mkfifo!, [fifo]);
      writeFileSync(join(dir, 'config.yaml'), configYaml(sim.url, 'unused').replace(/password: .*/, `passwordFile: ${fifo}`));
      const run = runBinary(['--config', join(dir, 'config.yaml')]);
      proc = run.child;
      const exited = run.exit.then((e) => e.code);
      // Opening for writing returns once the exporter opens the file to read it.
      const opening = open(fifo, 'w');
      if ((await Promise.race([opening, exited.then(() => null)])) === null) {
        await (await open(fifo, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK)).close(); // releases `opening`
        await (await opening).close();
        throw new Error(`the exporter ended before it read its password file:\n${run.stderr()}`);
      }
      const writer = await opening;
      const sent = Date.now();
      proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100)); // the signal is handled before the configuration is complete
      await writer.writeFile(`${SIM_PASSWORD}\n`);
      await writer.close();
      expect(await exited).toBe(0);
      expect(Date.now() - sent).toBeLessThan(EXIT_WITHIN_MS);
      expect(run.stderr()).toContain('"signal":"SIGTERM"');
      expectCleanLog(run.stderr());
      expect(sim.stats.logouts).toBe(sim.stats.logins);
      expect(sim.activeSessions()).toEqual([]);
    } finally {
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Exporter.close() in-process: no unhandled rejection, bounded in time', () => {
  const stack = stacksPerTest();
  // Jest gives a test file a copy of `process` whose listeners Node never calls; the real process
  // object is the main context's global.
  const nodeProcess = runInThisContext('process') as NodeJS.Process;
  const rejections: unknown[] = [];
  const record = (reason: unknown): void => void rejections.push(reason);
  let proxy: HoldingProxy | null = null;
  beforeAll(() => nodeProcess.on('unhandledRejection', record));
  afterAll(() => nodeProcess.off('unhandledRejection', record));
  beforeEach(() => void (rejections.length = 0));
  afterEach(async () => {
    await proxy?.close();
    proxy = null;
  });

  /** Lets every pending promise settle and the rejection tracker run (it reports after a macrotask). */
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));

  const jocYaml = (url: string, password = '${SIM_PASSWORD}'): string => `listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "* * * * * *", timeoutSeconds: 60 }
joc:
  - name: sim
    url: ${url}
    user: exporter
    password: ${password}
`;

  /** A stack whose exporter talks to its simulator through a proxy holding the endpoints `held` picks. */
  const heldStack = async (held: (endpoint: string) => boolean) => {
    const p = await holdingProxy((endpoint) => (held(endpoint) ? HOLD_MS : 0));
    proxy = p;
    const s = await stack({ yaml: jocYaml(p.url) });
    p.target = s.sim.url;
    return { s, p };
  };

  const timedClose = async (close: () => Promise<unknown>): Promise<number> => {
    const started = Date.now();
    await close();
    return Date.now() - started;
  };

  test('the detector sees an unhandled rejection (so the tests below can fail)', async () => {
    const deliberate = Promise.reject(new Error('deliberately unhandled'));
    await settle();
    expect(rejections).toEqual([new Error('deliberately unhandled')]);
    deliberate.catch(() => undefined); // handled late, so Jest does not fail this test for it
    await settle();
  });

  test('close during a poll: aborted, logged out, no unhandled rejection; a second close() is the same promise', async () => {
    const { s, p } = await heldStack(isDataEndpoint);
    await s.exporter.start();
    await until(() => p.received.some(isDataEndpoint), 5_000, 'a data request in flight');
    const polling = s.exporter.pollAll(); // joins the poll in flight
    const ms = await timedClose(() => Promise.all([s.exporter.close(), s.exporter.close()]));
    expect(ms).toBeLessThan(3_000);
    expect((await polling).map((r) => r.up)).toEqual([false]);
    await settle();
    expect(rejections).toEqual([]);
    expect(s.sim.stats.logouts).toBe(1);
    expect(s.sim.activeSessions()).toEqual([]);
  });

  test('close during a login: aborted, no unhandled rejection, nothing to log out', async () => {
    const { s, p } = await heldStack((endpoint) => endpoint === 'security/login');
    await s.exporter.start();
    await until(() => p.received.includes('security/login'), 5_000, 'a login in flight');
    const polling = s.exporter.pollAll();
    const ms = await timedClose(() => s.exporter.close());
    expect(ms).toBeLessThan(3_000);
    expect((await polling).map((r) => r.up)).toEqual([false]);
    await settle();
    expect(rejections).toEqual([]);
    expect(s.sim.stats.logins).toBe(0);
    expect(s.sim.stats.logouts).toBe(0);
  });

  test('close during a login backoff: no unhandled rejection, polls after close() answer down', async () => {
    const s = await stack({ yaml: jocYaml('${SIM_URL}', 'Wrong-Pw-3e9a') });
    await s.exporter.start();
    await until(() => s.logs.lines().some((l) => l.includes('login to JOC Cockpit refused')), 5_000, 'a refused login');
    const during = s.exporter.pollAll(); // refused at once by the backoff
    const ms = await timedClose(() => s.exporter.close());
    expect(ms).toBeLessThan(1_000);
    expect((await during).map((r) => r.up)).toEqual([false]);
    expect((await s.exporter.pollAll()).map((r) => r.up)).toEqual([false]);
    await settle();
    expect(rejections).toEqual([]);
    expect(s.sim.stats.failedLogins).toBe(1);
    expect(s.sim.stats.logouts).toBe(0);
  });
});

describe('ExporterServer.close() does not wait on clients', () => {
  const page = new MetricsPage('text/plain; version=0.0.4; charset=utf-8', null, [Buffer.from('up 1\n')]);
  const tls: WebTlsConfig = {
    cert: readFileSync(join(TLS_DIR, 'server.crt'), 'utf8'),
    key: readFileSync(join(TLS_DIR, 'server.key'), 'utf8'),
    clientCa: null,
    clientAuthType: 'NoClientCert',
    minVersion: 'TLSv1.2',
    maxVersion: null,
    ciphers: null,
    ecdhCurve: null,
    honorCipherOrder: true,
    clientAllowedSans: null,
  };
  const serve = (metrics: () => Promise<MetricsPage>, web: WebConfig | null = null): ExporterServer =>
    new ExporterServer({ host: '127.0.0.1', port: 0, web, logger: createLogger('silent'), metrics, targets: () => [] });
  /** How long `closing` takes, or `limitMs` when it has not ended by then. */
  const within = async (closing: Promise<void>, limitMs: number): Promise<number> => {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    clearTimeout(timer);
    return Date.now() - started;
  };

  test('a scrape in flight on a keep-alive connection is answered, then the connection is closed at once', async () => {
    let answer: (() => void) | null = null;
    const server = serve(() => new Promise((resolve) => (answer = () => resolve(page))));
    const port = await server.listen();
    const agent = new Agent({ keepAlive: true });
    try {
      const scraped = new Promise<string>((resolve, reject) =>
        request({ port, host: '127.0.0.1', path: '/metrics', agent }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(body));
        })
          .on('error', reject)
          .end(),
      );
      await until(() => answer !== null, 2_000, 'the scrape to arrive');
      const closing = server.close();
      answer!();
      expect(await scraped).toBe('up 1\n');
      expect(await within(closing, 3_000)).toBeLessThan(500); // not keepAliveTimeout (65 s), nor the grace
    } finally {
      agent.destroy();
    }
  });

  test('a TLS connection that never starts its handshake is dropped after the grace period', async () => {
    const server = serve(() => Promise.resolve(page), { tls, basicAuthUsers: new Map(), headers: {}, rateLimit: null });
    const port = await server.listen();
    const stalled = connect(port, '127.0.0.1');
    stalled.on('error', () => undefined);
    try {
      await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
      expect(await within(server.close(), 3_000)).toBeLessThan(2_000); // not the 120 s handshake timeout
    } finally {
      stalled.destroy();
    }
  });
});
