/**
 * External command-line tools the tests need (promtool, prometheus, alertmanager, amtool, ...).
 *
 * Locally a missing tool skips the tests that need it, with a message saying what to install.
 * In CI (`CI=true`) a missing tool fails them instead: CI must not go green on tests that
 * never ran.
 *
 *   describeWithTools('promtool check rules', ['promtool'], (tools) => {
 *     test('...', async () => { await execFile(tools.promtool, [...]); });
 *   });
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to get each tool, for the skip or failure message. */
const INSTALL_HINTS: Readonly<Record<string, string>> = {
  promtool: 'apt-get install prometheus (Debian), or a release from https://prometheus.io/download/',
  prometheus: 'apt-get install prometheus (Debian), or a release from https://prometheus.io/download/',
  alertmanager: 'apt-get install prometheus-alertmanager (Debian), or a release from https://prometheus.io/download/',
  amtool: 'apt-get install prometheus-alertmanager (Debian), or a release from https://prometheus.io/download/',
  'systemd-analyze': 'apt-get install systemd (Debian)',
};

/**
 * Other names a tool is installed under, tried in order after its own: Debian ships the
 * Alertmanager server as `prometheus-alertmanager`.
 */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  alertmanager: ['prometheus-alertmanager'],
};

/** The absolute path of `name`, or of one of its other names (ALIASES), on PATH; or null. */
export function findToolOrAlias(name: string, pathVariable: string | undefined = process.env.PATH): string | null {
  for (const candidate of [name, ...(ALIASES[name] ?? [])]) {
    const path = findTool(candidate, pathVariable);
    if (path) return path;
  }
  return null;
}

/** The absolute path of an executable `name` on PATH, or null. */
export function findTool(name: string, pathVariable: string | undefined = process.env.PATH): string | null {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export type ToolPlan =
  | { readonly kind: 'run'; readonly paths: Readonly<Record<string, string>> }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string };

/** Decides whether tests needing `names` run, skip (tool missing) or fail (tool missing in CI). */
export function planTools(
  names: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  find: (name: string) => string | null = (name) => findToolOrAlias(name, env.PATH),
): ToolPlan {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const path = find(name);
    if (path) paths[name] = path;
    else missing.push(name);
  }
  if (missing.length === 0) return { kind: 'run', paths };
  const what = missing.map((name) => `${name} (${INSTALL_HINTS[name] ?? 'install it'})`).join(', ');
  return env.CI === 'true'
    ? { kind: 'fail', reason: `required in CI but not on PATH: ${what}` }
    : { kind: 'skip', reason: `not installed, skipped: ${what}` };
}

/**
 * A describe block whose tests need the tools `names`. The body gets their paths. When a tool
 * is missing the body is not run: one skipped test names it, or, in CI, one failing test.
 */
export function describeWithTools(
  title: string,
  names: readonly string[],
  body: (tools: Readonly<Record<string, string>>) => void,
): void {
  const plan = planTools(names);
  describe(title, () => {
    if (plan.kind === 'run') {
      body(plan.paths);
    } else if (plan.kind === 'skip') {
      test.skip(plan.reason, () => undefined);
    } else {
      test(plan.reason, () => {
        throw new Error(plan.reason);
      });
    }
  });
}
