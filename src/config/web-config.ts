import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';

import { z } from 'zod';

import { cannotRead, fileText } from './files';
import { holdsCertificates, pemCertificates } from './pem';
import { describeIssue, issueProblems, show, toConfigProblem } from './problems';
import { CURVES, HTTP2_REQUIRED_SUITES, TLS12_CIPHER_SUITES, TLS13_CIPHER_SUITES } from './tls-names';
import type { ConfigProblem, WebConfig, WebTlsConfig } from './types';
import { parseYaml } from './yaml';

/**
 * The web configuration file of `listen.webConfigFile`: exporter-toolkit's format
 * (https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md), so a
 * file written for node_exporter or mysqld_exporter works here too, with the same meaning. Its
 * files are read relative to the web config file's own directory; environment references are not
 * expanded in it, as in exporter-toolkit. The server re-reads it while running (web-config-watch.ts).
 *
 * Where exporter-toolkit only fails at the first handshake (a certificate that does not match its
 * key, a file that is not PEM) or never (a CA file without a certificate, which Node would turn
 * into "trust the default roots"), this refuses the file at load, so `--check-config` catches it.
 * `http2` is accepted and ignored (the exporter serves HTTP/1.1), as are TLS 1.3 names in
 * `cipher_suites` (Go does not let TLS 1.3 suites be configured either).
 */

/** exporter-toolkit's client auth types; `RequireClientCert` is its old name of `RequireAnyClientCert`. */
const CLIENT_AUTH_TYPES = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
  'RequireClientCert',
] as const;

/** exporter-toolkit's TLS version names, oldest first, and Node's names for them. */
const TLS_VERSION_NAMES = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;
const NODE_TLS_VERSIONS = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
} as const satisfies Record<(typeof TLS_VERSION_NAMES)[number], WebTlsConfig['minVersion']>;

/**
 * The highest bcrypt cost accepted. A check of cost 18 takes some 20 s of CPU in bcryptjs (on a
 * worker thread; each further step doubles it), so higher costs would let every new scrape
 * credential, and every unknown user, tie up a core for minutes.
 */
export const MAX_BCRYPT_COST = 18;

/** `$2y$` is htpasswd's prefix for the same algorithm as `$2b$`; costs run from 4. */
const BCRYPT_HASH = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

type Entries = Readonly<Record<string, unknown>>;

/** An absent key, as exporter-toolkit reads it: omitted, empty (YAML null) or "". */
const absent = (value: unknown): boolean => value === undefined || value === null || value === '';

/** A key that exporter-toolkit treats as absent when it is the empty string. */
function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());
}

/**
 * exporter-toolkit's IsEnabled: TLS is on when a certificate, key, client CA or client auth type
 * is given; a section with only versions or cipher settings serves plain HTTP.
 */
const TLS_ENABLING_KEYS = ['cert', 'cert_file', 'key', 'key_file', 'client_ca', 'client_ca_file', 'client_auth_type'];

/** Presence checks between keys, made even when some of the keys have problems of their own. */
function checkTlsKeys(tls: Entries, ctx: z.core.$RefinementCtx<unknown>): void {
  if (!TLS_ENABLING_KEYS.some((key) => !absent(tls[key]))) return;
  const given = (key: string) => !absent(tls[key]);
  const problem = (key: string | null, message: string) =>
    ctx.addIssue({ code: 'custom', path: key === null ? [] : [key], message });
  for (const [inline, file] of [['cert', 'cert_file'], ['key', 'key_file']] as const) {
    if (!given(inline) && !given(file)) problem(file, `is required (or ${inline}, inline)`);
  }
  for (const [inline, file] of [['cert', 'cert_file'], ['key', 'key_file'], ['client_ca', 'client_ca_file']] as const) {
    if (given(inline) && given(file)) problem(null, `give ${file} or ${inline}, not both`);
  }
  const clientCa = given('client_ca') || given('client_ca_file');
  if (clientCa && (!given('client_auth_type') || tls.client_auth_type === 'NoClientCert')) {
    const message = 'must ask for client certificates when a client CA is given, e.g. RequireAndVerifyClientCert';
    problem('client_auth_type', message);
  }
  const sans = tls.client_allowed_sans;
  if (Array.isArray(sans) && sans.length > 0 && (!given('client_auth_type') || tls.client_auth_type === 'NoClientCert')) {
    problem('client_allowed_sans', 'needs client certificates: set client_auth_type, e.g. RequireAndVerifyClientCert');
  }
}

/** A list of names from `table` (cipher suites, curves), each unknown one a problem naming it. */
function namesFrom(what: string, known: readonly string[]) {
  return optional(
    z.array(
      z.string().refine((name) => known.includes(name), {
        error: (issue) => `unknown ${what} ${show(issue.input)}; expected one of ${known.join(', ')}`,
      }),
    ),
  );
}

const CIPHER_NAMES = [...Object.keys(TLS12_CIPHER_SUITES), ...TLS13_CIPHER_SUITES];

/**
 * The certificate and key as Node would load them: a certificate that is not PEM, a key that is
 * not, or a pair that does not match fail here (exporter-toolkit finds these at the first
 * handshake). Messages name the key of the config, never a key's content.
 */
function checkKeyPair(cert: string, key: string, keys: { cert: string; key: string }, ctx: z.core.$RefinementCtx<unknown>): void {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const certificates = pemCertificates(cert);
  if (!certificates.ok) return problem(keys.cert, certificates.why);
  try {
    createPrivateKey(key);
  } catch {
    return problem(keys.key, 'is not a PEM private key (-----BEGIN PRIVATE KEY----- or an RSA/EC key)');
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    problem(keys.cert, `does not match ${keys.key} (${(error as Error).message})`);
  }
}

function tlsServerConfig(baseDir: string, http2: boolean, reads: Map<string, string>) {
  const tlsVersion = optional(z.enum(TLS_VERSION_NAMES));
  return z
    .strictObject({
      cert: optional(z.string()),
      cert_file: optional(fileText(baseDir, reads)),
      key: optional(z.string()),
      key_file: optional(fileText(baseDir, reads)),
      client_ca: optional(z.string().superRefine(holdsCertificates)),
      client_ca_file: optional(fileText(baseDir, reads).superRefine((file, ctx) => holdsCertificates(file.text, ctx))),
      client_auth_type: optional(z.enum(CLIENT_AUTH_TYPES)),
      min_version: tlsVersion,
      max_version: tlsVersion,
      prefer_server_cipher_suites: optional(z.boolean()),
      cipher_suites: namesFrom('cipher suite', CIPHER_NAMES),
      curve_preferences: namesFrom('curve', Object.keys(CURVES)),
      client_allowed_sans: optional(z.array(z.string().min(1))),
    })
    .superRefine(checkTlsKeys, { when: (payload) => typeof payload.value === 'object' && payload.value !== null })
    .transform((tls, ctx): WebTlsConfig | null => {
      const minVersion = tls.min_version ?? 'TLS12';
      if (tls.max_version && TLS_VERSION_NAMES.indexOf(tls.max_version) < TLS_VERSION_NAMES.indexOf(minVersion)) {
        const message = `must not be lower than min_version (${minVersion}): no TLS version would be left`;
        ctx.addIssue({ code: 'custom', path: ['max_version'], message });
      }
      const suites = tls.cipher_suites ?? [];
      if (http2 && suites.length > 0 && minVersion !== 'TLS13' && !HTTP2_REQUIRED_SUITES.some((s) => suites.includes(s))) {
        const message = `lacks ${HTTP2_REQUIRED_SUITES.join(' or ')}, which HTTP/2 requires (as in exporter-toolkit); add one, or set http_server_config.http2: false`;
        ctx.addIssue({ code: 'custom', path: ['cipher_suites'], message });
      }
      const enabled = TLS_ENABLING_KEYS.some((key) => !absent((tls as Entries)[key]));
      if (!enabled) return null;
      // checkTlsKeys has made sure that exactly one of each pair is given.
      const cert = tls.cert_file?.text ?? (tls.cert as string);
      const key = tls.key_file?.text ?? (tls.key as string);
      checkKeyPair(cert, key, { cert: tls.cert_file ? 'cert_file' : 'cert', key: tls.key_file ? 'key_file' : 'key' }, ctx);
      const tls12 = suites.filter((name) => !TLS13_CIPHER_SUITES.has(name)).map((name) => TLS12_CIPHER_SUITES[name]!);
      const clientAuthType = tls.client_auth_type === 'RequireClientCert' ? 'RequireAnyClientCert' : tls.client_auth_type;
      return {
        cert,
        key,
        clientCa: tls.client_ca_file?.text ?? tls.client_ca ?? null,
        clientAuthType: clientAuthType ?? 'NoClientCert',
        minVersion: NODE_TLS_VERSIONS[minVersion],
        maxVersion: tls.max_version ? NODE_TLS_VERSIONS[tls.max_version] : null,
        // TLS 1.3 suites stay as Node has them; the list only narrows TLS 1.2 and below.
        ciphers: suites.length > 0 ? [...TLS13_CIPHER_SUITES, ...tls12].join(':') : null,
        ecdhCurve: tls.curve_preferences?.length ? tls.curve_preferences.map((name) => CURVES[name]!).join(':') : null,
        honorCipherOrder: tls.prefer_server_cipher_suites ?? true,
        clientAllowedSans: tls.client_allowed_sans?.length ? tls.client_allowed_sans : null,
      };
    });
}

/**
 * A header value: no control characters, so a value cannot split the response. A number or
 * boolean (`X-XSS-Protection: 1`) is its YAML text, as Go's YAML reads it into a string.
 */
const headerValue = optional(
  z.preprocess(
    (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
    z.string().regex(/^[^\x00-\x08\x0a-\x1f\x7f]*$/, { error: 'must not contain control characters such as line breaks' }),
  ),
);

/** The response headers exporter-toolkit lets a web config set, with the values it allows. */
const httpServerConfig = z.strictObject({
  http2: optional(z.boolean()),
  headers: optional(
    z.strictObject({
      'Content-Security-Policy': headerValue,
      'X-Frame-Options': optional(z.enum(['deny', 'sameorigin'])),
      'X-Content-Type-Options': optional(z.enum(['nosniff'])),
      'X-XSS-Protection': headerValue,
      'Strict-Transport-Security': headerValue,
    }),
  ),
});

const bcryptHash = z
  .string()
  .regex(BCRYPT_HASH, {
    error: `must be a bcrypt hash ($2a$, $2b$ or $2y$), as htpasswd -nBC 10 "" | tr -d ':\\n' prints it`,
  })
  .superRefine((hash, ctx) => {
    const match = BCRYPT_HASH.exec(hash);
    if (!match) return; // the regex has said what is wrong
    const cost = Number(match[1]);
    if (cost < 4) ctx.addIssue({ code: 'custom', message: `has cost ${cost}; bcrypt costs start at 4` });
    if (cost > MAX_BCRYPT_COST) {
      const message = `has cost ${cost}, above the highest accepted (${MAX_BCRYPT_COST}): each check would take minutes of CPU; hash it again with htpasswd -nBC 12`;
      ctx.addIssue({ code: 'custom', message });
    }
  })
  .transform((hash) => hash.replace(/^\$2y\$/, '$2b$'));

/** A Go duration as `rate_limit.interval` takes it (`1s`, `500ms`, `1m30s`), in milliseconds. */
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
const goDuration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (value === 0 || value === '0') return 0;
  // A bare number other than 0 would be nanoseconds in Go: almost surely not what is meant.
  if (typeof value === 'number' || !GO_DURATION.test(value)) {
    ctx.addIssue({ code: 'custom', message: `must be a duration such as 1s, 500ms or 1m, got ${show(value)}` });
    return z.NEVER;
  }
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(amount) * DURATION_UNITS_MS[unit!]!;
  return ms;
});

/** exporter-toolkit's rate_limit: golang.org/x/time/rate with one token per interval, `burst` at most. */
const rateLimitConfig = z.strictObject({
  interval: optional(goDuration),
  burst: optional(z.int().min(0)),
});

/** `http_server_config.http2` as given (default true), which the cipher suite check needs first. */
function http2Of(doc: unknown): boolean {
  const http = typeof doc === 'object' && doc !== null ? (doc as Entries).http_server_config : undefined;
  return typeof http === 'object' && http !== null ? (http as Entries).http2 !== false : true;
}

function webConfigSchema(baseDir: string, http2: boolean, reads: Map<string, string>) {
  // An empty file (YAML null) serves plain HTTP, as in exporter-toolkit.
  return z.preprocess((value) => value ?? {}, webConfigKeys(baseDir, http2, reads));
}

function webConfigKeys(baseDir: string, http2: boolean, reads: Map<string, string>) {
  return z
    .strictObject(
      {
        tls_server_config: optional(tlsServerConfig(baseDir, http2, reads)),
        http_server_config: optional(httpServerConfig),
        basic_auth_users: optional(z.record(z.string().min(1), bcryptHash)),
        rate_limit: optional(rateLimitConfig),
      },
      {
        error: (issue) => {
          if (issue.code !== 'invalid_type') return undefined;
          const keys = 'tls_server_config, http_server_config, basic_auth_users, rate_limit';
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
        rateLimit: web.rate_limit?.interval ? { intervalMs: web.rate_limit.interval, burst: web.rate_limit.burst ?? 0 } : null,
      }),
    );
}

export type WebConfigResult =
  | { readonly ok: true; readonly web: WebConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/**
 * Validates the text of a web config file and reads the files it names (relative to `baseDir`).
 * Every problem is returned, with its path inside the web config (`tls_server_config.cert_file`).
 * `reads`, when given, gets the path and text of each file it named and read.
 */
export async function parseWebConfig(text: string, baseDir: string, reads: Map<string, string> = new Map()): Promise<WebConfigResult> {
  const doc = parseYaml(text);
  if (!doc.ok) return { ok: false, problems: doc.problems.map(toConfigProblem) };
  const result = await webConfigSchema(baseDir, http2Of(doc.value), reads).safeParseAsync(doc.value, { error: describeIssue });
  if (result.success) return { ok: true, web: result.data };
  return { ok: false, problems: doc.inFileOrder(issueProblems(result.error.issues)).map(toConfigProblem) };
}

/**
 * Reads and validates the web config file `path` (as the server does again on every reload).
 * `inputs` are the texts it was made from: the file's own, and each of the files it names.
 */
export async function loadWebConfigFile(path: string): Promise<WebConfigResult & { readonly inputs: ReadonlyMap<string, string> }> {
  const inputs = new Map<string, string>();
  try {
    inputs.set(path, await readFile(path, 'utf8'));
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: cannotRead(path, error) }], inputs };
  }
  return { ...(await parseWebConfig(inputs.get(path)!, dirname(path), inputs)), inputs };
}
