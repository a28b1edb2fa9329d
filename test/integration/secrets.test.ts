import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startSimulator, type Simulator } from '../../src/simulator';
import { runBinary, until } from '../support/binary';

// CONTRACT §2: a password never appears in a log line, an error message or a metric; nor does a
// JOC access token. The real binary, at log levels debug and trace, through every session event
// that logs something: login, re-login after 401, 440 and 420 (whose message quotes the token),
// a refused login and its backoff, and the logout at shutdown. Everything it writes is searched.

const PASSWORD = 'Pw-0f5e1c-Distinct';
const USER = 'exporter';

/** The three ways of giving the password: the `joc[0]` lines, the environment, the files to write. */
interface Way {
  readonly yaml: string;
  readonly env: NodeJS.ProcessEnv;
  readonly files: Readonly<Record<string, string>>;
}
const WAYS: Readonly<Record<string, Way>> = {
  password: { yaml: `password: ${PASSWORD}`, env: {}, files: {} },
  '${ENV}': { yaml: 'password: ${JOC_SECRET_PASSWORD}', env: { JOC_SECRET_PASSWORD: PASSWORD }, files: {} },
  passwordFile: { yaml: 'passwordFile: joc-password', env: {}, files: { 'joc-password': `${PASSWORD}\n` } },
};

/** Every form in which the password could leak: as is, and as the Authorization value of the login. */
const PASSWORD_FORMS = [PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), Buffer.from(PASSWORD).toString('base64')];

/** The binary with a config written to a new directory; stdout and stderr together in `output()`. */
function runWith(dir: string, way: Way, body: string, args: readonly string[] = []) {
  for (const [name, text] of Object.entries(way.files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'config.yaml'), body);
  const run = runBinary(['--config', join(dir, 'config.yaml'), ...args], way.env);
  return { child: run.child, exit: run.exit.then((e) => e.code), output: run.output };
}

/** Every access token the simulator issued or was sent. */
function tokensOf(sim: Simulator): Set<string> {
  const tokens = new Set<string>();
  for (const request of sim.stats.requests) {
    const sent = request.headers['x-access-token'];
    if (typeof sent === 'string') tokens.add(sent);
    const issued = (request.answer as { accessToken?: unknown } | undefined)?.accessToken;
    if (typeof issued === 'string' && issued !== '') tokens.add(issued);
  }
  for (const session of sim.activeSessions()) tokens.add(session.accessToken);
  return tokens;
}

function expectNoSecret(output: string, tokens: Iterable<string>): void {
  for (const form of PASSWORD_FORMS) expect(output).not.toContain(form);
  for (const token of tokens) expect(output).not.toContain(token);
}

/** What one run through every session event left behind. */
interface Lifecycle {
  readonly exitCode: number | null;
  /** stdout and stderr, then the pages served (/metrics and the landing page with its poll errors). */
  readonly output: string;
  readonly tokens: ReadonlySet<string>;
  /** 420 answers whose message quoted a token. */
  readonly tokenEchoes: number;
  readonly logouts: number;
}

/** Login, re-logins after 401, 440 and 420, a refused login with its backoff, then SIGTERM. */
async function lifecycle(dir: string, way: Way, level: 'debug' | 'trace'): Promise<Lifecycle> {
  const sim = await startSimulator({ users: { [USER]: PASSWORD } });
  const r = runWith(
    dir,
    way,
    `listen: { host: 127.0.0.1, port: 0 }
poll: { schedule: "* * * * * *", timeoutSeconds: 5 }
log: { level: ${level} }
joc:
  - name: sim
    url: ${sim.url}
    user: ${USER}
    ${way.yaml}
`,
  );
  const pages: string[] = [];
  /** Keeps /metrics and the landing page (which shows the last poll error), to search them too. */
  const keepPages = async (): Promise<void> => {
    const port = /"address":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(r.output())?.[1];
    if (!port) throw new Error('the exporter did not log its address');
    for (const path of ['/metrics', '/']) pages.push(await (await request(`http://127.0.0.1:${port}${path}`)).body.text());
  };
  try {
    // Each step waits for a login after its own action: requests of one poll that were sent
    // before a step can log in again once more, so counting logins from the start would race.
    const loginAfter = async (what: string, action: () => void): Promise<void> => {
      const before = sim.stats.logins;
      action();
      await until(() => sim.stats.logins > before && sim.stats.perEndpoint['orders/overview/snapshot'] !== undefined, 10_000, what);
    };
    await until(() => sim.stats.logins >= 1 && sim.stats.perEndpoint['orders/overview/snapshot'] !== undefined, 10_000, 'the first login and poll');
    await loginAfter('the re-login after 401', () => sim.expireSessions('401'));
    await loginAfter('the re-login after 440', () => sim.restart()); // every token forgotten: 440
    // A refused login (as for a wrong password), the backoff, then a login again.
    sim.failNext('security/login', {
      status: 401,
      body: { user: USER, isAuthenticated: false, accessToken: '', message: `Authentication failure for user ${USER}` },
    });
    sim.restart();
    await until(() => r.output().includes('login to JOC Cockpit refused'), 5_000, 'the refused login');
    const refusedAt = r.output().indexOf('login to JOC Cockpit refused');
    // The poll in which the login was refused may still have been served by requests that were
    // answered before it; the next one, during the backoff, shows JOC down on the landing page.
    await until(() => r.output().indexOf('"up":false,', refusedAt) > 0, 3_000, 'a poll during the backoff');
    const beforeBackoffEnds = sim.stats.logins;
    await keepPages();
    await until(() => sim.stats.logins > beforeBackoffEnds, 10_000, 'the login after the backoff');
    // "Session with id [<token>] has expired"
    const before420 = r.output().length;
    await loginAfter('the re-login after 420', () => sim.expireSessions('420'));
    // SIGTERM aborts a login still in flight (by design), which would leave nothing to log out;
    // every request of the poll that met the 420 may log in again. A poll that started after the
    // 420 and finished up holds a session with no login pending, so wait for two finished polls.
    await until(() => (r.output().slice(before420).match(/"up":true,[^\n]*"poll finished"/g)?.length ?? 0) >= 2, 10_000, 'two polls up after the 420');
    await keepPages();
    r.child.kill('SIGTERM');
    const exitCode = await r.exit;
    const tokens = tokensOf(sim);
    const tokenEchoes = sim.stats.requests.filter(
      (x) => x.status === 420 && [...tokens].some((t) => JSON.stringify(x.answer).includes(t)),
    ).length;
    return { exitCode, output: [r.output(), ...pages].join('\n'), tokens, tokenEchoes, logouts: sim.stats.logouts };
  } finally {
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await sim.close();
  }
}

describe('secrets never reach the output of the binary', () => {
  let root: string;
  const cases = Object.keys(WAYS).flatMap((way) => (['debug', 'trace'] as const).map((level) => [way, level] as const));
  /** Every case's run, started together in beforeAll: each waits out a login backoff of about 5 s. */
  const runs = new Map<string, Promise<Lifecycle | { failed: unknown }>>();

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'jse-secrets-'));
    for (const [way, level] of cases) {
      const run = lifecycle(mkdtempSync(join(root, `${level}-`)), WAYS[way]!, level).catch((failed: unknown) => ({ failed }));
      runs.set(`${way} ${level}`, run);
    }
  });
  afterAll(async () => {
    await Promise.all(runs.values());
    rmSync(root, { recursive: true, force: true });
  });

  test.each(cases)('password given as %s, log.level %s: login, re-logins after 401/440/420, refused login, logout', async (way, level) => {
    const run = await runs.get(`${way} ${level}`)!;
    if ('failed' in run) throw run.failed;
    expect(run.exitCode).toBe(0);
    // The scenario happened (so the search below can fail): tokens issued, one quoted in a 420
    // message, every event logged.
    expect(run.tokens.size).toBeGreaterThanOrEqual(5);
    expect(run.tokenEchoes).toBeGreaterThan(0);
    expect(run.logouts).toBe(1);
    expect(run.output.match(/logged in to JOC Cockpit/g)?.length).toBeGreaterThanOrEqual(5);
    for (const status of [401, 440, 420]) expect(run.output).toMatch(new RegExp(`"status":${status},.*session gone`));
    expect(run.output).toMatch(/"status":420,.*session with id \[REDACTED\]/i); // the quoted token, scrubbed
    expect(run.output).toContain('login to JOC Cockpit refused');
    expect(run.output).toContain('logged out of JOC Cockpit');
    expect(run.output).toContain(`"user":"${USER}"`);
    expect(run.output).toContain('<span class="down">down</span>'); // the landing page during the backoff
    expect(run.output).toContain('jobscheduler_exporter_logins_total{joc="sim",result="failure"} 1');

    expectNoSecret(run.output, run.tokens);
  });

  test.each(Object.keys(WAYS))('password given as %s: --check-config and configuration errors do not show it', async (wayName) => {
    const way = WAYS[wayName]!;
    const dir = mkdtempSync(join(root, 'check-'));
    const joc = `joc:\n  - url: http://127.0.0.1:9\n    user: ${USER}\n    ${way.yaml}\n`;
    const valid = runWith(dir, way, joc, ['--check-config']);
    expect(await valid.exit).toBe(0);
    expect(valid.output()).toContain('is valid');
    // Other keys' problems are reported with their values; the password's never is.
    const invalid = runWith(dir, way, `${joc}    tls: { insecureSkipVerify: maybe }\n  - url: http://127.0.0.1:9\n    user: u\n    password: [${PASSWORD}]\n`, ['--check-config']);
    expect(await invalid.exit).toBe(2);
    expect(invalid.output()).toContain('got "maybe"');
    expect(invalid.output()).toContain('joc[1].password');
    for (const output of [valid.output(), invalid.output()]) expectNoSecret(output, []);
  });
});
