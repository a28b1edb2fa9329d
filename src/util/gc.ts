/**
 * A full garbage collection as each render of the polls that ended together starts, and again
 * once it is kept.
 *
 * A poll and its render make tens of MB of short-lived objects at large inventories (the answers'
 * objects, the samples, the text of every family). V8 collects them only when its old space
 * reaches its next limit, about one and a half times the live size, so between polls the heap,
 * and RSS, would stay near that limit. The collection after the render, when the exporter is idle
 * until the next poll, brings the heap back to its live size. The one before it drops what the
 * poll's answers left (some 6 MB at 20,000 orders) before the render adds its own, so that the
 * render's garbage does not sit on top of the answers': the heap's highest point during a poll is
 * lower (docs/performance.md, "Memory": the figures with and without each). Two mark-compacts
 * per render; JOCs whose polls share a render share them.
 *
 * It needs node's `--expose-gc`, which the binary's shebang line sets; without it (`node
 * dist/src/cli.js`, tests) nothing is collected by hand.
 */

/** What collects: node's `gc()` when node runs with `--expose-gc`. */
export type Collect = () => void;

/** node's `gc()` when it is exposed, else null. */
export function exposedGc(): Collect | null {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => (gc as () => void)() : null;
}

