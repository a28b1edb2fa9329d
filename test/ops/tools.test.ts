/**
 * test/support/tools.ts and the schema plan of test/support/schemas.ts: a missing tool or shared
 * folder skips locally (the reason printed in the default output) and fails in CI.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { planSchemas } from '../support/schemas';
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

describe('planSchemas', () => {
  test('run when the shared folder is there, in CI or not', () => {
    expect(planSchemas({ CI: 'true' }, true).kind).toBe('run');
    expect(planSchemas({}, true).kind).toBe('run');
  });

  test('skip naming the folder outside CI, fail in CI', () => {
    const skip = planSchemas({}, false);
    expect(skip.kind).toBe('skip');
    expect(skip.kind !== 'run' && skip.reason).toContain('joc-api/v1/raml/schemas');
    const fail = planSchemas({ CI: 'true' }, false);
    expect(fail.kind).toBe('fail');
    expect(fail.kind !== 'run' && fail.reason).toMatch(/^required in CI but missing: JOC's schemas are not at /);
  });
});

describe('skips in a real jest run: describeWithTools and describeWithSchemas', () => {
  // Test files needing a tool that does not exist and JOC's schemas from a folder that does not
  // exist, run by jest in a child process, outside the repository so that no other jest run picks
  // them up. Two files, so that jest's default reporter is not verbose, as in `npm test`.
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
    writeFileSync(
      join(dir, 'needs-schemas.test.ts'),
      `import { describeWithSchemas } from ${JSON.stringify(join(ROOT, 'test', 'support', 'schemas'))};
describeWithSchemas('needs the schemas', () => {
  test('uses them', () => { throw new Error('must not run'); });
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
    const env: NodeJS.ProcessEnv = { ...process.env, JOC_SHARED_DIR: join(dir, 'no-shared-folder') };
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

  const byTitle = (a: { title: string }, b: { title: string }): number => a.title.localeCompare(b.title);

  test('locally: the suite passes with one skipped test per block, and the default output gives every reason', async () => {
    const { code, output, tests } = await jest(undefined);
    expect(tests.sort(byTitle)).toEqual([
      { title: expect.stringMatching(/^not installed, skipped: no-such-tool-anywhere \(install it\)$/), status: 'pending' },
      { title: expect.stringMatching(/^skipped: JOC's schemas are not at .*no-shared-folder/), status: 'pending' },
    ]);
    expect(output).toMatch(/^ {2}needs-tool\.test\.ts: needs a tool › not installed, skipped: no-such-tool-anywhere \(install it\)$/m);
    expect(output).toMatch(/^ {2}needs-schemas\.test\.ts: needs the schemas › skipped: JOC's schemas are not at .*no-shared-folder/m);
    expect(output).toMatch(/(^|\n)skipped, and why:\n {2}\S+\.test\.ts: .*\n {2}\S+\.test\.ts: .*\njest: 0 passed, 0 failed, 2 skipped\n/);
    expect(code).toBe(0);
  }, 30_000);

  test('with CI=true: a missing tool and a missing shared folder both fail the suite', async () => {
    const { code, output, tests } = await jest('true');
    expect(tests.sort(byTitle)).toEqual([
      { title: expect.stringMatching(/^required in CI but missing: JOC's schemas are not at /), status: 'failed' },
      { title: expect.stringMatching(/^required in CI but not on PATH: no-such-tool-anywhere \(install it\)$/), status: 'failed' },
    ]);
    expect(output).toContain('jest: 0 passed, 2 failed');
    expect(code).toBe(1);
  }, 30_000);
});
