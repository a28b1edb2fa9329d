import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compareSync } from 'bcryptjs';

import { parseConfig } from '../../../src/config';
import { parseWebConfig } from '../../../src/config/web-config';
import { FIXTURES, expectedWebConfig, inlineTls, OTHER_KEY, SERVER_CERT, SERVER_KEY } from './support';

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
    const web = await valid(inlineTls(`  client_ca: ${ca}\n  client_auth_type: RequestClientCert\n  max_version: TLS13\n`));
    expect(web.tls).toEqual({
      cert: SERVER_CERT,
      key: SERVER_KEY,
      clientCa: read('certs/client-ca.pem'),
      clientAuthType: 'RequestClientCert',
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: null,
      ecdhCurve: null,
      honorCipherOrder: true,
      clientAllowedSans: null,
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
      rateLimit: null,
    });
  });
});

describe('parseWebConfig: what exporter-toolkit accepts', () => {
  it('an empty file: plain HTTP, nothing asked for', async () => {
    expect(await valid('')).toEqual({ tls: null, basicAuthUsers: new Map(), headers: {}, rateLimit: null });
  });

  it('a TLS section of versions only: not TLS (exporter-toolkit IsEnabled), plain HTTP', async () => {
    expect((await valid('tls_server_config:\n  min_version: TLS13\n  prefer_server_cipher_suites: false\n')).tls).toBeNull();
  });

  it('cipher suites as OpenSSL names (TLS 1.3 suites kept as Node has them), curves, SANs, server order', async () => {
    const web = await valid(
      inlineTls(
        '  client_auth_type: RequireAnyClientCert\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]\n' +
          '  curve_preferences: [X25519, CurveP384]\n  client_allowed_sans: [prometheus.example, 10.0.0.1]\n  prefer_server_cipher_suites: false\n',
      ),
    );
    expect(web.tls).toMatchObject({
      ciphers: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305',
      ecdhCurve: 'X25519:P-384',
      clientAllowedSans: ['prometheus.example', '10.0.0.1'],
      honorCipherOrder: false,
    });
  });

  it('RequireClientCert, the old name, is RequireAnyClientCert; verifying without a client CA is allowed (default roots, as Go)', async () => {
    expect((await valid(inlineTls('  client_auth_type: RequireClientCert\n'))).tls?.clientAuthType).toBe('RequireAnyClientCert');
    expect((await valid(inlineTls('  client_auth_type: RequireAndVerifyClientCert\n'))).tls).toMatchObject({ clientCa: null });
  });

  it('header values YAML reads as numbers are their text; rate_limit in milliseconds; interval 0 is no limit', async () => {
    const web = await valid('http_server_config:\n  headers:\n    X-XSS-Protection: 1\nrate_limit:\n  interval: 1m30s\n  burst: 5\n');
    expect(web.headers).toEqual({ 'X-XSS-Protection': '1' });
    expect(web.rateLimit).toEqual({ intervalMs: 90_000, burst: 5 });
    expect((await valid('rate_limit:\n  interval: 0\n  burst: 0\n')).rateLimit).toBeNull();
    expect((await valid('rate_limit:\n  interval: 250ms\n')).rateLimit).toEqual({ intervalMs: 250, burst: 0 });
  });

  it('cipher suites without the HTTP/2 one are fine with http2: false', async () => {
    const yaml = inlineTls('  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n  max_version: TLS12\n') + 'http_server_config:\n  http2: false\n';
    expect((await valid(yaml)).tls?.ciphers).toContain('ECDHE-RSA-AES256-GCM-SHA384');
  });
});

describe('parseWebConfig of an invalid file', () => {
    const cases: [what: string, yaml: string, lines: unknown[]][] = [
    [
      'the fixture',
      read('web-config-invalid.yml'),
      [
        `tls_server_config.key_file: is required (or key, inline)`,
        `tls_server_config: give cert_file or cert, not both`,
        `tls_server_config.cert_file: cannot read ${join(FIXTURES, 'certs/missing.crt')}: no such file`,
        `tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13, got "TLS14"`,
        `tls_server_config.cipher_suites[0]: unknown cipher suite "TLS_RSA_WITH_RC4_128_SHA"; expected one of TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256`,
        `tls_server_config.curve_preferences[0]: unknown curve "CurveP257"; expected one of CurveP256, CurveP384, CurveP521, X25519`,
        `http_server_config.headers.X-Frame-Options: must be one of deny, sameorigin, got "allow"`,
        `http_server_config.headers.X-Powered-By: unknown key; expected one of Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, X-XSS-Protection, Strict-Transport-Security`,
        `basic_auth_users.alice: must be a bcrypt hash ($2a$, $2b$ or $2y$), as htpasswd -nBC 10 "" | tr -d ':\\n' prints it`,
        `basic_auth_users.bob: has cost 24, above the highest accepted (18): each check would take minutes of CPU; hash it again with htpasswd -nBC 12`,
        `rate_limit.interval: must be a duration such as 1s, 500ms or 1m, got "1 second"`,
        `rate_limit.burst: must be at least 0, got -1`,
      ],
    ],
    [
      'a list',
      '- tls_server_config\n',
      ['the top level must be a mapping of keys (tls_server_config, http_server_config, basic_auth_users, rate_limit), got a list'],
    ],
    ['a syntax error', 'tls_server_config: [\n', ['line 2, column 1: flow sequence in block collection must be sufficiently indented and end with a ]']],
    [
      'a TLS section with a client auth type but without certificate and key',
      'tls_server_config:\n  client_auth_type: RequireAnyClientCert\n',
      ['tls_server_config.cert_file: is required (or cert, inline)', 'tls_server_config.key_file: is required (or key, inline)'],
    ],
    [
      'empty cert_file and key_file, as exporter-toolkit reads "": absent',
      'tls_server_config:\n  cert_file: ""\n  key_file: ""\n  client_auth_type: x\n',
      [
        'tls_server_config.cert_file: is required (or cert, inline)',
        'tls_server_config.key_file: is required (or key, inline)',
        expect.stringMatching(/^tls_server_config\.client_auth_type: must be one of NoClientCert, /),
      ],
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
      inlineTls('  client_ca_file: certs/client-ca.pem\n'),
      ['tls_server_config.client_auth_type: must ask for client certificates when a client CA is given, e.g. RequireAndVerifyClientCert'],
    ],
    [
      'a client CA with NoClientCert',
      inlineTls('  client_ca: CA\n  client_auth_type: NoClientCert\n'),
      [
        'tls_server_config.client_ca: holds no certificate (no -----BEGIN CERTIFICATE----- block)',
        'tls_server_config.client_auth_type: must ask for client certificates when a client CA is given, e.g. RequireAndVerifyClientCert',
      ],
    ],
    [
      'a client CA file without a certificate: never an empty CA, which would make Node trust its default roots',
      inlineTls('  client_ca_file: /dev/null\n  client_auth_type: RequireAndVerifyClientCert\n'),
      ['tls_server_config.client_ca_file: holds no certificate (no -----BEGIN CERTIFICATE----- block)'],
    ],
    [
      'a client CA whose certificate block cannot be read',
      inlineTls('  client_ca: "-----BEGIN CERTIFICATE-----\\nbm90IGEgY2VydA==\\n-----END CERTIFICATE-----\\n"\n  client_auth_type: VerifyClientCertIfGiven\n'),
      [expect.stringMatching(/^tls_server_config\.client_ca: certificate 1 cannot be read: /)],
    ],
    [
      'an unknown client auth type',
      inlineTls('  client_auth_type: RequireSomeCert\n'),
      [
        'tls_server_config.client_auth_type: must be one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert, RequireClientCert, got "RequireSomeCert"',
      ],
    ],
    [
      'a maximum TLS version below the minimum',
      inlineTls('  min_version: TLS13\n  max_version: TLS12\n'),
      ['tls_server_config.max_version: must not be lower than min_version (TLS13): no TLS version would be left'],
    ],
    [
      'a certificate that is not PEM',
      `tls_server_config:\n  cert: not a certificate\n  key: ${JSON.stringify(SERVER_KEY)}\n`,
      ['tls_server_config.cert: holds no certificate (no -----BEGIN CERTIFICATE----- block)'],
    ],
    [
      'a key that is not PEM (the message never shows it)',
      `tls_server_config:\n  cert: ${JSON.stringify(SERVER_CERT)}\n  key: not-a-key-4d1f\n`,
      ['tls_server_config.key: is not a PEM private key (-----BEGIN PRIVATE KEY----- or an RSA/EC key)'],
    ],
    [
      'a certificate that does not match its key',
      `tls_server_config:\n  cert: ${JSON.stringify(SERVER_CERT)}\n  key: ${JSON.stringify(OTHER_KEY)}\n`,
      [expect.stringMatching(/^tls_server_config\.cert: does not match key \(.*\)$/)],
    ],
    [
      'cipher suites without the one HTTP/2 requires (as exporter-toolkit), unless http2 is off',
      inlineTls('  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n  max_version: TLS12\n'),
      [
        'tls_server_config.cipher_suites: lacks TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, which HTTP/2 requires (as in exporter-toolkit); add one, or set http_server_config.http2: false',
      ],
    ],
    [
      'unknown cipher suites, curves and TLS versions, named',
      inlineTls('  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA2048]\n  curve_preferences: [CurveP257]\n  min_version: TLS111\n'),
      [
        expect.stringMatching(/^tls_server_config\.cipher_suites\[0\]: unknown cipher suite "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA2048"; expected one of /),
        'tls_server_config.curve_preferences[0]: unknown curve "CurveP257"; expected one of CurveP256, CurveP384, CurveP521, X25519',
        'tls_server_config.min_version: must be one of TLS10, TLS11, TLS12, TLS13, got "TLS111"',
      ],
    ],
    [
      'client_allowed_sans without client certificates asked for',
      inlineTls('  client_allowed_sans: [prometheus]\n'),
      ['tls_server_config.client_allowed_sans: needs client certificates: set client_auth_type, e.g. RequireAndVerifyClientCert'],
    ],
    [
      'a bcrypt cost above the highest accepted, and a bad rate_limit',
      `basic_auth_users:\n  a: $2y$19$${'x'.repeat(53)}\nrate_limit:\n  interval: 10\n  burst: 1.5\n`,
      [
        'basic_auth_users.a: has cost 19, above the highest accepted (18): each check would take minutes of CPU; hash it again with htpasswd -nBC 12',
        'rate_limit.interval: must be a duration such as 1s, 500ms or 1m, got 10',
        'rate_limit.burst: must be an integer, got 1.5',
      ],
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
        'basic_auth_users.a: has cost 3; bcrypt costs start at 4',
        `basic_auth_users.b: must be a bcrypt hash ($2a$, $2b$ or $2y$), as htpasswd -nBC 10 "" | tr -d ':\\n' prints it`,
        'basic_auth_users.c: must be a string',
      ],
    ],
  ];

  it.each(cases)('%s', async (_what, yaml, lines) => {
    expect(await problems(yaml)).toEqual(lines);
  });
});

describe('listen keys for the web server', () => {
  const yaml = (listen: string) => `listen:\n${listen}joc:\n  - url: http://joc\n    user: root\n    password: pw\n`;

  it('webConfigFile: "" is no web config, as exporter-toolkit\'s empty --web.config.file', async () => {
    const config = await parseConfig(yaml('  webConfigFile: ""\n'), 'config.yaml', {}, FIXTURES);
    expect(config.listen).toMatchObject({ webConfigFile: null, web: null });
  });

  it('maxConnections: 256 by default, from an environment reference too, at least 1', async () => {
    expect((await parseConfig(yaml('  port: 0\n'), 'config.yaml', {}, FIXTURES)).listen.maxConnections).toBe(256);
    expect((await parseConfig(yaml('  maxConnections: "${MAX:-32}"\n'), 'config.yaml', {}, FIXTURES)).listen.maxConnections).toBe(32);
    await expect(parseConfig(yaml('  maxConnections: 0\n'), 'config.yaml', {}, FIXTURES)).rejects.toMatchObject({
      problems: [{ path: 'listen.maxConnections', message: 'must be an integer from 1 to 65536, got 0' }],
    });
  });
});
