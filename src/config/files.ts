import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { z } from 'zod';

/** The OS reasons a configured file most often cannot be read, in the words of the problem lines. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'too many symbolic links',
};

/** `cannot read /etc/exporter/pw: no such file`: the path and the OS reason, never the content. */
export function cannotRead(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reason = code === undefined ? String(error) : (READ_ERRORS[code] ?? code);
  return `cannot read ${path}: ${reason}`;
}

/** A file the configuration names, read at load time. */
export interface FileText {
  /** Absolute: a relative path is resolved against the directory of the file that names it. */
  readonly path: string;
  readonly text: string;
}

/**
 * A key naming a file (`passwordFile`, `caFile`, `webConfigFile`, `cert_file`, ...): a non-empty
 * path, resolved against `baseDir` and read as UTF-8. A file that cannot be read is a problem on
 * the key that names it, so it is reported with every other problem of the configuration.
 * `reads`, when given, gets each file read and its text.
 */
export function fileText(baseDir: string, reads?: Map<string, string>) {
  return z
    .string()
    .min(1)
    .transform(async (file, ctx): Promise<FileText> => {
      const path = resolve(baseDir, file);
      try {
        const text = await readFile(path, 'utf8');
        reads?.set(path, text);
        return { path, text };
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: cannotRead(path, error) });
        return z.NEVER;
      }
    });
}
