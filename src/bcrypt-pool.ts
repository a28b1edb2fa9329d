import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * bcrypt checks on worker threads, so that no hash (a cost-18 check takes some 20 s of CPU in
 * bcryptjs) ever blocks the event loop: the port opens, scrapes of cached users are served and
 * signals are honoured while hashes run. At most `size` checks run at once and at most
 * `queueLimit` wait; beyond that `compare` answers 'busy' at once, so a flood of wrong passwords
 * costs a bounded amount of CPU and memory.
 */

/** Leave a core to the event loop; more than 4 parallel hashes only feed a flood. */
export const DEFAULT_POOL_SIZE = Math.max(1, Math.min(4, availableParallelism() - 1));
/** Checks that may wait for a worker; more are answered 'busy' (HTTP 503). */
export const DEFAULT_QUEUE_LIMIT = 32;

/**
 * The worker's code. It is evaluated rather than loaded from a file so that it runs the same from
 * the TypeScript sources (tests) and from dist/; it requires bcryptjs by the path the main thread
 * resolved. The password travels by message only; nothing is logged.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptjs);
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

export type CompareResult = boolean | 'busy';

interface Job {
  readonly id: number;
  readonly password: string;
  readonly hash: string;
  readonly resolve: (ok: boolean) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export class BcryptPool {
  readonly #size: number;
  readonly #queueLimit: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 0;
  #closed = false;

  constructor(options: { size?: number; queueLimit?: number } = {}) {
    this.#size = options.size ?? DEFAULT_POOL_SIZE;
    this.#queueLimit = options.queueLimit ?? DEFAULT_QUEUE_LIMIT;
  }

  /** Checks `password` against `hash` on a worker; 'busy' when the queue is full; false when closed. */
  compare(password: string, hash: string, signal?: AbortSignal): Promise<CompareResult> {
    if (this.#closed) return Promise.resolve(false);
    if (this.#queue.length >= this.#queueLimit) return Promise.resolve('busy');
    return new Promise<boolean>((resolve) => {
      const job: Job = { id: this.#nextId++, password, hash, resolve };
      // A client gone before its turn costs no hash.
      signal?.addEventListener('abort', () => this.#drop(job), { once: true });
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  /** Checks running or waiting, for tests and the bench. */
  get pending(): number {
    return this.#queue.length + this.#slots.filter((s) => s.job).length;
  }

  /** Ends every worker, even one in the middle of a hash; waiting checks answer false. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.resolve(false);
    const slots = this.#slots.splice(0);
    for (const slot of slots) slot.job?.resolve(false);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #drop(job: Job): void {
    const index = this.#queue.indexOf(job);
    if (index < 0) return;
    this.#queue.splice(index, 1);
    job.resolve(false);
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.job === null);
      if (!slot && this.#slots.length < this.#size) slot = this.#spawn();
      if (!slot) return;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, password: job.password, hash: job.hash });
    }
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptjs: require.resolve('bcryptjs') } });
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (message: { id: number; ok: boolean }) => {
      const job = slot.job;
      if (job?.id !== message.id) return;
      slot.job = null;
      job.resolve(message.ok === true);
      this.#dispatch();
    });
    // A worker that dies (out of memory, a bug) fails its check and is replaced on demand.
    const lost = (): void => {
      const index = this.#slots.indexOf(slot);
      if (index < 0) return;
      this.#slots.splice(index, 1);
      slot.job?.resolve(false);
      slot.job = null;
      if (!this.#closed) this.#dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.#slots.push(slot);
    return slot;
  }
}
