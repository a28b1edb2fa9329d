import { readBodyText } from '../../src/joc/body';

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part, 'utf8');
}

describe('readBodyText', () => {
  const text = '{"orders":[{"path":"/a/ü","state":"€"}]}';
  const bytes = Buffer.byteLength(text);
  // A multi-byte character split across two chunks must come out whole.
  const split = (): AsyncGenerator<Buffer> => {
    const all = Buffer.from(text, 'utf8');
    const cut = all.indexOf(0xc3) + 1;
    return chunks(all.subarray(0, cut), all.subarray(cut, cut + 5), all.subarray(cut + 5));
  };

  it('with the announced length: the chunks joined and decoded, characters split across chunks included', async () => {
    await expect(readBodyText(split(), String(bytes), 1_000)).resolves.toBe(text);
  });
  it('without content-length, or with one that is not a number, or over the limit: the same text', async () => {
    await expect(readBodyText(split(), undefined, 1_000)).resolves.toBe(text);
    await expect(readBodyText(split(), '12x', 1_000)).resolves.toBe(text);
    await expect(readBodyText(split(), ['1', '2'], 1_000)).resolves.toBe(text);
    await expect(readBodyText(split(), String(bytes), bytes - 1)).resolves.toBe(text);
  });
  it('fewer bytes than announced: only those; more: all of them', async () => {
    await expect(readBodyText(chunks('ab', 'c'), '10', 1_000)).resolves.toBe('abc');
    await expect(readBodyText(chunks('ab', 'cd', 'ef'), '3', 1_000)).resolves.toBe('abcdef');
  });
  it('skips a UTF-8 byte order mark, as undici body.text() does', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    await expect(readBodyText(chunks(bom, '{}'), '5', 1_000)).resolves.toBe('{}');
    await expect(readBodyText(chunks(bom, '{}'), undefined, 1_000)).resolves.toBe('{}');
  });
  it('an empty body is the empty string', async () => {
    await expect(readBodyText(chunks(), '0', 1_000)).resolves.toBe('');
    await expect(readBodyText(chunks(), undefined, 1_000)).resolves.toBe('');
  });
  it('an error of the body stream rejects', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('ab');
      throw new Error('socket closed');
    }
    await expect(readBodyText(failing(), '10', 1_000)).rejects.toThrow('socket closed');
  });
});
