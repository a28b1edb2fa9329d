import type { KeyPath, PathProblem } from './problems';

/**
 * Environment expansion of the configuration (CONTRACT §2). In every string value of the parsed
 * YAML, at any depth:
 * - `${NAME}` is the value of the environment variable NAME; unset is a problem (set but empty
 *   gives the empty string);
 * - `${NAME:-default}` is NAME's value, or `default` when NAME is unset or empty (as in POSIX
 *   shells); the default is taken literally, up to the first `}`, and may not hold a reference;
 * - `$$` is a literal `$`; a `$` before anything else than `{` or `$` stays as it is.
 * Values are expanded after YAML parsing, never in the raw text, so an environment variable can
 * only ever become (part of) one string: it cannot inject YAML. Mapping keys are not expanded.
 */

const REFERENCE = /\$\$|\$\{([^}]*)(\})?/g;
const MALFORMED = 'write ${NAME} or ${NAME:-default}, and $$ for a literal $';
const NAME_AND_DEFAULT = /^([A-Za-z_]\w*)(?::-((?:(?!\$\{)[\s\S])*))?$/;

interface ExpandedText {
  readonly text: string;
  /** Whether the text held at least one `${...}` reference. */
  readonly referenced: boolean;
  readonly problems: readonly string[];
}

/** Expands the references of one string value. */
export function expandText(text: string, env: NodeJS.ProcessEnv): ExpandedText {
  const problems: string[] = [];
  let referenced = false;
  const expand = (match: string, inner: string | undefined, close: string | undefined, offset: number): string => {
    if (match === '$$') return '$';
    referenced = true;
    const parts = close === undefined ? null : NAME_AND_DEFAULT.exec(inner ?? '');
    if (!parts) {
      problems.push(`malformed environment reference at character ${offset + 1}: ${MALFORMED}`);
      return match;
    }
    const name = parts[1];
    const fallback = parts[2] as string | undefined;
    const value = env[name];
    if (fallback !== undefined) return value ? value : fallback;
    if (value === undefined) {
      problems.push(`environment variable ${name} is not set`);
      return match;
    }
    return value;
  };
  return { text: text.replace(REFERENCE, expand), referenced, problems };
}

/**
 * Turns the expanded text of a value that held a reference into the type its key needs (a port
 * given as `"${PORT:-9446}"` must become a number before validation). Plain strings are never
 * converted.
 */
export type FromEnvText = (path: KeyPath, text: string) => unknown;

export interface ExpandedConfig {
  readonly value: unknown;
  /** One per unset variable or malformed reference, on the key of the string that holds it. */
  readonly problems: readonly PathProblem[];
}

/** Expands every string value of a parsed YAML document; lists and mappings are walked recursively. */
export function expandEnv(document: unknown, env: NodeJS.ProcessEnv, fromEnvText: FromEnvText): ExpandedConfig {
  const problems: PathProblem[] = [];
  const walk = (value: unknown, path: readonly PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      const result = expandText(value, env);
      problems.push(...result.problems.map((message) => ({ path, message })));
      if (result.problems.length > 0) return value;
      return result.referenced ? fromEnvText(path, result.text) : result.text;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return value;
  };
  return { value: walk(document, []), problems };
}
