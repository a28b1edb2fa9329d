import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The compiled binary as users run it: `node dist/src/cli.js` (CONTRACT §1); `npm test` builds it first. */
export const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli.js');

export interface BinaryRun {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** stdout and stderr together, in the order they arrived. */
  readonly output: () => string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts the binary with `args` and only `PATH` and `env` in its environment; captures what it prints. */
export function runBinary(args: readonly string[], env: NodeJS.ProcessEnv = {}): BinaryRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm test does, or npm run build)`);
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let both = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    both += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    both += d.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, stdout: () => out, stderr: () => err, output: () => both, exit };
}

/** Waits until `check()` holds, looking every 20 ms; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
