import type { DataFamily, Sample } from '../metrics/families';
import { normaliseEnum } from '../joc/enums';

/** Enum values JOC writes as one word that the label spells as several. */
const COMPOUND: Readonly<Record<string, string>> = {
  waitingforresource: 'waiting_for_resource',
  // JS7's INPROGRESS order state, spelled as the snapshot's inProgress bucket is.
  inprogress: 'in_progress',
};

/**
 * A JOC enum value as a `state` label value (CONTRACT §4): lower snake case.
 * `WAITINGFORRESOURCE` and `waitingForResource` both become `waiting_for_resource`,
 * `NOT_INITIALIZED` becomes `not_initialized`. Characters outside [a-z0-9_] become `_`.
 */
export function stateLabel(value: string): string {
  const cached = STATE_LABELS.get(value);
  if (cached !== undefined) return cached;
  const snake = value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  const label = COMPOUND[snake] ?? snake;
  // A few dozen enum values make almost every call; the bound only guards against a JOC that
  // invents a new value every poll.
  if (STATE_LABELS.size >= STATE_LABEL_CACHE_LIMIT) STATE_LABELS.clear();
  STATE_LABELS.set(value, label);
  return label;
}

/** stateLabel's answers: it runs for every state sample of every poll, tens of thousands at a time. */
const STATE_LABELS = new Map<string, string>();
const STATE_LABEL_CACHE_LIMIT = 1_000;

/**
 * One-hot samples of an enum: 1 for `current`, 0 for each other known value, all known values
 * always present. A value JOC sends that this version does not know gets its own series at 1
 * rather than being dropped.
 */
export function oneHot(
  family: DataFamily,
  labels: Readonly<Record<string, string>>,
  known: readonly string[],
  current: string,
): Sample[] {
  const canonical = normaliseEnum(known, current) ?? current;
  const states = known.includes(canonical) ? known : [...known, canonical];
  return states.map((state) => ({
    family,
    labels: { ...labels, state: stateLabel(state) },
    value: state === canonical ? 1 : 0,
  }));
}

/**
 * One sample per key of a count summary (`orders/overview/snapshot` and the like), its state
 * label the key in lower snake case; 0 for the keys JOC leaves out (it omits zero counts).
 */
export function countSamples<K extends string>(
  family: DataFamily,
  labels: Readonly<Record<string, string>>,
  keys: readonly K[],
  counts: Readonly<Partial<Record<K, number>>> | undefined,
): Sample[] {
  return keys.map((key) => ({ family, labels: { ...labels, state: stateLabel(key) }, value: counts?.[key] ?? 0 }));
}
