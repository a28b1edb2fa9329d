import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ConfigError, type WebConfig } from '../../../src/config';

/** test/fixtures/config, absolute: messages name files by their absolute path. */
export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'config');

/** The problem lines of a load that must fail with a ConfigError, as the CLI prints them. */
export async function problemLines(loading: Promise<unknown>): Promise<string[]> {
  const error: unknown = await loading.then(
    () => new Error('the config loaded without problems'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ConfigError)) throw error;
  return error.lines();
}

/** A temporary directory for the files a test writes; `remove()` it in afterEach. */
export function tempDir() {
  const root = mkdtempSync(join(tmpdir(), 'jobscheduler-exporter-config-'));
  return {
    root,
    /** Writes `text` to `name` below the directory (creating folders) and returns the absolute path. */
    write(name: string, text: string): string {
      const file = join(root, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    remove(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The content of a file of test/fixtures/config. */
export function readFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A certificate and its private key (PEM) that Node loads: web configs are checked with them. */
export const SERVER_CERT = readFixture('certs/server.crt');
export const SERVER_KEY = readFixture('certs/server.key');
/** A private key that is not SERVER_CERT's. */
export const OTHER_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

/** `tls_server_config` lines with SERVER_CERT and SERVER_KEY inline, then `extra` (YAML, indented by 2). */
export function inlineTls(extra = ''): string {
  return `tls_server_config:\n  cert: ${JSON.stringify(SERVER_CERT)}\n  key: ${JSON.stringify(SERVER_KEY)}\n${extra}`;
}

/** What test/fixtures/config/web-config.yml resolves to. */
export function expectedWebConfig(): WebConfig {
  return {
    tls: {
      cert: readFixture('certs/server.crt'),
      key: readFixture('certs/server.key'),
      clientCa: readFixture('certs/client-ca.pem'),
      clientAuthType: 'RequireAndVerifyClientCert',
      minVersion: 'TLSv1.3',
      maxVersion: null,
      ciphers: null,
      ecdhCurve: null,
      honorCipherOrder: true,
      clientAllowedSans: null,
    },
    basicAuthUsers: new Map([
      ['prometheus', '$2b$10$IuUgMvnrJiVMZsl5D/VePO3r.UmBE4KeEy0RfDQ43qz6ZrsKrW03e'],
      ['grafana', '$2b$04$2xIQdd50hE.ZHeY8DoKm8.1cTO3dQXYVtol9xORl46eCMefjwRBhK'],
    ]),
    headers: {
      'X-Frame-Options': 'deny',
      'X-Content-Type-Options': 'nosniff',
      'Strict-Transport-Security': 'max-age=31536000',
    },
    rateLimit: null,
  };
}
