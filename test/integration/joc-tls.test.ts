import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { JocNetworkError } from '../../src/joc/errors';
import { JocTransport } from '../../src/joc/http';
import { SelfMetrics } from '../../src/metrics/self';

// TLS towards JOC Cockpit: `tls.caFile` trusts a private CA, `insecureSkipVerify` trusts anything,
// neither refuses a certificate Node.js does not trust.

const TLS_DIR = join(__dirname, '..', 'fixtures', 'tls');
const CERT = readFileSync(join(TLS_DIR, 'server.crt'), 'utf8');

describe('HTTPS to JOC Cockpit', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer({ cert: CERT, key: readFileSync(join(TLS_DIR, 'server.key')) }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ deliveryDate: new Date().toISOString(), ok: true, path: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const transport = (ca: string | null, insecureSkipVerify: boolean) =>
    new JocTransport({ name: 't', url, timeoutMs: 2_000, maxResponseBytes: 1024 * 1024, ca, insecureSkipVerify, metrics: new SelfMetrics() });

  test.each([
    ['caFile with the server certificate', CERT, false],
    ['insecureSkipVerify', null, true],
  ])('%s: the request goes through', async (_name, ca, insecure) => {
    const t = transport(ca, insecure);
    try {
      const reply = await t.post('touch', {}, {});
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ ok: true, path: '/joc/api/touch' });
    } finally {
      await t.destroy();
    }
  });

  test('an untrusted certificate is refused', async () => {
    const t = transport(null, false);
    try {
      const err = await t.post('touch', {}, {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JocNetworkError);
      expect((err as Error).message).toMatch(/certificate/i);
    } finally {
      await t.destroy();
    }
  });
});
