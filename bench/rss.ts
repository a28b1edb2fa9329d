/**
 * `npm run bench -- --rss`: the memory a user sees. The compiled binary (dist/src/cli.js, with the
 * Node flags it sets itself) polls the simulator (its own process) every second and is scraped
 * every second, as Prometheus would; its RSS is read from /proc at intervals. Beside each figure
 * the floor: a bare `node` process that does nothing, measured the same way, because no
 * exporter written in Node.js goes below it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { request } from 'undici';
import { Child } from './ipc';
import { PASSED_ENV } from './soak/soak';
import type { SimulatorApi } from './simulator-process';
import { inventoryOptions, JOBSCHEDULER_ID, orderStates, type Size } from './sizes';
import { PASSWORD, USER } from './stack';

export interface RssPlan {
  readonly size: Size;
  /** How long the binary polls and is scraped, in seconds. */
  readonly seconds: number;
  /** Extra Node flags for the binary's process (on top of those it sets itself). */
  readonly nodeFlags: readonly string[];
}

export interface RssResult {
  readonly size: Size;
  readonly orders: number;
  readonly seconds: number;
  readonly polls: number;
  /** RSS read every second, bytes. */
  readonly readings: readonly number[];
  /** The largest reading, and the one at the end. */
  readonly maxBytes: number;
  readonly endBytes: number;
  /** Lowest reading of the second quarter against the lowest of the last quarter, %. */
  readonly growthPercent: number;
}

/** VmRSS of a process, bytes; NaN when it is gone. */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** RSS of `node [args]` run from `cwd` with `env`, after `seconds`; the median of three. */
async function medianRss(args: readonly string[], seconds: number, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    const child = spawn(process.execPath, args, { stdio: 'ignore', ...options });
    await sleep(seconds * 1000);
    readings.push(rssOf(child.pid!));
    child.kill('SIGKILL');
  }
  return readings.sort((a, b) => a - b)[1]!;
}

/** The floor: a bare node process with a timer, after `seconds`; the median of three. */
export async function bareNodeFloor(seconds = 3): Promise<number> {
  return medianRss(['-e', 'setInterval(() => {}, 1000)'], seconds);
}

/** The package a module specifier names (`@scope/name/deep` → `@scope/name`), or null for a file or a Node module. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  return builtinModules.includes(name) ? null : name;
}

/**
 * The libraries the shipped binary loads: every package its modules import, by package name.
 * The modules are those the npm package ships: dist/src (or its source, src) without what
 * package.json's `files` leaves out (`!dist/src/...`: the simulator, the demo).
 */
export function binaryLibraries(root: string = join(__dirname, '..', '..'), tree: 'dist/src' | 'src' = 'dist/src'): string[] {
  // Loaded here, not with the module: only this needs it, and it takes a while to load.
  const ts = require('typescript') as typeof import('typescript');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files?: string[] };
  const left = (manifest.files ?? []).filter((entry) => entry.startsWith('!dist/src/')).map((entry) => entry.slice('!dist/src/'.length).replace(/\.js$/, ''));
  const extension = tree === 'src' ? '.ts' : '.js';
  const dir = join(root, tree);
  const found = new Set<string>();
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = file.split(sep).join('/');
    if (!path.endsWith(extension) || path.endsWith('.d.ts')) continue;
    if (left.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry + extension))) continue;
    // TypeScript's own scanner: imports, `import()` and `require()` calls, not comments or strings.
    for (const { fileName } of ts.preProcessFile(readFileSync(join(dir, file), 'utf8'), true, true).importedFiles) {
      const name = packageOf(fileName);
      if (name !== null) found.add(name);
    }
  }
  return [...found].sort();
}

/**
 * A second floor: node with the binary's flags and environment, the libraries the binary loads
 * loaded and nothing of the exporter's own. node-cron, when it is one of them, runs a task
 * every second that does nothing, as the binary's schedule does in the --rss runs: node-cron
 * works out each run's time with `Intl.DateTimeFormat`, and the first Intl object costs ICU's
 * data. No exporter on these libraries goes below it.
 */
export async function librariesFloor(libraries: readonly string[], seconds = 3, root: string = join(__dirname, '..', '..')): Promise<number> {
  const script =
    `for (const name of ${JSON.stringify(libraries)}) require(name);` +
    (libraries.includes('node-cron') ? `require('node-cron').schedule('* * * * * *', () => {});` : '') +
    'setInterval(() => {}, 1000);';
  return medianRss([...binaryFlags(), '-e', script], seconds, { cwd: root, env: { PATH: process.env.PATH, ...binaryEnv() } });
}

/** The binary, from dist/bench (compiled) to dist/src/cli.js. */
function cliPath(): string {
  return join(__dirname, '..', 'src', 'cli.js');
}

/** `#!/usr/bin/env -S [NAME=VALUE ...] node [FLAG ...]`: what env sets, and node's flags. */
const SHEBANG = /^#!\/usr\/bin\/env -S\s+((?:\w+=\S*\s+)*)node(?:\s+(.*))?$/;

function shebang(cli: string): RegExpExecArray | null {
  return SHEBANG.exec(readFileSync(cli, 'utf8').split('\n', 1)[0] ?? '');
}

const words = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter((word) => word !== '');

/** The Node flags the binary sets itself, in its `#!/usr/bin/env -S ... node ...` line. */
export function binaryFlags(cli: string = cliPath()): string[] {
  return words(shebang(cli)?.[2]);
}

/** The environment variables the binary's shebang line sets before node (`env -S NAME=VALUE node`). */
export function binaryEnv(cli: string = cliPath()): Record<string, string> {
  return Object.fromEntries(words(shebang(cli)?.[1]).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
}

export async function runRss(plan: RssPlan): Promise<RssResult> {
  const sim = new Child<SimulatorApi>('simulator-process');
  const dir = mkdtempSync(join(tmpdir(), 'jobscheduler-exporter-rss-'));
  let exporter: ChildProcess | undefined;
  try {
    const states = orderStates(plan.size);
    const started = await sim.call('start', { inventory: inventoryOptions(plan.size), orderStates: states });
    const config = {
      listen: { host: '127.0.0.1', port: 0 },
      poll: { schedule: '* * * * * *', timeoutSeconds: 30 },
      log: { level: 'info' },
      joc: [
        {
          name: 'bench',
          url: started.url,
          user: USER,
          password: PASSWORD,
          jobschedulers: [{ id: JOBSCHEDULER_ID, orderStates: states, jobChains: started.jobChains, jobs: started.jobs }],
        },
      ],
    };
    // JSON is YAML.
    writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config));
    // As the soak: only what shapes the process's memory passes through, for experiments.
    const passed = Object.fromEntries(PASSED_ENV.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
    exporter = spawn(process.execPath, [...binaryFlags(), ...plan.nodeFlags, cliPath(), '--config', join(dir, 'config.yaml')], {
      // The shebang's own variables, as the kernel would run it; one set here wins, for experiments.
      env: { PATH: process.env.PATH, ...binaryEnv(), ...passed },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      exporter!.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"address":"(http[^"]+)"/.exec(output);
        if (match) resolve(`${match[1]}/metrics`);
      });
      exporter!.once('exit', () => reject(new Error(`the exporter exited before it listened:\n${output}`)));
    });
    const readings: number[] = [];
    await sim.call('resetStats', undefined);
    for (let s = 0; s < plan.seconds; s++) {
      await sleep(1_000);
      const res = await request(url, { headers: { 'accept-encoding': 'gzip' } });
      await res.body.arrayBuffer();
      readings.push(rssOf(exporter.pid!));
    }
    const polls = (await sim.call('perEndpoint', undefined))['orders/overview/snapshot'] ?? 0;
    const quarter = Math.max(1, Math.floor(readings.length / 4));
    const early = Math.min(...readings.slice(quarter, 2 * quarter));
    const late = Math.min(...readings.slice(-quarter));
    return {
      size: plan.size,
      orders: started.orders,
      seconds: plan.seconds,
      polls,
      readings,
      maxBytes: Math.max(...readings),
      endBytes: readings.at(-1)!,
      growthPercent: (100 * (late - early)) / early,
    };
  } finally {
    exporter?.kill('SIGTERM');
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
