import { type Document, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';

import type { KeyPath, PathProblem } from './problems';

/** A YAML file read into plain values, with a way to sort problems into the order of the file. */
export interface YamlDocument {
  readonly ok: true;
  /** null for an empty file. */
  readonly value: unknown;
  /** The problems sorted by where their key (or its nearest existing parent) is in the file. */
  inFileOrder(problems: readonly PathProblem[]): PathProblem[];
}

export interface YamlFailure {
  readonly ok: false;
  /** Syntax errors and warnings, each naming its line and column. */
  readonly problems: readonly PathProblem[];
}

const MESSAGES: Readonly<Record<string, string>> = {
  MULTIPLE_DOCS: 'the file must hold one YAML document only',
};

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The key path of the mapping key that starts at `offset`, to name a duplicate key by its path. */
function keyPathAt(doc: Document, offset: number): KeyPath | undefined {
  let found: KeyPath | undefined;
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      const chain = [...ancestors, pair];
      found = chain.flatMap((node, i): PropertyKey[] => {
        if (isPair(node)) return [isScalar(node.key) ? String(node.key.value) : String(node.key)];
        return isSeq(node) ? [node.items.indexOf(chain[i + 1])] : [];
      });
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Parses YAML 1.2 (core schema: `yes` and `on` are strings, not booleans). Duplicate keys, unknown
 * tags and every other error or warning of the parser are problems, so nothing in the file is
 * silently dropped. Messages carry no source excerpt, so a password on a broken line stays private.
 */
export function parseYaml(text: string): YamlDocument | YamlFailure {
  const lineCounter = new LineCounter();
  // logLevel error: problems go into doc.errors and doc.warnings only, never to the console.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const describe = (error: YAMLError): PathProblem => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY' ? keyPathAt(doc, error.pos[0]) : undefined;
    if (duplicate) return { path: duplicate, message: `duplicate key (line ${line}, column ${col})` };
    const message = MESSAGES[error.code] ?? lowerFirst(error.message);
    return { path: [], message: `line ${line}, column ${col}: ${message}` };
  };
  const problems = [...doc.errors, ...doc.warnings].map(describe);
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) || !alias.range) return;
      const { line, col } = lineCounter.linePos(alias.range[0]);
      const message = `alias *${alias.source} has no anchor &${alias.source} before it`;
      problems.push({ path: [], message: `line ${line}, column ${col}: ${message}` });
    },
  });
  if (problems.length > 0) return { ok: false, problems };
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // Too many aliases (a "billion laughs" file): the parser leaves this check to toJS.
    return { ok: false, problems: [{ path: [], message: lowerFirst((error as Error).message) }] };
  }
  const offsetOf = (path: KeyPath): number => {
    for (let length = path.length; length >= 0; length--) {
      const node: unknown = doc.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) return node.range[0];
    }
    return 0;
  };
  const inFileOrder = (problems: readonly PathProblem[]): PathProblem[] =>
    problems
      .map((problem) => ({ problem, offset: offsetOf(problem.path) }))
      .sort((a, b) => a.offset - b.offset)
      .map(({ problem }) => problem);
  return { ok: true, value, inFileOrder };
}
