import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JocNetworkError, JocOversizeError } from '../../src/joc/errors';
import { JocTransport } from '../../src/joc/http';
import { SelfMetrics } from '../../src/metrics/self';

/**
 * The HTTP layer against a server that misbehaves at the socket level, which the simulator's
 * faults do not reach: a body trickled byte by byte, answers over the size limit with and
 * without Content-Length. Every request is counted, with `code="error"` when no complete answer
 * arrived.
 */
type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let url: string;
let behaviour: Behaviour = (_req, res) => res.end('{}');

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => behaviour(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function withTransport<T>(
  options: { timeoutMs?: number; maxResponseBytes?: number },
  run: (transport: JocTransport, metrics: SelfMetrics) => Promise<T>,
): Promise<T> {
  const metrics = new SelfMetrics();
  const transport = new JocTransport({
    name: 't',
    url,
    timeoutMs: options.timeoutMs ?? 2_000,
    maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    ca: null,
    insecureSkipVerify: false,
    metrics,
  });
  try {
    return await run(transport, metrics);
  } finally {
    await transport.destroy();
  }
}

async function countOf(metrics: SelfMetrics, code: string): Promise<number> {
  const { values } = await metrics.requests.get();
  return values.filter((v) => v.labels.code === code).reduce((sum, v) => sum + v.value, 0);
}

test('the timeout covers the whole body: an answer trickled a byte every 100 ms fails after timeoutMs', async () => {
  const timers = new Set<NodeJS.Timeout>();
  behaviour = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"a":"');
    const t = setInterval(() => {
      if (res.destroyed) return clearInterval(t);
      res.write('x');
    }, 100);
    timers.add(t);
  };
  try {
    await withTransport({ timeoutMs: 600 }, async (transport, metrics) => {
      const started = Date.now();
      const error = await transport.post('orders', {}, {}).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(JocNetworkError);
      expect((error as JocNetworkError).timedOut).toBe(true);
      // bodyTimeout alone (time between chunks) would never fire here.
      expect(elapsed).toBeGreaterThanOrEqual(550);
      expect(elapsed).toBeLessThan(2_000);
      expect(await countOf(metrics, 'error')).toBe(1);
    });
  } finally {
    for (const t of timers) clearInterval(t);
  }
});

test('an answer over the limit with Content-Length is refused without reading it', async () => {
  const body = JSON.stringify({ orders: 'x'.repeat(10_000) });
  behaviour = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  await withTransport({ maxResponseBytes: 4096 }, async (transport, metrics) => {
    const error = await transport.post('orders', {}, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JocOversizeError);
    expect((error as Error).message).toBe(
      'orders: the answer is larger than poll.maxResponseBytes (4096 bytes); raise the limit or watch fewer order states',
    );
    expect(await countOf(metrics, 'error')).toBe(1);
    expect(await countOf(metrics, '200')).toBe(0);
  });
});

test('a chunked answer (no Content-Length) is cut off at the limit, however long it would run', async () => {
  let sent = 0;
  behaviour = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = 'x'.repeat(16 * 1024);
    const pump = (): void => {
      while (!res.destroyed && sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.write('{"orders":"');
    pump();
  };
  await withTransport({ maxResponseBytes: 64 * 1024 }, async (transport) => {
    const error = await transport.post('orders', {}, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JocOversizeError);
    // The server could push some socket buffers more, never the 64 MiB it meant to.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });
});

test('an answer within the limit is read whole', async () => {
  const body = JSON.stringify({ orders: 'x'.repeat(3_000) });
  behaviour = (_req, res) => res.end(body);
  await withTransport({ maxResponseBytes: 4096 }, async (transport, metrics) => {
    const reply = await transport.post('orders', {}, {});
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(body);
    expect(await countOf(metrics, '200')).toBe(1);
  });
});

test('a body cut off before its Content-Length is a network error, counted as code "error"', async () => {
  behaviour = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
    res.write('{"orders":[');
    setTimeout(() => res.destroy(), 20);
  };
  await withTransport({}, async (transport, metrics) => {
    const error = await transport.post('orders', {}, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JocNetworkError);
    expect((error as JocNetworkError).timedOut).toBe(false);
    expect(await countOf(metrics, 'error')).toBe(1);
  });
});
