import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBinary, until, type BinaryRun } from '../support/binary';
import { makeTestPki, type TestPki } from '../support/certs';
import { describeWithTools } from '../support/tools';

// Client certificates are checked against client_ca_file and nothing else. The binary is spawned
// with NODE_EXTRA_CA_CERTS naming a second CA, which Node adds to its default trust store: a
// client certificate of that CA must never get in, whatever client_ca_file holds.

const LISTENING = /"address":"https:\/\/127\.0\.0\.1:(\d+)"/;

describeWithTools('client certificates are verified against client_ca_file only', ['openssl'], (tools) => {
  let dir: string;
  let pki: TestPki;
  const runs: BinaryRun[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jse-client-ca-'));
    pki = await makeTestPki(tools.openssl!, dir);
    writeFileSync(join(dir, 'empty.pem'), '');
    writeFileSync(join(dir, 'not-a-cert.pem'), 'this is no certificate\n');
    // A PEM file without a certificate in it: a private key only.
    writeFileSync(join(dir, 'key-only.pem'), readFileSync(pki.clientKey));
  });
  afterAll(async () => {
    for (const run of runs) run.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** The binary with a web config asking for verified client certificates of `clientCaFile` (null: no client_ca_file). */
  const start = (name: string, clientCaFile: string | null, extraCa = pki.otherCaCert, args: string[] = [], tlsKeys = 'cert_file: server.crt\n  key_file: server.key'): BinaryRun => {
    const web = join(dir, `${name}.yml`);
    writeFileSync(
      web,
      `tls_server_config:\n  ${tlsKeys}\n  client_auth_type: RequireAndVerifyClientCert\n${clientCaFile === null ? '' : `  client_ca_file: ${clientCaFile}\n`}`,
    );
    const config = join(dir, `${name}.yaml`);
    writeFileSync(
      config,
      `listen: { host: 127.0.0.1, port: 0, webConfigFile: ${web} }\npoll: { schedule: "0 0 1 1 *" }\njoc: [{ name: sim, url: "http://127.0.0.1:9", user: u, password: p }]\n`,
    );
    const run = runBinary(['--config', config, ...args], { NODE_EXTRA_CA_CERTS: extraCa });
    runs.push(run);
    return run;
  };

  /** The status of GET /metrics with the client certificate `cert`, or the connection error. */
  const get = (port: number, cert: string, key: string): Promise<number | string> =>
    new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/metrics', agent: false, timeout: 5_000, ca: readFileSync(pki.caCert), cert: readFileSync(cert), key: readFileSync(key) },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', (err: NodeJS.ErrnoException) => resolve(`${err.code ?? 'error'}: ${err.message}`));
      req.end();
    });

  test.each([
    ['an empty file', 'empty.pem'],
    ['/dev/null', '/dev/null'],
    ['a file of text that is no certificate', 'not-a-cert.pem'],
    ['a PEM file holding a private key only', 'key-only.pem'],
  ])('client_ca_file that is %s: exit 2 naming the key, never a server trusting the default CAs', async (_what, file) => {
    const run = start(file.replace(/\W/g, '_'), file);
    let code: number | null | undefined;
    void run.exit.then((exit) => (code = exit.code));
    await until(() => code !== undefined || LISTENING.test(run.stderr()), 15_000, 'the exporter to exit or listen');
    // Had it started, a certificate of the NODE_EXTRA_CA_CERTS CA is what it must refuse.
    const port = LISTENING.exec(run.stderr())?.[1];
    const foreign = port === undefined ? 'not listening' : await get(Number(port), pki.otherClientCert, pki.otherClientKey);
    expect({ code, foreign }).toEqual({ code: 2, foreign: 'not listening' });
    expect(run.stderr()).toMatch(/tls_server_config\.client_ca_file: .*no certificate/);
  });

  test('a certificate of a CA trusted by NODE_EXTRA_CA_CERTS but not in client_ca_file is refused; one of client_ca_file is served', async () => {
    const run = start('right-ca', 'test-ca.crt');
    await until(() => LISTENING.test(run.stderr()), 15_000, 'the exporter to listen');
    const port = Number(LISTENING.exec(run.stderr())![1]);
    expect(await get(port, pki.otherClientCert, pki.otherClientKey)).toEqual(expect.stringMatching(/alert|certificate|ECONNRESET/i));
    // Served: 200 when the simulator is up, 503 never; here no JOC answers, /metrics still does.
    expect(await get(port, pki.clientCert, pki.clientKey)).toBe(200);
  });

  test("without client_ca_file: verified against Node's default CAs (as Go uses the system roots), which NODE_EXTRA_CA_CERTS extends", async () => {
    const run = start('default-roots', null, pki.caCert);
    await until(() => LISTENING.test(run.stderr()), 15_000, 'the exporter to listen');
    const port = Number(LISTENING.exec(run.stderr())![1]);
    // test-ca is trusted through NODE_EXTRA_CA_CERTS only: its client gets in, other-ca's does not.
    expect(await get(port, pki.clientCert, pki.clientKey)).toBe(200);
    expect(await get(port, pki.otherClientCert, pki.otherClientKey)).toEqual(expect.stringMatching(/alert|certificate|ECONNRESET/i));
  });

  test('--check-config refuses a certificate that does not match its key, naming the keys', async () => {
    const run = start('mismatch', 'test-ca.crt', pki.otherCaCert, ['--check-config'], 'cert_file: server.crt\n  key_file: client.key');
    const exit = await run.exit;
    expect(exit.code).toBe(2);
    expect(run.stderr()).toMatch(/listen\.webConfigFile: tls_server_config\.cert_file: does not match key_file/);
  });
});
