/** docker-compose.yml, parsed, with the lookups the ops tests share. */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');

/** A YAML file of the repository (merge keys `<<:` resolved, as Compose does). */
export const readYaml = <T>(path: string): T => parse(readFileSync(join(ROOT, path), 'utf8'), { merge: true }) as T;

export interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string } | string;
  entrypoint?: string[];
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  network_mode?: string;
}

export const compose = readYaml<{ services: Record<string, Service>; volumes?: Record<string, unknown> }>('docker-compose.yml');
export const services = compose.services;

/** host path -> container path of the bind mounts of a service (named volumes left out). */
export function bindMounts(service: Service): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const v of service.volumes ?? []) {
    const [source, target] = v.split(':');
    if (source.startsWith('./') || source.startsWith('../') || source.startsWith('/')) mounts.set(posix.normalize(source), target);
  }
  return mounts;
}

export function mountTarget(service: Service, source: string): string | undefined {
  return bindMounts(service).get(posix.normalize(source));
}

