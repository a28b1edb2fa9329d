/**
 * test/support/tools.ts: a missing tool skips locally and fails in CI.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findTool, findToolOrAlias, planTools } from '../support/tools';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('findTool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'find-tool-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'a', 'tool'), 0o644); // not executable
    writeFileSync(join(dir, 'b', 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'b', 'tool'), 0o755);
    mkdirSync(join(dir, 'a', 'dir-tool'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('finds the first executable file on PATH', () => {
    expect(findTool('tool', `${join(dir, 'a')}:${join(dir, 'b')}`)).toBe(join(dir, 'b', 'tool'));
  });

  test('null when nothing executable has that name', () => {
    expect(findTool('tool', join(dir, 'a'))).toBeNull();
    expect(findTool('dir-tool', join(dir, 'a'))).toBeNull();
    expect(findTool('no-such-tool-anywhere', process.env.PATH)).toBeNull();
    expect(findTool('tool', undefined)).toBeNull();
  });
});

describe('findToolOrAlias', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'find-tool-alias-'));
    writeFileSync(join(dir, 'prometheus-alertmanager'), '#!/bin/sh\n');
    chmodSync(join(dir, 'prometheus-alertmanager'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("finds Debian's prometheus-alertmanager for alertmanager, and the tool's own name first", () => {
    expect(findToolOrAlias('alertmanager', dir)).toBe(join(dir, 'prometheus-alertmanager'));
    writeFileSync(join(dir, 'alertmanager'), '#!/bin/sh\n');
    chmodSync(join(dir, 'alertmanager'), 0o755);
    expect(findToolOrAlias('alertmanager', dir)).toBe(join(dir, 'alertmanager'));
    expect(findToolOrAlias('amtool', dir)).toBeNull();
  });
});

describe('planTools', () => {
  const find = (name: string): string | null => (name === 'promtool' ? '/usr/bin/promtool' : null);

  test('run with the paths when every tool is there', () => {
    expect(planTools(['promtool'], { CI: 'true' }, find)).toEqual({ kind: 'run', paths: { promtool: '/usr/bin/promtool' } });
  });

  test('skip, naming the missing tool and how to get it, outside CI', () => {
    for (const env of [{}, { CI: 'false' }, { CI: '1' }]) {
      const plan = planTools(['promtool', 'prometheus'], env, find);
      expect(plan.kind).toBe('skip');
      expect(plan.kind !== 'run' && plan.reason).toMatch(/prometheus \(apt-get install prometheus/);
      expect(plan.kind !== 'run' && plan.reason).not.toMatch(/promtool/);
    }
  });

  test('fail in CI', () => {
    const plan = planTools(['prometheus'], { CI: 'true' }, find);
    expect(plan.kind).toBe('fail');
    expect(plan.kind !== 'run' && plan.reason).toMatch(/required in CI/);
  });
});

describe('describeWithTools in a real jest run', () => {
  // A test file needing a tool that does not exist, run by jest in a child process, outside the
  // repository so that no other jest run picks it up.
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'describe-with-tools-'));
    writeFileSync(
      join(dir, 'needs-tool.test.ts'),
      `import { describeWithTools } from ${JSON.stringify(join(ROOT, 'test', 'support', 'tools'))};
describeWithTools('needs a tool', ['no-such-tool-anywhere'], () => {
  test('uses the tool', () => { throw new Error('must not run'); });
});
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  interface JestRun {
    code: number;
    output: string;
    tests: { title: string; status: string }[];
  }

  const jest = async (ci: string | undefined): Promise<JestRun> => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.CI;
    if (ci !== undefined) env.CI = ci;
    const config = {
      rootDir: dir,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { target: 'es2022' } }] },
      reporters: ['default', join(ROOT, 'test', 'support', 'summary-reporter.js')],
    };
    const results = join(dir, 'results.json');
    const args = [
      join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--ci',
      '--colors=false',
      '--json',
      `--outputFile=${results}`,
      '--config',
      JSON.stringify(config),
    ];
    const { code, output } = await run(process.execPath, args, { cwd: dir, env }).then(
      (r) => ({ code: 0, output: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
    );
    const json = JSON.parse(readFileSync(results, 'utf8')) as { testResults: { assertionResults: { title: string; status: string }[] }[] };
    return { code, output, tests: json.testResults.flatMap((r) => r.assertionResults.map(({ title, status }) => ({ title, status }))) };
  };

  test('locally: the suite passes with one skipped test naming the tool', async () => {
    const { code, output, tests } = await jest(undefined);
    expect(tests).toEqual([{ title: expect.stringMatching(/^not installed, skipped: no-such-tool-anywhere \(install it\)$/), status: 'pending' }]);
    expect(output).toContain('jest: 0 passed, 0 failed, 1 skipped');
    expect(code).toBe(0);
  }, 30_000);

  test('with CI=true: the suite fails', async () => {
    const { code, output, tests } = await jest('true');
    expect(tests).toEqual([{ title: expect.stringMatching(/^required in CI but not on PATH: no-such-tool-anywhere \(install it\)$/), status: 'failed' }]);
    expect(output).toContain('jest: 0 passed, 1 failed');
    expect(code).toBe(1);
  }, 30_000);
});
