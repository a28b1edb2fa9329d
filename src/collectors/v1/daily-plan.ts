import { parseJocTimestamp } from '../../joc/timestamp';
import type { PlanAnswer } from '../../joc/v1/health-answers';
import type { Sample } from '../../metrics/families';
import { DAILY_PLAN_ORDERS } from '../../metrics/outcome-families';

export const PLAN_STATES = ['planned', 'incomplete', 'successful', 'failed'] as const;

/** JOC's tolerance for a late start (V1-HISTORY-NOTES §4: ExecutionState, 2 minutes). */
export const LATE_AFTER_MS = 2 * 60_000;

/**
 * `jobscheduler_daily_plan_orders{state, late}` from today's `plan` (CONTRACT §8.3), every state
 * and lateness present (0 when none). A PLANNED item whose planned start is more than two minutes
 * past JOC's answer time counts as late even while JOC's stored flag still says false: JOC
 * updates the flag only after reporting events (§4).
 */
export function planSamples(answer: PlanAnswer, base: Readonly<Record<string, string>>): Sample[] {
  const now = parseJocTimestamp(answer.deliveryDate);
  const counts = new Map<string, number>();
  for (const state of PLAN_STATES) for (const late of ['true', 'false']) counts.set(`${state}/${late}`, 0);
  for (const item of answer.planItems) {
    const state = item.state._text.toLowerCase();
    if (!(PLAN_STATES as readonly string[]).includes(state)) continue;
    const overdue = state === 'planned' && parseJocTimestamp(item.plannedStartTime) < now - LATE_AFTER_MS;
    const key = `${state}/${item.late === true || overdue ? 'true' : 'false'}`;
    counts.set(key, counts.get(key)! + 1);
  }
  return [...counts].map(([key, value]) => {
    const [state, late] = key.split('/') as [string, string];
    return { family: DAILY_PLAN_ORDERS, labels: { ...base, state, late }, value };
  });
}
