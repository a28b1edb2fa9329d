import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { expandEnv } from './env';
import { cannotRead } from './files';
import { describeIssue, formatPath, issueProblems, toConfigProblem } from './problems';
import { configSchema, fromEnvText } from './schema';
import { type Config, ConfigError } from './types';
import { parseYaml } from './yaml';

/**
 * Reads and validates the config file (CONTRACT §2): YAML, then environment expansion, then the
 * schema, which applies the defaults and reads the files the config names (relative to the config
 * file's directory). Throws one `ConfigError` with every problem found, in the order of the file.
 */
export async function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: cannotRead(file, error) }]);
  }
  return parseConfig(text, file, env);
}

/**
 * `loadConfig` for config text at hand. `source` names it in `Config.source` and in the error;
 * relative file paths resolve against `baseDir`, by default the directory of `source`.
 */
export async function parseConfig(
  yamlText: string,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
  baseDir: string = dirname(resolve(source)),
): Promise<Config> {
  const doc = parseYaml(yamlText);
  if (!doc.ok) throw new ConfigError(source, doc.problems.map(toConfigProblem));
  const expanded = expandEnv(doc.value, env, fromEnvText);
  const result = await configSchema(baseDir).safeParseAsync(expanded.value, { error: describeIssue });
  // A value whose expansion failed is left as written; its schema problem would only repeat that.
  const unexpanded = new Set(expanded.problems.map((problem) => formatPath(problem.path)));
  const schemaProblems = result.success
    ? []
    : issueProblems(result.error.issues).filter((problem) => !unexpanded.has(formatPath(problem.path)));
  const problems = [...expanded.problems, ...schemaProblems];
  if (!result.success || problems.length > 0) {
    throw new ConfigError(source, doc.inFileOrder(problems).map(toConfigProblem));
  }
  const config: Config = { source, ...result.data };
  return deepFreeze(config);
}

/** The config is shared by every part of the exporter for its whole life: nothing may change it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
