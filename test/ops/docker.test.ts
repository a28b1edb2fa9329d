/**
 * Dockerfile and .dockerignore. There is no Docker engine in CI, so the image is checked
 * statically (dockerfilelint plus the rules below), and its HEALTHCHECK command is run for real.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { copyArgs, isIgnored, parseDockerfile, parseDockerignore, stages, type Instruction } from './dockerfile';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const instructions = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const all = stages(instructions);
const build = all[0];
const final = all[all.length - 1];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string; scripts: Record<string, string> };

const only = (list: readonly Instruction[], keyword: string): Instruction[] => list.filter((i) => i.keyword === keyword);
const one = (list: readonly Instruction[], keyword: string): Instruction => {
  const found = only(list, keyword);
  expect(found.map((i) => i.keyword)).toEqual([keyword]);
  return found[0];
};

/** Every file below `path` (or `path` itself), relative to the repository, with `/`. */
function filesBelow(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((entry) => filesBelow(posix.join(path, entry)));
}

/** tsconfig compilerOptions with `extends` resolved (one level is all this repo uses). */
function compilerOptions(file: string): { outDir?: string; rootDir?: string } {
  const config = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { extends?: string; compilerOptions?: { outDir?: string; rootDir?: string } };
  const base = config.extends ? compilerOptions(config.extends.replace(/^\.\//, '')) : {};
  return { ...base, ...config.compilerOptions };
}

describe('Dockerfile', () => {
  test('dockerfilelint finds no issue', async () => {
    const bin = join(ROOT, 'node_modules', 'dockerfilelint', 'bin', 'dockerfilelint');
    // Its exit code is the number of issues, so read the JSON report either way.
    const output = await run(process.execPath, [bin, '-o', 'json', join(ROOT, 'Dockerfile')]).then(
      (r) => r.stdout,
      (e: { stdout?: string }) => e.stdout ?? '',
    );
    const report = JSON.parse(output) as { totalIssues: number; files: { issues: unknown[] }[] };
    expect(report.files.flatMap((f) => f.issues)).toEqual([]);
    expect(report.totalIssues).toBe(0);
  });

  test('multi-stage, on a pinned node 20 slim image', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const s of all) expect(s.image).toMatch(/^node:20\.\d+-bookworm-slim$/);
    expect(build.name).toBe('build');
  });

  test('the build stage installs everything and compiles with tsconfig.build.json', () => {
    const runs = only(build.instructions, 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    expect(pkg.scripts.build).toMatch(/tsconfig\.build\.json/);
    const copied = only(build.instructions, 'COPY').flatMap((i) => copyArgs(i.args).sources);
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']));
  });

  test('the runtime stage: production dependencies only, NODE_ENV, compiled code from the build stage', () => {
    const runs = only(final.instructions, 'RUN').map((i) => i.args);
    const installs = runs.filter((r) => /\bnpm (ci|install|i)\b/.test(r));
    expect(installs.length).toBe(1);
    expect(installs[0]).toMatch(/\bnpm ci\b.*--omit=dev/);
    expect(only(final.instructions, 'ENV').map((i) => i.args)).toContain('NODE_ENV=production');
    const fromBuild = only(final.instructions, 'COPY').map((i) => copyArgs(i.args)).filter((c) => c.flags.from);
    expect(fromBuild.map((c) => c.flags.from)).toEqual(['build']);
    // What `npm run build` produces: <WORKDIR>/<outDir>/src for rootDir "." (tsconfig.build.json).
    const workdir = only(build.instructions, 'WORKDIR').map((i) => i.args).pop();
    const options = compilerOptions('tsconfig.build.json');
    expect(options.rootDir).toBe('.');
    expect(fromBuild[0].sources).toEqual([posix.join(workdir ?? '/', options.outDir ?? '', 'src')]);
    expect(fromBuild[0].destination.replace(/\/$/, '')).toBe(`./${options.outDir}/src`);
  });

  test('every local COPY source exists in the repository', () => {
    const local = instructions
      .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
      .map((i) => copyArgs(i.args))
      .filter((c) => !c.flags.from)
      .flatMap((c) => c.sources);
    expect(local).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'config.example.yaml', 'LICENSE']));
    expect(local.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
  });

  test('the entry point is the compiled CLI, the config in /etc/jobscheduler-exporter by default', () => {
    expect(JSON.parse(one(final.instructions, 'ENTRYPOINT').args)).toEqual(['node', '--max-semi-space-size=1', '--liftoff-only', '--optimize-for-size', '--expose-gc', 'dist/src/cli.js']);
    // The binary's shebang sets it too (README, "Memory").
    expect(only(final.instructions, 'ENV').map((i) => i.args)).toContain('MALLOC_ARENA_MAX=2');
    expect(JSON.parse(one(final.instructions, 'CMD').args)).toEqual(['--config', '/etc/jobscheduler-exporter/config.yaml']);
    expect(existsSync(join(ROOT, 'src', 'cli.ts'))).toBe(true);
  });

  test('runs as a non-root user, set before the entry point', () => {
    const users = only(final.instructions, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].args.split(':')[0];
    expect(['root', '0']).not.toContain(user);
    expect(users[users.length - 1].line).toBeLessThan(one(final.instructions, 'ENTRYPOINT').line);
  });

  test('EXPOSE 9446 and a HEALTHCHECK every 30 s on /-/healthy', () => {
    expect(one(final.instructions, 'EXPOSE').args.split(' ')).toEqual(['9446']);
    const health = one(final.instructions, 'HEALTHCHECK').args;
    expect(health).toMatch(/^--interval=30s .*CMD /);
    expect(health).toMatch(/--timeout=\d+s/);
    expect(health).toContain("'http://127.0.0.1:9446/-/healthy'");
  });

  test('OCI labels match package.json', () => {
    const labels = only(final.instructions, 'LABEL').map((i) => i.args).join(' ');
    const version = /^VERSION=(\S+)$/.exec(one(final.instructions, 'ARG').args)?.[1];
    expect(version).toBe(pkg.version);
    expect(labels).toContain('org.opencontainers.image.version="${VERSION}"');
    expect(labels).toContain(`org.opencontainers.image.licenses="${pkg.license}"`);
    for (const key of ['title', 'description', 'source']) expect(labels).toContain(`org.opencontainers.image.${key}=`);
  });

  describe('the HEALTHCHECK command, run with sh as Docker runs it', () => {
    const health = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).find((i) => i.keyword === 'HEALTHCHECK')!;
    const command = health.args.replace(/^(--\S+\s+)*CMD\s+/, '');
    const check = (url: string): Promise<number> =>
      run('/bin/sh', ['-c', command], { env: { ...process.env, HEALTHCHECK_URL: url }, timeout: 15_000 }).then(
        () => 0,
        (e: { code?: number }) => e.code ?? -1,
      );

    test('exit 0 on 200 from /-/healthy, 1 on another status, 1 when nothing listens', async () => {
      const server = createServer((req, res) => {
        res.statusCode = req.url === '/-/healthy' ? 200 : 503;
        res.end();
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        expect(await check(`${base}/-/healthy`)).toBe(0);
        expect(await check(`${base}/-/not-healthy`)).toBe(1);
      } finally {
        server.close();
      }
      expect(await check(`${base}/-/healthy`)).toBe(1);
    });
  });
});

describe('.dockerignore', () => {
  const patterns = parseDockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));

  test('the matcher follows Docker semantics', () => {
    const p = parseDockerignore('*\n!src/\n**/*.log\n!keep.log\n');
    expect(isIgnored(p, 'README.md')).toBe(true);
    expect(isIgnored(p, 'src/a/b.ts')).toBe(false);
    expect(isIgnored(p, 'src/a/debug.log')).toBe(true);
    expect(isIgnored(p, 'keep.log')).toBe(false);
    expect(isIgnored(parseDockerignore('node_modules'), 'node_modules/x/index.js')).toBe(true);
  });

  test('keeps every file the Dockerfile copies from the context', () => {
    const needed = instructions
      .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
      .map((i) => copyArgs(i.args))
      .filter((c) => !c.flags.from)
      .flatMap((c) => c.sources.filter((s) => existsSync(join(ROOT, s))).flatMap(filesBelow));
    expect(needed.length).toBeGreaterThan(5);
    expect(needed.filter((f) => isIgnored(patterns, f))).toEqual([]);
  });

  test('leaves out dependencies, build output, git, test output and local configs', () => {
    for (const path of ['node_modules/yaml/package.json', 'dist/src/cli.js', '.git/HEAD', 'coverage/lcov.info', 'config.yaml', 'test/ops/docker.test.ts', 'npm-debug.log']) {
      expect({ path, ignored: isIgnored(patterns, path) }).toEqual({ path, ignored: true });
    }
  });
});
