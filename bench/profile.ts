/**
 * Where a poll's time goes: V8's sampling profiler (node:inspector) around polls, and the
 * profile's self time summed per function and per area (the exporter's own code, each package,
 * Node.js internals, the garbage collector).
 */
import { Session } from 'node:inspector';
import { sep } from 'node:path';

/** The parts of a V8 `Profiler.Profile` that are read here. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly hitCount?: number;
  }[];
  /** Microseconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  /** Of the busy (non-idle) time. */
  readonly percent: number;
}

export interface ProfileSummary {
  /** Sampled time the thread was not idle, ms. */
  readonly busyMs: number;
  readonly functions: SelfTime[];
  readonly areas: SelfTime[];
}

/** Runs `body` under the sampling profiler (sampling every `intervalUs`) and returns the profile. */
export async function profile(body: () => Promise<void>, intervalUs = 100): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: intervalUs });
    await post('Profiler.start');
    await body();
    return ((await post('Profiler.stop')) as { profile: CpuProfile }).profile;
  } finally {
    session.disconnect();
  }
}

/**
 * Self time per function (`name file:line`) and per area, largest first, idle time left out.
 * `root` is the project's folder: paths below it are shown relative to it.
 */
export function summariseProfile(p: CpuProfile, root: string, top = 15): ProfileSummary {
  const totalSamples = p.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const msPerSample = totalSamples === 0 ? 0 : (p.endTime - p.startTime) / 1000 / totalSamples;
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let busyMs = 0;
  for (const node of p.nodes) {
    const ms = (node.hitCount ?? 0) * msPerSample;
    const { functionName, url, lineNumber } = node.callFrame;
    if (ms === 0 || functionName === '(idle)') continue;
    busyMs += ms;
    const file = shortPath(url, root);
    const name = file ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}` : functionName || '(anonymous)';
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const area = areaOf(functionName, url, root);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const ranked = (m: Map<string, number>, n: number): SelfTime[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms, percent: busyMs === 0 ? 0 : (100 * ms) / busyMs }));
  return { busyMs, functions: ranked(functions, top), areas: ranked(areas, areas.size) };
}

function shortPath(url: string, root: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * `exporter: <folder>` for the project's compiled code (dist/src/<folder>/...), the package name
 * for node_modules, `node internals` for node:..., else the V8 pseudo-function, e.g.
 * `(garbage collector)`, or `native` for functions without JS source (JSON.parse, Node.js's C++ bindings).
 */
export function areaOf(functionName: string, url: string, root: string): string {
  const path = shortPath(url, root);
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (packageMatch) return packageMatch[1]!;
  const own = /^dist\/src\/(?:([^/]+)\/)?.*\.js$/.exec(path);
  if (own) return `exporter: ${own[1] ?? 'src'}`;
  if (path.startsWith('dist/bench/')) return 'bench harness';
  if (path.startsWith('node:')) return 'node internals';
  if (path === '') return functionName.startsWith('(') ? functionName : 'native (V8 built-ins, Node.js bindings)';
  return path;
}
