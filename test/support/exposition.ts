/** One sample line of the Prometheus text format. */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A small parser of the text format 0.0.4 for assertions (promtool checks the format itself). */
export function parseExposition(text: string): ParsedSample[] {
  const samples: ParsedSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    samples.push({ name: match[1]!, labels: parseLabels(match[3] ?? ''), value: Number(match[4]) });
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c));
  return labels;
}

/** The samples of one metric whose labels include `match`. */
export function select(samples: readonly ParsedSample[], name: string, match: Readonly<Record<string, string>> = {}): ParsedSample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample of `name` with labels `match`; throws when there is not exactly one. */
export function value(samples: readonly ParsedSample[], name: string, match: Readonly<Record<string, string>> = {}): number {
  const found = select(samples, name, match);
  if (found.length !== 1) throw new Error(`expected one sample ${name}${JSON.stringify(match)}, found ${found.length}`);
  return found[0]!.value;
}
