import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The exporter's name, as it appears on the landing page and in `--version`. */
export const NAME = 'jobscheduler-exporter';

function readVersion(): string {
  // dist/src/version.js and src/version.ts both sit two levels below the package root.
  for (const candidate of [join(__dirname, '..', '..', 'package.json'), join(__dirname, '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === NAME && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0-unknown';
}

/** The package version from package.json. */
export const VERSION = readVersion();
