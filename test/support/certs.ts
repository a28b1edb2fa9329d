/**
 * A throw-away PKI made with the `openssl` command at test time (node:crypto cannot issue X.509
 * certificates): a CA, a server certificate for 127.0.0.1/localhost and a client certificate
 * signed by it, and a second, unrelated CA with a client certificate of its own. EC P-256 keys,
 * valid for two days; every file is PEM, in `dir`.
 *
 *   describeWithTools('mutual TLS', ['openssl'], (tools) => {
 *     beforeAll(async () => { pki = await makeTestPki(tools.openssl!, dir); });
 *   });
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of the PEM files. */
export interface TestPki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Signed by `caCert`. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA the server does not know. */
  readonly otherCaCert: string;
  /** Signed by `otherCaCert`. */
  readonly otherClientCert: string;
  readonly otherClientKey: string;
}

/** Its own config, so neither the system's openssl.cnf nor its defaults matter. */
const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
[selfsigned_client]
basicConstraints = critical, CA:TRUE
extendedKeyUsage = clientAuth
[selfsigned_client_san]
basicConstraints = critical, CA:TRUE
extendedKeyUsage = clientAuth
subjectAltName = DNS:test3
`;

const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Writes the PKI into `dir` (which must exist) and returns its file paths. */
export async function makeTestPki(openssl: string, dir: string): Promise<TestPki> {
  const cnf = join(dir, 'openssl.cnf');
  writeFileSync(cnf, OPENSSL_CNF);
  const file = (name: string): string => join(dir, name);
  let serial = 1;

  const ca = async (name: string): Promise<void> => {
    await run(openssl, ['req', '-x509', '-config', cnf, '-extensions', 'ca', ...NEW_KEY, '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`), '-days', '2', '-subj', `/CN=${name}`]);
  };
  const leaf = async (name: string, issuer: string, extensions: 'server' | 'client'): Promise<void> => {
    await run(openssl, ['req', '-new', '-config', cnf, ...NEW_KEY, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${name}`]);
    serial += 1;
    await run(openssl, [
      'x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${issuer}.crt`), '-CAkey', file(`${issuer}.key`),
      '-set_serial', String(serial), '-days', '2', '-extfile', cnf, '-extensions', extensions, '-out', file(`${name}.crt`),
    ]);
  };

  await Promise.all([ca('test-ca'), ca('other-ca')]);
  await Promise.all([
    leaf('server', 'test-ca', 'server'),
    leaf('client', 'test-ca', 'client'),
    leaf('other-client', 'other-ca', 'client'),
  ]);
  return {
    caCert: file('test-ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    otherCaCert: file('other-ca.crt'),
    otherClientCert: file('other-client.crt'),
    otherClientKey: file('other-client.key'),
  };
}

/**
 * The certificates exporter-toolkit's tls_config_test.go works with, made afresh: an RSA server
 * certificate (its cipher cases use TLS_ECDHE_RSA_* suites) signed by a CA, a self-signed client
 * certificate (`client_selfsigned`, its own CA) and a second one carrying the SAN DNS:test3
 * (`client2_selfsigned`). File names as in its testdata, so web configs read the same.
 */
export interface ParityPki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly client2Cert: string;
  readonly client2Key: string;
}

export async function makeParityPki(openssl: string, dir: string): Promise<ParityPki> {
  const cnf = join(dir, 'openssl.cnf');
  writeFileSync(cnf, OPENSSL_CNF);
  const file = (name: string): string => join(dir, name);
  const rsa = ['-newkey', 'rsa:2048', '-nodes'];
  const ec384 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-nodes'];
  await run(openssl, ['req', '-x509', '-config', cnf, '-extensions', 'ca', ...rsa, '-keyout', file('tls-ca.key'), '-out', file('tls-ca-chain.pem'), '-days', '2', '-subj', '/CN=Test TLS CA']);
  await Promise.all([
    (async () => {
      await run(openssl, ['req', '-new', '-config', cnf, ...rsa, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost']);
      await run(openssl, [
        'x509', '-req', '-in', file('server.csr'), '-CA', file('tls-ca-chain.pem'), '-CAkey', file('tls-ca.key'),
        '-set_serial', '2', '-days', '2', '-extfile', cnf, '-extensions', 'server', '-out', file('server.crt'),
      ]);
    })(),
    run(openssl, ['req', '-x509', '-config', cnf, '-extensions', 'selfsigned_client', ...ec384, '-keyout', file('client_selfsigned.key'), '-out', file('client_selfsigned.pem'), '-days', '2', '-subj', '/CN=test']),
    run(openssl, ['req', '-x509', '-config', cnf, '-extensions', 'selfsigned_client_san', ...ec384, '-keyout', file('client2_selfsigned.key'), '-out', file('client2_selfsigned.pem'), '-days', '2', '-subj', '/CN=test3']),
  ]);
  return {
    caCert: file('tls-ca-chain.pem'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client_selfsigned.pem'),
    clientKey: file('client_selfsigned.key'),
    client2Cert: file('client2_selfsigned.pem'),
    client2Key: file('client2_selfsigned.key'),
  };
}
