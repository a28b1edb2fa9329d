/**
 * A JSON answer parsed as it arrives, with one array of its top-level object read element by
 * element: the `orders` answer of a large JobScheduler (30 MB for 100,000 orders) is never whole
 * in memory, neither as text nor as parsed objects. Each element's text is parsed alone and
 * handed to `keep`, which returns what the exporter keeps of it; everything outside that array
 * is gathered and parsed once at the end, and the kept elements take the array's place.
 *
 * The result is what `JSON.parse` of the whole text followed by `array.map(keep)` gives, and a
 * text that JSON.parse refuses gives `undefined` here too: each element must parse on its own,
 * and so must the rest with the array left empty, which together is the whole grammar (between
 * two commas of the array there is exactly one value). JSON.parse's rule for a repeated key (the
 * last wins) holds as well. A UTF-8 byte order mark before the text is skipped.
 */

import { isRecord } from '../util/is-record';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** What the exporter keeps of one element of the split array. */
export type KeepElement = (element: unknown) => unknown;

export class JsonArraySplitter {
  readonly #key: string;
  readonly #keep: KeepElement;
  /** Nesting of objects and arrays outside strings; the top-level object is depth 1. */
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** A string that starts now at depth 1 is a key (after `{` or `,`), not a value. */
  #expectKey = false;
  /** The string being read is a key of the top-level object. */
  #readingKey = false;
  #keyParts: Buffer[] = [];
  /** Where the key being read starts in the current chunk (0 when it began in an earlier one). */
  #keyStart = 0;
  /** The last key of the top-level object was the split one, and its `:` came: its value may start. */
  #atSplitValue = false;
  /** Inside the split array. */
  #splitting = false;
  /** The split array has held a comma since its last element ended (so an element must follow). */
  #afterComma = false;
  /** The last value given to the split key was the split array (a later non-array value wins). */
  #lastWasSplit = false;
  #invalid = false;
  #rest: Buffer[] = [];
  #element: Buffer[] = [];
  #kept: unknown[] = [];

  constructor(key: string, keep: KeepElement) {
    this.#key = key;
    this.#keep = keep;
  }

  write(chunk: Buffer): void {
    if (this.#invalid) return;
    /** Where the bytes not yet handed to the rest or the element start in this chunk. */
    let from = 0;
    let nextBackslash = -2;
    for (let i = 0; i < chunk.length; i++) {
      if (this.#inString) {
        if (this.#escaped) {
          this.#escaped = false;
          continue;
        }
        // Jump to the string's next quote or backslash.
        const quote = chunk.indexOf(QUOTE, i);
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i);
        const stop = nextBackslash !== -1 && (quote === -1 || nextBackslash < quote) ? nextBackslash : quote;
        if (stop === -1) break;
        i = stop;
        if (chunk[i] === BACKSLASH) {
          this.#escaped = true;
          continue;
        }
        this.#inString = false;
        if (this.#readingKey) this.#endKey(chunk, i);
        continue;
      }
      const byte = chunk[i]!;
      switch (byte) {
        case QUOTE:
          this.#inString = true;
          if (this.#depth === 1 && this.#expectKey) {
            this.#readingKey = true;
            this.#keyStart = i + 1;
            this.#keyParts = [];
          }
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (byte === OPEN_ARRAY && this.#depth === 1 && this.#atSplitValue) {
            this.#rest.push(Buffer.from(chunk.subarray(from, i + 1)));
            from = i + 1;
            this.#splitting = true;
            this.#lastWasSplit = true;
            this.#afterComma = false;
            this.#kept = [];
          }
          this.#depth++;
          this.#expectKey = this.#depth === 1 && byte === OPEN_OBJECT;
          this.#atSplitValue = false;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          if (this.#splitting && this.#depth === 2) {
            // The split array ends: its last element, unless it was empty (`[]`).
            this.#element.push(chunk.subarray(from, i));
            this.#endElement(this.#afterComma);
            from = i;
            this.#splitting = false;
          }
          this.#depth--;
          if (this.#depth < 0) this.#invalid = true;
          break;
        case COMMA:
          if (this.#splitting && this.#depth === 2) {
            this.#element.push(chunk.subarray(from, i));
            this.#endElement(true);
            this.#afterComma = true;
            from = i + 1;
          } else if (this.#depth === 1) {
            this.#expectKey = true;
            this.#atSplitValue = false;
          }
          break;
        case COLON:
          if (this.#depth === 1) this.#expectKey = false;
          break;
        default:
          break;
      }
      if (this.#invalid) return;
    }
    if (this.#splitting) this.#element.push(Buffer.from(chunk.subarray(from)));
    else this.#rest.push(Buffer.from(chunk.subarray(from)));
    if (this.#readingKey) {
      // The key goes on in the next chunk.
      this.#keyParts.push(Buffer.from(chunk.subarray(this.#keyStart)));
      this.#keyStart = 0;
    }
  }

  /** The parsed answer with the kept elements in the split array's place, or undefined when not JSON. */
  end(): unknown {
    if (this.#invalid || this.#inString || this.#depth !== 0) return undefined;
    const rest = Buffer.concat(this.#rest);
    this.#rest = [];
    const start = rest.length >= 3 && rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf ? 3 : 0;
    const text = rest.toString('utf8', start);
    if (text.length === 0) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (this.#lastWasSplit && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      (parsed as Record<string, unknown>)[this.#key] = this.#kept;
    }
    return parsed;
  }

  #endKey(chunk: Buffer, quote: number): void {
    this.#readingKey = false;
    const raw = Buffer.concat([...this.#keyParts, chunk.subarray(this.#keyStart, quote)]);
    this.#keyParts = [];
    let key: unknown;
    try {
      key = JSON.parse(`"${raw.toString('utf8')}"`);
    } catch {
      this.#invalid = true;
      return;
    }
    const isSplitKey = key === this.#key;
    if (isSplitKey) this.#lastWasSplit = false;
    this.#atSplitValue = isSplitKey;
  }

  /** One element's text is complete: parse it and keep what `keep` returns. */
  #endElement(required: boolean): void {
    const bytes = this.#element.length === 1 ? this.#element[0]! : Buffer.concat(this.#element);
    this.#element = [];
    const text = bytes.toString('utf8');
    if (!required && text.trim() === '') return;
    try {
      this.#kept.push(this.#keep(JSON.parse(text)));
    } catch {
      this.#invalid = true;
    }
  }
}

/** Reads `body` through a JsonArraySplitter of `key` (see there). */
export async function readBodySplit(body: AsyncIterable<Buffer>, key: string, keep: KeepElement): Promise<unknown> {
  const splitter = new JsonArraySplitter(key, keep);
  for await (const chunk of body) splitter.write(chunk);
  return splitter.end();
}

/**
 * A `keep` that copies only the given paths of an element (what its collector reads), each
 * string once per answer: 100,000 orders of 1,000 job chains hold 1,000 job chain names, not
 * 100,000 copies. A value on the way that is not an object is copied as it is, and an element
 * that is not an object is kept whole, so that the answer's shape check judges them as before.
 * Made once per answer (the strings are shared within one answer only).
 */
export function keepPaths(paths: readonly (readonly string[])[]): () => KeepElement {
  return () => {
    const strings = new Map<string, string>();
    const intern = (value: unknown): unknown => {
      if (typeof value !== 'string') return value;
      const known = strings.get(value);
      if (known !== undefined) return known;
      strings.set(value, value);
      return value;
    };
    return (element) => {
      if (!isRecord(element)) return element;
      const kept: Record<string, unknown> = {};
      for (const path of paths) copyPath(element, kept, path, intern);
      return kept;
    };
  };
}

function copyPath(from: Record<string, unknown>, to: Record<string, unknown>, path: readonly string[], intern: (value: unknown) => unknown): void {
  let source = from;
  let target = to;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    if (!Object.hasOwn(source, key)) return;
    const value = source[key];
    if (i === path.length - 1 || !isRecord(value)) {
      target[key] = intern(value);
      return;
    }
    const next = target[key];
    target = isRecord(next) ? next : (target[key] = {});
    source = value;
  }
}
