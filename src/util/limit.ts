/**
 * Runs at most `concurrency` of the given tasks at once, in the order they were queued.
 * The requests of one poll go through one of these, so a JobScheduler with many endpoints
 * cannot flood JOC Cockpit, and a request's timeout starts when it is sent, not while it waits.
 */
export function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  let active = 0;
  const waiting: Array<() => void> = [];
  const next = (): void => {
    active -= 1;
    waiting.shift()?.();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const run = (): void => {
        active += 1;
        task().then(resolve, reject).finally(next);
      };
      if (active < concurrency) run();
      else waiting.push(run);
    });
}
