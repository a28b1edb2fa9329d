/**
 * The JOC Cockpit 2.x versions the JS7 simulator can pose as, and what each lacks (JS7-NOTES §4).
 * A version is given as '2.5', '2.7' or '2.8' (a representative release of that line, chosen so
 * that each one lacks something the next has) or as a full 'major.minor.patch' string.
 */

export type Js7VersionName = '2.5' | '2.7' | '2.8';

/**
 * 2.5.3: before `/jocs` (2.5.4); 2.7.1: before `/joc/version` (2.7.2) and
 * `/workflows/overview/snapshot` (2.7.3); 2.8.4: the release the schemas are from.
 */
export const VERSION_OF: Readonly<Record<Js7VersionName, string>> = { '2.5': '2.5.3', '2.7': '2.7.1', '2.8': '2.8.4' };

export interface Js7Version {
  /** As JOC shows it, e.g. "2.8.4". */
  readonly text: string;
  readonly parts: readonly [number, number, number];
}

export function parseVersion(version: string): Js7Version {
  const text = (VERSION_OF as Record<string, string>)[version] ?? version;
  const m = /^2\.(\d+)\.(\d+)$/.exec(text);
  if (!m) throw new Error(`unsupported JOC version "${version}": use 2.5, 2.7, 2.8 or a 2.x.y release`);
  const minor = Number(m[1]);
  if (minor < 5 || minor > 8) throw new Error(`unsupported JOC version "${version}": the simulator covers 2.5 to 2.8`);
  return { text, parts: [2, minor, Number(m[2])] };
}

/** Whether `version` is `since` or later ("2.7.3"). */
export function atLeast(version: Js7Version, since: string): boolean {
  const want = since.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const have = version.parts[i]!;
    const need = want[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}
