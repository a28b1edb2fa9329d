/**
 * A full garbage collection after the polls that ended together are rendered.
 *
 * A poll and its render make tens of MB of short-lived objects at large inventories (the answers'
 * objects, the samples, the text of every family), all dead once the render is kept. V8 collects
 * them only when its old space reaches its next limit, about twice the live size, so between polls
 * the heap, and RSS, stay near that limit. A full collection right after the render, when the
 * exporter is idle until the next poll, brings the heap back to its live size at the cost of one
 * mark-compact per poll (docs/performance.md, "Memory": the figures with and without it). The
 * Exposition calls it once per render, so JOCs whose polls share a render share the collection.
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

