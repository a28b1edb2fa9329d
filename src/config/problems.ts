import { z } from 'zod';

import type { ConfigProblem } from './types';

/** Where a value sits in the configuration: keys and list indexes from the top. */
export type KeyPath = readonly PropertyKey[];

/** A problem before its path is written out; the loader sorts these into file order. */
export interface PathProblem {
  readonly path: KeyPath;
  readonly message: string;
}

/** Writes a key path the way every problem line shows it: `joc[0].jobschedulers[1].jobChains[2]`. */
export function formatPath(path: KeyPath): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

export function toConfigProblem(problem: PathProblem): ConfigProblem {
  return { path: formatPath(problem.path), message: problem.message };
}

/** Keys whose values are never repeated in a message: passwords, private keys, bcrypt hashes. */
const SECRET_KEYS: ReadonlySet<PropertyKey> = new Set(['password', 'key', 'basic_auth_users']);

function isSecret(path: KeyPath): boolean {
  return path.some((key) => SECRET_KEYS.has(key));
}

/** A bad value as a message shows it: strings quoted and cut at 60 characters, collections by kind. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** `, got "abc"` — or nothing where the value is a secret. */
function got(issue: { readonly input?: unknown; readonly path?: KeyPath }): string {
  return isSecret(issue.path ?? []) ? '' : `, got ${show(issue.input)}`;
}

/**
 * The zod error map of the configuration: every zod issue as a short, lower-case message that
 * says what is expected and shows the bad value (never for a secret). Schemas that know their
 * field better set their own message; this map covers the rest.
 */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}${got(issue)}`;
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') {
        if (Number(issue.minimum) === 1) return 'must not be empty';
        return `must have at least ${issue.minimum} ${issue.origin === 'string' ? 'characters' : 'entries'}`;
      }
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}${got(issue)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must have at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} entries`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}${got(issue)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}${got(issue)}`;
    case 'unrecognized_keys':
      return issue.inst instanceof z.ZodObject
        ? `unknown key; expected one of ${Object.keys(issue.inst.shape).join(', ')}`
        : 'unknown key';
    default:
      return `is invalid${got(issue)}`;
  }
};

/**
 * The problems of a failed zod parse. An unknown-keys issue becomes one problem per key, on the
 * key's own path (`joc[0].pasword: unknown key; ...`), so each typo has its own line.
 */
export function issueProblems(issues: readonly z.core.$ZodIssue[]): PathProblem[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: issue.message }))
      : [{ path: issue.path, message: issue.message }],
  );
}
