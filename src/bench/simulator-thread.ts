/**
 * The worker-thread side of `startSimulatorThread` (stack.ts): runs the large simulator, posts its
 * URL, and closes it when the parent posts any message.
 */
import { parentPort } from 'node:worker_threads';
import { startLargeSimulator } from './stack';

const parent = parentPort;
if (parent) {
  void startLargeSimulator().then((sim) => {
    parent.postMessage(sim.url);
    parent.once('message', () => void sim.close().then(() => parent.close()));
  });
}
