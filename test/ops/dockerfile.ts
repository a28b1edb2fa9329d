/**
 * Just enough of the Dockerfile and .dockerignore formats for the tests: instructions with their
 * line continuations, stages, COPY sources, and Docker's ignore-pattern matching
 * (moby/patternmatcher: last matching pattern wins, `!` re-includes, a pattern matching a
 * parent directory matches everything below it).
 */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly image: string;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || (buffer === '' && trimmed === '')) return;
    if (buffer === '') start = index + 1;
    if (/\\\s*$/.test(line)) {
      buffer += line.replace(/\\\s*$/, '') + ' ';
      return;
    }
    buffer += line;
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(buffer);
    if (!m) throw new Error(`Dockerfile line ${start}: cannot parse "${buffer}"`);
    out.push({ keyword: m[1].toUpperCase(), args: m[2].replace(/\s+/g, ' ').trim(), line: start });
    buffer = '';
  });
  return out;
}

export function stages(instructions: readonly Instruction[]): Stage[] {
  const result: { image: string; name: string | null; instructions: Instruction[] }[] = [];
  for (const i of instructions) {
    if (i.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args);
      result.push({ image: m?.[1] ?? i.args, name: m?.[2] ?? null, instructions: [] });
    } else if (result.length > 0) {
      result[result.length - 1].instructions.push(i);
    }
  }
  return result;
}

/** Flags (`--from=build`) and paths of a COPY or ADD, exec (JSON) or shell form. */
export function copyArgs(args: string): { flags: Record<string, string>; sources: string[]; destination: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--(\w[\w-]*)=(\S+)\s+/.exec(rest); m; m = /^--(\w[\w-]*)=(\S+)\s+/.exec(rest)) {
    flags[m[1]] = m[2];
    rest = rest.slice(m[0].length);
  }
  const paths = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(' ');
  return { flags, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
}

interface IgnorePattern {
  readonly negated: boolean;
  readonly regex: RegExp;
  readonly text: string;
}

function patternRegex(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`${re}$`);
}

export function parseDockerignore(text: string): IgnorePattern[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const body = (negated ? l.slice(1) : l).trim().replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
      return { negated, regex: patternRegex(body), text: l };
    });
}

/** Whether Docker leaves `path` (relative to the context, with /) out of the build context. */
export function isIgnored(patterns: readonly IgnorePattern[], path: string): boolean {
  const parts = path.split('/');
  const parents = parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const p of patterns) {
    if (p.regex.test(path) || parents.some((parent) => p.regex.test(parent))) ignored = !p.negated;
  }
  return ignored;
}
