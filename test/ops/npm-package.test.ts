/**
 * The npm package as a host install gets it: `npm pack` with its prepack build, in a staging copy
 * of the repository (so that the rebuild of dist/ does not happen under the other tests' feet),
 * installed with `npm install --global --prefix <tmp>`, then the installed binary is run with
 * nothing but PATH in its environment: --version, --check-config on the shipped example config,
 * and --once against the simulator.
 *
 * The dependencies come from npm's cache (`npm ci` filled it); --prefer-offline asks the registry
 * only for package metadata the cache lacks.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { startSimulator, type Simulator } from '../../src/simulator';

jest.setTimeout(180_000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const NAME = Object.keys(pkg.bin)[0]!;

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/** npm's environment without the npm_* variables `npm test` sets (they would steer the prefix and more). */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

/** Every .ts below src/, relative to the repository, with `/`. */
function sources(dir = 'src'): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

describe('the npm package', () => {
  let dir: string;
  let pack: PackResult;
  let prefix: string;
  let installed: string;
  let sim: Simulator | undefined;
  const paths = (): string[] => pack.files.map((f) => f.path).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobscheduler-exporter-pack-'));
    // The staging copy: what the build reads (tsconfig.build.json's include) and what `files` names.
    const stage = join(dir, 'stage');
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const copied = new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE', ...build.include]);
    for (const pattern of pkg.files) if (!pattern.startsWith('!')) copied.add(pattern.split('/')[0]!);
    for (const path of copied) if (existsSync(join(ROOT, path))) cpSync(join(ROOT, path), join(stage, path), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: stage, env: npmEnv(), timeout: 100_000 });
    pack = (JSON.parse(stdout) as PackResult[])[0]!;
    prefix = join(dir, 'prefix');
    await run(
      'npm',
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier', join(dir, pack.filename)],
      { cwd: dir, env: npmEnv(), timeout: 100_000 },
    );
    installed = join(prefix, 'lib', 'node_modules', pkg.name);
  }, 180_000);

  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The installed binary, run as a service manager would: only PATH (and `env`) in its environment. */
  const binary = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
    run(join(prefix, 'bin', NAME), args, { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  test('holds the compiled daemon (every module of src/ but the simulator and the demo, nothing stale), the example config and the files beside it', () => {
    const compiled = paths().filter((p) => p.startsWith('dist/'));
    const expected = sources()
      .filter((s) => !s.startsWith('src/simulator/') && s !== 'src/demo.ts')
      .map((s) => `dist/${s.replace(/\.ts$/, '.js')}`)
      .sort();
    expect(compiled).toEqual(expected);
    expect(paths().filter((p) => !p.startsWith('dist/'))).toEqual(
      [
        'LICENSE',
        'README.md',
        'config.example.yaml',
        'deploy/systemd/jobscheduler-exporter.env.example',
        'deploy/systemd/jobscheduler-exporter.service',
        'deploy/systemd/jobscheduler-exporter.sysusers',
        'grafana/dashboards/jobscheduler.json',
        'grafana/provisioning/dashboards/jobscheduler.yml',
        'grafana/provisioning/datasources/prometheus.yml',
        'package.json',
        'prometheus/alertmanager.yml',
        'prometheus/alerts.yml',
        'prometheus/prometheus.yml',
      ].sort(),
    );
  });

  test('nothing of the tests, the bench, the simulator, the build scripts or source maps', () => {
    const unwanted = paths().filter((p) => /^(test|bench|scripts|src|docker|\.ci|node_modules)\/|^dist\/(test|bench|scripts|src\/simulator)\/|\.map$|\.ts$|alerts\.test\.yml$/.test(p));
    expect(unwanted).toEqual([]);
    // Small: the dependencies are installed from the registry, not carried.
    expect(pack.size).toBeLessThan(150_000);
  });

  test('installs the binary on the prefix PATH, with the production dependencies only', () => {
    const link = join(prefix, 'bin', NAME);
    expect(relative(join(prefix, 'bin'), join(prefix, 'bin', readlinkSync(link)))).toBe(relative(join(prefix, 'bin'), join(installed, pkg.bin[NAME]!)));
    const modules = readdirSync(join(installed, 'node_modules'));
    expect(modules).toEqual(expect.arrayContaining(Object.keys(pkg.dependencies).map((d) => d.split('/')[0]!)));
    expect(modules.filter((m) => Object.keys(pkg.devDependencies).some((d) => d.split('/')[0] === m))).toEqual([]);
  });

  test('--version', async () => {
    const { code, stdout } = await binary(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${NAME} ${pkg.version.replace(/\./g, '\\.')} \\(Node\\.js v\\d+\\.\\d+\\.\\d+\\)\\n$`));
  });

  test('--check-config on the installed config.example.yaml: 0 with JOC_PASSWORD set, 2 naming the variable without it', async () => {
    const example = join(installed, 'config.example.yaml');
    const ok = await binary(['--config', example, '--check-config'], { JOC_PASSWORD: 'secret-4711' });
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(1);
    expect(`${ok.stdout}${ok.stderr}`).not.toContain('secret-4711');
    const refused = await binary(['--config', example, '--check-config']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/JOC_PASSWORD/);
  });

  test('--once polls the simulator and prints its metrics', async () => {
    sim = await startSimulator({ users: { exporter: 'pack-4711' } });
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      stringify({ poll: { timeoutSeconds: 5 }, joc: [{ name: 'packed', url: sim.url, user: 'exporter', password: '${SIM_PASSWORD}' }] }),
    );
    const { code, stdout } = await binary(['--config', config, '--once'], { SIM_PASSWORD: 'pack-4711' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^jobscheduler_joc_up\{joc="packed"\} 1$/m);
    for (const s of sim.inventory.schedulers) expect(stdout).toContain(`jobscheduler_up{joc="packed",jobscheduler_id="${s.jobschedulerId}"} 1`);
    expect(sim.stats.logins).toBe(1);
  });
});
