/**
 * Calls between the bench's processes: the parent forks a compiled bench module, which serves an
 * API of named operations (`serve`); the parent calls them (`Child.call`) and gets each answer
 * back over the IPC channel. The child exits when the parent disconnects.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Operations a child serves: each takes one JSON argument and answers JSON (or a promise of it). */
export type Api = Record<string, (arg: never) => unknown>;

type Arg<F> = F extends (arg: infer A) => unknown ? A : never;
type Answer<F> = F extends (arg: never) => infer R ? Awaited<R> : never;

interface Request {
  readonly id: number;
  readonly op: string;
  readonly arg: unknown;
}

type Reply = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: string };

/** In a forked bench module: answers the parent's calls; exits when the parent disconnects. */
export function serve(api: Api): void {
  const send = (reply: Reply): void => void process.send?.(reply);
  process.on('message', (request: Request) => {
    const operation = api[request.op] as ((arg: unknown) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!operation) throw new Error(`unknown operation ${request.op}`);
        return operation(request.arg);
      })
      .then(
        (result) => send({ id: request.id, result }),
        (e: unknown) => send({ id: request.id, error: (e as Error).stack ?? String(e) }),
      );
  });
  process.once('disconnect', () => process.exit(0));
}

/** A forked bench module (`<name>.js` beside this file) and the calls to its API. */
export class Child<A extends Api> {
  readonly #process: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #exited: Promise<void>;
  #next = 0;

  /** `env`: variables on top of this process's own, which win (for experiments). */
  constructor(name: string, execArgv: readonly string[] = [], env: Readonly<Record<string, string>> = {}) {
    this.#process = fork(join(__dirname, `${name}.js`), [], {
      execArgv: [...execArgv],
      env: { ...env, ...process.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#process.on('message', (reply: Reply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(`${name}: ${reply.error}`));
      else pending?.resolve(reply.result);
    });
    this.#exited = new Promise((resolve) => {
      this.#process.once('exit', (code, signal) => {
        for (const { reject } of this.#pending.values()) reject(new Error(`${name} exited (${signal ?? code}) before it answered`));
        this.#pending.clear();
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  call<K extends keyof A & string>(op: K, arg: Arg<A[K]>): Promise<Answer<A[K]>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#process.send({ id, op, arg } satisfies Request);
    });
  }

  /** Disconnects, which ends the child, and waits for it to exit. */
  close(): Promise<void> {
    if (this.#process.connected) this.#process.disconnect();
    return this.#exited;
  }
}
