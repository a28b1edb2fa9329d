import { z } from 'zod';

import { fileText } from './files';
import { pemCertificates } from './pem';
import { describeIssue, issueProblems, show, toConfigProblem } from './problems';
import type { ClientAuthType, ConfigProblem, WebConfig, WebTlsConfig } from './types';
import { parseYaml } from './yaml';

/**
 * The web configuration file of `listen.webConfigFile`: exporter-toolkit's format
 * (https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md), so a
 * file written for node_exporter or mysqld_exporter works here too. Its files are read once, at
 * load time, relative to the web config file's own directory. Environment references are not
 * expanded in it, as in exporter-toolkit.
 *
 * Keys of the format that this exporter does not implement are problems, not silently ignored:
 * a TLS restriction that is not applied would be worse than a refusal to start. Only the purely
 * advisory `prefer_server_cipher_suites` (which Go's crypto/tls itself no longer honours) and
 * `http2` (the exporter serves HTTP/1.1) are accepted and ignored.
 */

const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const satisfies readonly ClientAuthType[];

/** The client auth types that check a client certificate against the client CA. */
const VERIFYING_CLIENT_AUTH: ReadonlySet<unknown> = new Set(['VerifyClientCertIfGiven', 'RequireAndVerifyClientCert']);

/** exporter-toolkit's TLS version names, oldest first, and Node's names for them. */
const TLS_VERSION_NAMES = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;
const NODE_TLS_VERSIONS = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
} as const satisfies Record<(typeof TLS_VERSION_NAMES)[number], WebTlsConfig['minVersion']>;

/** `$2y$` is htpasswd's prefix for the same algorithm as `$2b$`; costs run from 4 to 31. */
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

function unsupported(why: string) {
  return z.never({ error: `is not supported by jobscheduler-exporter: ${why}; remove the key` }).optional();
}

type Entries = Readonly<Record<string, unknown>>;

/** Presence checks between keys, made even when some of the keys have problems of their own. */
function checkTlsKeys(tls: Entries, ctx: z.core.$RefinementCtx<unknown>): void {
  const given = (key: string) => tls[key] !== undefined && tls[key] !== null;
  const problem = (key: string | null, message: string) =>
    ctx.addIssue({ code: 'custom', path: key === null ? [] : [key], message });
  for (const [inline, file] of [['cert', 'cert_file'], ['key', 'key_file']] as const) {
    if (!given(inline) && !given(file)) problem(file, `is required (or ${inline}, inline)`);
  }
  for (const [inline, file] of [['cert', 'cert_file'], ['key', 'key_file'], ['client_ca', 'client_ca_file']] as const) {
    if (given(inline) && given(file)) problem(null, `give ${file} or ${inline}, not both`);
  }
  const clientCa = given('client_ca') || given('client_ca_file');
  if (VERIFYING_CLIENT_AUTH.has(tls.client_auth_type) && !clientCa) {
    problem('client_ca_file', `is required when client_auth_type is ${String(tls.client_auth_type)}`);
  }
  if (clientCa && (!given('client_auth_type') || tls.client_auth_type === 'NoClientCert')) {
    const message = 'must ask for client certificates when a client CA is given, e.g. RequireAndVerifyClientCert';
    problem('client_auth_type', message);
  }
}

/** A client CA must hold certificates: an empty one would make Node trust its default roots. */
function holdsCertificates(text: string, ctx: z.core.$RefinementCtx<unknown>): void {
  const read = pemCertificates(text);
  if (!read.ok) ctx.addIssue({ code: 'custom', message: read.why });
}

function tlsServerConfig(baseDir: string) {
  const tlsVersion = z.enum(TLS_VERSION_NAMES).nullish();
  return z
    .strictObject({
      cert: z.string().min(1).nullish(),
      cert_file: fileText(baseDir).nullish(),
      key: z.string().min(1).nullish(),
      key_file: fileText(baseDir).nullish(),
      client_ca: z.string().min(1).superRefine(holdsCertificates).nullish(),
      client_ca_file: fileText(baseDir)
        .superRefine((file, ctx) => holdsCertificates(file.text, ctx))
        .nullish(),
      client_auth_type: z.enum(CLIENT_AUTH_TYPES).nullish(),
      min_version: tlsVersion,
      max_version: tlsVersion,
      prefer_server_cipher_suites: z.boolean().nullish(),
      cipher_suites: unsupported('Node.js uses its OpenSSL cipher suites'),
      curve_preferences: unsupported('Node.js uses its OpenSSL curves'),
      client_allowed_sans: unsupported('client certificates are checked against the client CA only'),
    })
    .superRefine(checkTlsKeys, { when: (payload) => typeof payload.value === 'object' && payload.value !== null })
    .transform((tls, ctx): WebTlsConfig => {
      const minVersion = tls.min_version ?? 'TLS12';
      if (tls.max_version && TLS_VERSION_NAMES.indexOf(tls.max_version) < TLS_VERSION_NAMES.indexOf(minVersion)) {
        const message = `must not be lower than min_version (${minVersion})`;
        ctx.addIssue({ code: 'custom', path: ['max_version'], message });
      }
      const clientCa = tls.client_ca_file?.text ?? tls.client_ca ?? null;
      return {
        // checkTlsKeys has made sure that exactly one of each pair is given.
        cert: tls.cert_file?.text ?? (tls.cert as string),
        key: tls.key_file?.text ?? (tls.key as string),
        clientCa,
        clientAuthType: tls.client_auth_type ?? 'NoClientCert',
        minVersion: NODE_TLS_VERSIONS[minVersion],
        maxVersion: tls.max_version ? NODE_TLS_VERSIONS[tls.max_version] : null,
      };
    });
}

/** A header value: no control characters, so a value cannot split the response. */
const headerValue = z
  .string()
  .regex(/^[^\x00-\x08\x0a-\x1f\x7f]*$/, { error: 'must not contain control characters such as line breaks' })
  .nullish();

/** The response headers exporter-toolkit lets a web config set, with the values it allows. */
const httpServerConfig = z.strictObject({
  http2: z.boolean().nullish(),
  headers: z
    .strictObject({
      'Content-Security-Policy': headerValue,
      'X-Frame-Options': z.enum(['deny', 'sameorigin']).nullish(),
      'X-Content-Type-Options': z.enum(['nosniff']).nullish(),
      'X-XSS-Protection': headerValue,
      'Strict-Transport-Security': headerValue,
    })
    .nullish(),
});

const bcryptHash = z
  .string()
  .regex(BCRYPT_HASH, {
    error: `must be a bcrypt hash ($2a$, $2b$ or $2y$), as htpasswd -nBC 10 "" | tr -d ':\\n' prints it`,
  })
  .transform((hash) => hash.replace(/^\$2y\$/, '$2b$'));

function webConfigSchema(baseDir: string) {
  return z
    .strictObject(
      {
        tls_server_config: tlsServerConfig(baseDir).nullish(),
        http_server_config: httpServerConfig.nullish(),
        basic_auth_users: z.record(z.string().min(1), bcryptHash).nullish(),
        rate_limit: unsupported('rate-limit in a reverse proxy instead'),
      },
      {
        error: (issue) => {
          if (issue.code !== 'invalid_type') return undefined;
          if (issue.input === null) return 'the file is empty: give tls_server_config and/or basic_auth_users';
          const keys = 'tls_server_config, http_server_config, basic_auth_users';
          return `the top level must be a mapping of keys (${keys}), got ${show(issue.input)}`;
        },
      },
    )
    .transform(
      (web): WebConfig => ({
        tls: web.tls_server_config ?? null,
        basicAuthUsers: new Map(Object.entries(web.basic_auth_users ?? {})),
        headers: Object.fromEntries(
          Object.entries(web.http_server_config?.headers ?? {}).filter((entry): entry is [string, string] => !!entry[1]),
        ),
      }),
    );
}

export type WebConfigResult =
  | { readonly ok: true; readonly web: WebConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/**
 * Validates the text of a web config file and reads the files it names (relative to `baseDir`).
 * Every problem is returned, with its path inside the web config (`tls_server_config.cert_file`).
 */
export async function parseWebConfig(text: string, baseDir: string): Promise<WebConfigResult> {
  const doc = parseYaml(text);
  if (!doc.ok) return { ok: false, problems: doc.problems.map(toConfigProblem) };
  const result = await webConfigSchema(baseDir).safeParseAsync(doc.value, { error: describeIssue });
  if (result.success) return { ok: true, web: result.data };
  return { ok: false, problems: doc.inFileOrder(issueProblems(result.error.issues)).map(toConfigProblem) };
}
