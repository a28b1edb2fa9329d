/** Enumeration helpers shared by both API flavours. */

/**
 * Finds `value` in `known` ignoring case and the underscores JOC sometimes leaves out
 * (`waitingForResource`, `WAITINGFORRESOURCE` and `WAITING_FOR_RESOURCE` are one value).
 * Returns the canonical spelling from `known`, or undefined.
 */
export function normaliseEnum<T extends string>(known: readonly T[], value: string): T | undefined {
  const key = value.replace(/_/g, '').toLowerCase();
  return known.find((k) => k.replace(/_/g, '').toLowerCase() === key);
}
