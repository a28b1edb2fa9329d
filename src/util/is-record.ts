/** A JSON object (not null, not an array): what JOC's answers hold at each level. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
