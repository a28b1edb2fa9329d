import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ConfigError } from '../../../src/config';

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
