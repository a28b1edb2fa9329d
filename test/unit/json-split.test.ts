import { JsonArraySplitter, keepPaths, readBodySplit } from '../../src/joc/json-split';

// The splitter must give what JSON.parse of the whole text gives, with the split array's elements
// passed through `keep`, for every way the text can arrive in chunks; and undefined exactly when
// JSON.parse refuses the text.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keep = (element: unknown): unknown => ({ kept: element });

/** JSON.parse and `keep` over the split array: what the splitter must give. */
function expected(text: string, key: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const value = (parsed as Record<string, unknown>)[key];
    if (Array.isArray(value)) (parsed as Record<string, unknown>)[key] = value.map(keep);
  }
  return parsed;
}

function split(bytes: Buffer, cuts: readonly number[], key = 'orders'): unknown {
  const splitter = new JsonArraySplitter(key, keep);
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    splitter.write(bytes.subarray(from, cut));
    from = cut;
  }
  return splitter.end();
}

function randomCuts(random: () => number, length: number): number[] {
  const count = Math.floor(random() * 6);
  return Array.from({ length: count }, () => Math.floor(random() * (length + 1))).sort((a, b) => a - b);
}

const STRING_BITS = ['a', 'Z', ' ', '"', '\\', '/', '[', ']', '{', '}', ',', ':', 'ä', '€', '😀', '\n', '\t', '\u0001', 'orders'];

/** A random JSON text: random values, whitespace and escapes (so brackets and quotes hide in strings). */
function randomText(random: () => number, depth = 0): string {
  const ws = (): string => [' ', '', '', '\n', '\t', '\r\n  '][Math.floor(random() * 6)]!;
  const str = (): string => {
    let s = '';
    for (let n = Math.floor(random() * 5); n > 0; n--) s += STRING_BITS[Math.floor(random() * STRING_BITS.length)];
    const json = JSON.stringify(s);
    // Some characters written as \u escapes, as JOC may write them.
    return random() < 0.2 ? json.replace(/[a-z]/g, (c) => (random() < 0.5 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)) : json;
  };
  const key = (): string => (random() < 0.3 ? (random() < 0.2 ? '"ord\\u0065rs"' : '"orders"') : str());
  const roll = random();
  if (depth > 3 || roll < 0.3) {
    const scalars = [() => str(), () => String(Math.round((random() - 0.5) * 1e6) / 100), () => 'true', () => 'false', () => 'null', () => '-0.5e3'];
    return scalars[Math.floor(random() * scalars.length)]!();
  }
  const n = Math.floor(random() * 5);
  if (roll < 0.6) return `[${ws()}${Array.from({ length: n }, () => `${ws()}${randomText(random, depth + 1)}${ws()}`).join(',')}${ws()}]`;
  return `{${ws()}${Array.from({ length: n }, () => `${ws()}${key()}${ws()}:${ws()}${randomText(random, depth + 1)}${ws()}`).join(',')}${ws()}}`;
}

/** An answer-like document: a top-level object whose `orders` is an array of objects. */
function randomAnswer(random: () => number): string {
  const orders = Array.from({ length: Math.floor(random() * 8) }, () => randomText(random, 1));
  return `{"deliveryDate":"2026-12-02T10:00:00Z", "orders" : [ ${orders.join(' , ')} ], "x": ${randomText(random, 1)}}`;
}

/** A random edit of a text: a byte removed, doubled, or replaced by a structural one. */
function mutate(random: () => number, text: string): string {
  // By code point: half of a surrogate pair would not survive the UTF-8 round trip.
  const chars = Array.from(text);
  const at = Math.floor(random() * chars.length);
  const insert = ['', ',', '[', ']', '{', '}', '"', ':', '\\', ' ', 'x', chars[at] ?? ''][Math.floor(random() * 12)]!;
  chars.splice(at, random() < 0.6 ? 1 : 0, insert);
  return chars.join('');
}

describe('JsonArraySplitter', () => {
  test('an answer: the array is replaced by what keep returns, the rest as parsed', () => {
    const text = '{"deliveryDate":"d","orders":[{"jobChain":"/a","processingState":{"_text":"PENDING"}},{"jobChain":"/b"}],"n":1}';
    expect(split(Buffer.from(text), [])).toEqual({
      deliveryDate: 'd',
      orders: [{ kept: { jobChain: '/a', processingState: { _text: 'PENDING' } } }, { kept: { jobChain: '/b' } }],
      n: 1,
    });
  });

  test('every two-chunk cut of a document with escapes, nesting and multi-byte text', () => {
    const text = '\uFEFF{"a":"[\\"]","orders":[ {"x":[1,{"y":"}"}]}, "ä😀", [], 3 ,null],"ord\\u0065rs2":[1], "b":{"orders":[5]}}';
    const bytes = Buffer.from(text);
    const want = expected(text, 'orders');
    expect(want).not.toBeUndefined();
    for (let cut = 0; cut <= bytes.length; cut++) expect(split(bytes, [cut])).toEqual(want);
    expect(split(bytes, Array.from({ length: bytes.length }, (_, i) => i))).toEqual(want);
  });

  test.each([
    ['{"orders":[1,]}'],
    ['{"orders":[,1]}'],
    ['{"orders":[1 2]}'],
    ['{"orders":[1],}'],
    ['{"orders":[1]'],
    ['{"orders":[1]}}'],
    ['{"orders":["a]}'],
    ['{"orders":[{]}'],
    ['{"orders"[1]}'],
    ['{"orders":[1]} {"orders":[]}'],
    [''],
    ['  '],
    ['{"ord\\x":[1]}'],
  ])('%j is not JSON, as JSON.parse says', (text) => {
    expect(expected(text, 'orders')).toBeUndefined();
    expect(split(Buffer.from(text), [])).toBeUndefined();
    expect(split(Buffer.from(text), [Math.floor(text.length / 2)])).toBeUndefined();
  });

  test('a repeated key: the last value wins, as in JSON.parse', () => {
    expect(split(Buffer.from('{"orders":[1],"orders":2}'), [])).toEqual({ orders: 2 });
    expect(split(Buffer.from('{"orders":2,"orders":[1]}'), [])).toEqual({ orders: [{ kept: 1 }] });
    expect(split(Buffer.from('{"orders":[1],"orders":[2,3]}'), [5])).toEqual({ orders: [{ kept: 2 }, { kept: 3 }] });
  });

  test('a top-level array or scalar is parsed whole, nothing split', () => {
    expect(split(Buffer.from('[{"orders":[1]}]'), [3])).toEqual([{ orders: [1] }]);
    expect(split(Buffer.from('"orders"'), [])).toBe('orders');
  });

  test('random documents in random chunks give what JSON.parse gives (2,000 valid, 2,000 edited)', () => {
    const random = mulberry32(20261202);
    let valid = 0;
    let refused = 0;
    let split0 = 0;
    for (let n = 0; n < 4_000; n++) {
      const base = n % 2 === 0 ? randomAnswer(random) : randomText(random);
      const text = n >= 2_000 ? mutate(random, base) : base;
      const bytes = Buffer.from(text);
      const want = expected(text, 'orders');
      if (want === undefined) refused++;
      else valid++;
      if (want !== undefined && typeof want === 'object' && want !== null && Array.isArray((want as Record<string, unknown>).orders)) split0++;
      const got = split(bytes, randomCuts(random, bytes.length));
      if (want === undefined) expect({ text, got }).toEqual({ text, got: undefined });
      else expect({ text, got }).toEqual({ text, got: want });
    }
    // The cases cover both outcomes and the split itself.
    expect(valid).toBeGreaterThan(2_200);
    expect(refused).toBeGreaterThan(600);
    expect(split0).toBeGreaterThan(1_000);
  });

  test('readBodySplit reads an async body', async () => {
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"orders":[{"a"');
      yield Buffer.from(':1},2]}');
    }
    await expect(readBodySplit(body(), 'orders', keep)).resolves.toEqual({ orders: [{ kept: { a: 1 } }, { kept: 2 }] });
  });
});

describe('keepPaths', () => {
  const keepOrders = keepPaths([['jobChain'], ['processingState', '_text']]);

  test('copies only the paths, keeps a non-object element whole, and copies a non-object on the way as it is', () => {
    const keep = keepOrders();
    expect(keep({ jobChain: '/a', orderId: '1', processingState: { severity: 2, _text: 'SUSPENDED' } })).toEqual({
      jobChain: '/a',
      processingState: { _text: 'SUSPENDED' },
    });
    expect(keep({ orderId: '2' })).toEqual({});
    expect(keep({ jobChain: '/a', processingState: 'SUSPENDED' })).toEqual({ jobChain: '/a', processingState: 'SUSPENDED' });
    expect(keep(7)).toBe(7);
    expect(keep(null)).toBeNull();
  });
});
