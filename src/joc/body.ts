/**
 * An answer body as text, for JSON.parse, with less memory alive at once than undici's
 * `body.text()`. That one keeps every chunk until the end, then copies them into one Buffer and
 * decodes it: for a 30 MB `/orders` answer, chunks, copy and string (90 MB) are alive together.
 * Here, when `content-length` announces the size (JOC sends it), each chunk is copied into one
 * Buffer of that size as it arrives and can be collected at once: Buffer and string (60 MB).
 * Without the header, or with one over `maxBytes` (undici stops such a body at `maxBytes`
 * anyway), the chunks are gathered as undici does. A UTF-8 byte order mark is skipped, as
 * `body.text()` skips it.
 */
export async function readBodyText(
  body: AsyncIterable<Buffer>,
  contentLength: string | string[] | undefined,
  maxBytes: number,
): Promise<string> {
  const announced = typeof contentLength === 'string' && /^\d+$/.test(contentLength) ? Number(contentLength) : Number.NaN;
  if (!(announced > 0 && announced <= maxBytes)) return decode(await gather(body));
  const whole = Buffer.allocUnsafe(announced);
  let length = 0;
  let extra: Buffer[] | null = null;
  for await (const chunk of body) {
    if (extra === null && length + chunk.length <= announced) {
      chunk.copy(whole, length);
      length += chunk.length;
    } else {
      // More than announced (undici frames by content-length, so this is not expected): keep it all.
      extra ??= [whole.subarray(0, length)];
      extra.push(chunk);
    }
  }
  return decode(extra ? Buffer.concat(extra) : whole.subarray(0, length));
}

async function gather(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function decode(buffer: Buffer): string {
  const start = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  return buffer.toString('utf8', start);
}
