import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compareSync } from 'bcryptjs';

import { parseWebConfig } from '../../../src/config/web-config';
import { FIXTURES, expectedWebConfig } from './support';

const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** A valid bcrypt hash (of "metrics-reader") as htpasswd prints it. */
const HTPASSWD_HASH = '$2y$10$IuUgMvnrJiVMZsl5D/VePO3r.UmBE4KeEy0RfDQ43qz6ZrsKrW03e';

async function problems(yaml: string): Promise<string[]> {
  const result = await parseWebConfig(yaml, FIXTURES);
  if (result.ok) throw new Error('the web config is valid');
  return result.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
}

async function valid(yaml: string) {
  const result = await parseWebConfig(yaml, FIXTURES);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.web;
}

describe('parseWebConfig of a valid file', () => {
  it('reads the fixture: TLS with client certificates, headers and basic auth', async () => {
    expect(await valid(read('web-config.yml'))).toEqual(expectedWebConfig());
  });

  it('takes inline PEM text and applies the TLS defaults', async () => {
    const ca = JSON.stringify(read('certs/client-ca.pem'));
    const web = await valid(`tls_server_config:\n  cert: CERT\n  key: KEY\n  client_ca: ${ca}\n  client_auth_type: RequestClientCert\n  max_version: TLS13\n`);
    expect(web.tls).toEqual({
      cert: 'CERT',
      key: 'KEY',
      clientCa: read('certs/client-ca.pem'),
      clientAuthType: 'RequestClientCert',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
    });
  });

  it('writes an htpasswd $2y$ hash as $2b$, which still checks the password', async () => {
    const web = await valid(`basic_auth_users:\n  prometheus: ${HTPASSWD_HASH}\n`);
    const hash = web.basicAuthUsers.get('prometheus') ?? '';
    expect(hash.startsWith('$2b$10$')).toBe(true);
    expect(compareSync('metrics-reader', hash)).toBe(true);
    expect(compareSync('wrong', hash)).toBe(false);
  });

  it('needs neither TLS nor basic auth', async () => {
    expect(await valid('http_server_config:\n  http2: true\n  headers:\n    X-XSS-Protection: "1; mode=block"\n')).toEqual({
      tls: null,
      basicAuthUsers: new Map(),
      headers: { 'X-XSS-Protection': '1; mode=block' },
    });
  });
});

describe('parseWebConfig of an invalid file', () => {
  const NOT_SUPPORTED = 'is not supported by jobscheduler-exporter:';
  const cases: [what: string, yaml: string, lines: unknown[]][] = [
    [
      'the fixture',
      read('web-config-invalid.yml'),
      [
        'tls_server_config.key_file: is required (or key, inline)',
        'tls_server_config: give cert_file or cert, not both',
        'tls_server_config.client_ca_file: is required when client_auth_type is VerifyClientCertIfGiven',
        `tls_server_config.cert_file: cannot read ${join(FIXTURES, 'certs/missing.crt')}: no such file`,
        'tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13, got "TLS14"',
        `tls_server_config.cipher_suites: ${NOT_SUPPORTED} Node.js uses its OpenSSL cipher suites; remove the key`,
        `tls_server_config.client_allowed_sans: ${NOT_SUPPORTED} client certificates are checked against the client CA only; remove the key`,
        'http_server_config.headers.X-Frame-Options: must be one of deny, sameorigin, got "allow"',
        'http_server_config.headers.X-Powered-By: unknown key; expected one of Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, X-XSS-Protection, Strict-Transport-Security',
        `basic_auth_users.alice: must be a bcrypt hash ($2a$, $2b$ or $2y$), as htpasswd -nBC 10 "" | tr -d ':\\n' prints it`,
        `rate_limit: ${NOT_SUPPORTED} rate-limit in a reverse proxy instead; remove the key`,
      ],
    ],
    ['an empty file', '', ['the file is empty: give tls_server_config and/or basic_auth_users']],
    [
      'a list',
      '- tls_server_config\n',
      ['the top level must be a mapping of keys (tls_server_config, http_server_config, basic_auth_users), got a list'],
    ],
    ['a syntax error', 'tls_server_config: [\n', ['line 2, column 1: flow sequence in block collection must be sufficiently indented and end with a ]']],
    [
      'a TLS section without certificate and key',
      'tls_server_config:\n  min_version: TLS12\n',
      ['tls_server_config.cert_file: is required (or cert, inline)', 'tls_server_config.key_file: is required (or key, inline)'],
    ],
    [
      'inline and file given both',
      'tls_server_config:\n  cert: C\n  key: K\n  key_file: certs/server.key\n  client_ca: CA\n  client_ca_file: certs/client-ca.pem\n  client_auth_type: RequireAndVerifyClientCert\n',
      [
        'tls_server_config: give key_file or key, not both',
        'tls_server_config: give client_ca_file or client_ca, not both',
        'tls_server_config.client_ca: holds no certificate (no -----BEGIN CERTIFICATE----- block)',
      ],
    ],
    [
      'a client CA without a client auth type',
      'tls_server_config:\n  cert: C\n  key: K\n  client_ca_file: certs/client-ca.pem\n',
      ['tls_server_config.client_auth_type: must ask for client certificates when a client CA is given, e.g. RequireAndVerifyClientCert'],
    ],
    [
      'a client CA with NoClientCert',
      'tls_server_config:\n  cert: C\n  key: K\n  client_ca: CA\n  client_auth_type: NoClientCert\n',
      [
        'tls_server_config.client_ca: holds no certificate (no -----BEGIN CERTIFICATE----- block)',
        'tls_server_config.client_auth_type: must ask for client certificates when a client CA is given, e.g. RequireAndVerifyClientCert',
      ],
    ],
    [
      'a client CA file without a certificate: never an empty CA, which would make Node trust its default roots',
      'tls_server_config:\n  cert: C\n  key: K\n  client_ca_file: /dev/null\n  client_auth_type: RequireAndVerifyClientCert\n',
      ['tls_server_config.client_ca_file: holds no certificate (no -----BEGIN CERTIFICATE----- block)'],
    ],
    [
      'a client CA whose certificate block cannot be read',
      'tls_server_config:\n  cert: C\n  key: K\n  client_ca: "-----BEGIN CERTIFICATE-----\\nbm90IGEgY2VydA==\\n-----END CERTIFICATE-----\\n"\n  client_auth_type: VerifyClientCertIfGiven\n',
      [expect.stringMatching(/^tls_server_config\.client_ca: certificate 1 cannot be read: /)],
    ],
    [
      'an unknown client auth type',
      'tls_server_config:\n  cert: C\n  key: K\n  client_auth_type: RequireClientCert\n',
      [
        'tls_server_config.client_auth_type: must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert, got "RequireClientCert"',
      ],
    ],
    [
      'a maximum TLS version below the minimum',
      'tls_server_config:\n  cert: C\n  key: K\n  min_version: TLS13\n  max_version: TLS12\n',
      ['tls_server_config.max_version: must not be lower than min_version (TLS13)'],
    ],
    [
      'curve preferences',
      'tls_server_config:\n  cert: C\n  key: K\n  curve_preferences: [X25519]\n',
      [`tls_server_config.curve_preferences: ${NOT_SUPPORTED} Node.js uses its OpenSSL curves; remove the key`],
    ],
    [
      'a bad http_server_config',
      'http_server_config:\n  http2: "yes"\n  headers:\n    Content-Security-Policy: "a\\r\\nSet-Cookie: x"\n    X-Content-Type-Options: sniff\n  timeout: 5\n',
      [
        'http_server_config.http2: must be true or false, got "yes"',
        'http_server_config.headers.Content-Security-Policy: must not contain control characters such as line breaks',
        'http_server_config.headers.X-Content-Type-Options: must be one of nosniff, got "sniff"',
        'http_server_config.timeout: unknown key; expected one of http2, headers',
      ],
    ],
    [
      'an unknown key at the top',
      'basic_auth_user:\n  alice: x\n',
      ['basic_auth_user: unknown key; expected one of tls_server_config, http_server_config, basic_auth_users, rate_limit'],
    ],
    [
      'a bcrypt hash with a bad cost or length',
      `basic_auth_users:\n  a: $2b$03$${'x'.repeat(53)}\n  b: ${HTPASSWD_HASH}x\n  c: 12345\n`,
      [
        `basic_auth_users.a: must be a bcrypt hash ($2a$, $2b$ or $2y$), as htpasswd -nBC 10 "" | tr -d ':\\n' prints it`,
        `basic_auth_users.b: must be a bcrypt hash ($2a$, $2b$ or $2y$), as htpasswd -nBC 10 "" | tr -d ':\\n' prints it`,
        'basic_auth_users.c: must be a string',
      ],
    ],
  ];

  it.each(cases)('%s', async (_what, yaml, lines) => {
    expect(await problems(yaml)).toEqual(lines);
  });
});
