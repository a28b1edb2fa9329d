/**
 * A reader for systemd unit files (systemd.syntax(7)), enough for the tests to look at the
 * settings where systemd-analyze is not installed: sections, `Key=value` lines (a key may repeat),
 * `#` and `;` comments, and lines continued with a trailing backslash.
 */
export type Unit = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

export function parseUnit(text: string): Unit {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = sections.get(section[1]!) ?? new Map<string, string[]>();
      sections.set(section[1]!, current);
      return;
    }
    const setting = /^([A-Za-z0-9]+)\s*=\s*(.*)$/.exec(line);
    if (!setting || !current) throw new Error(`line ${i + 1}: not a setting in a section: ${raw}`);
    const values = current.get(setting[1]!) ?? [];
    values.push(setting[2]!);
    current.set(setting[1]!, values);
  });
  return sections;
}

/** The values of `key` in `section` (every line of a repeated key), or [] when it is not set. */
export const settings = (unit: Unit, section: string, key: string): readonly string[] => unit.get(section)?.get(key) ?? [];
