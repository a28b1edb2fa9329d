/**
 * `plan` of JOC 1.13 (V1-HISTORY-NOTES §4; schema plan/plan-schema.json): the items whose planned
 * start lies in [dateFrom, dateTo), filtered by states (OR) and the stored `late` flag, with the
 * state and severity table of §4. No item limit. A `dateTo` without `dateFrom` fails (JOC's NPE).
 */
import { parseJocDate } from './dates';
import { RequestError } from './filters';
import type { SchedulerInventory } from './inventory';
import { LATE_FLAG_LAG_MS, LATE_TOLERANCE_MS, planOf, type PlanItemInventory } from './plan-store';
import { iso } from './shapes';

type PlanStateText = 'PLANNED' | 'INCOMPLETE' | 'SUCCESSFUL' | 'FAILED';

export interface PlanBody {
  jobschedulerId: string;
  dateFrom?: string;
  dateTo?: string;
  timeZone?: string;
  states?: PlanStateText[];
  late?: boolean;
  job?: string;
  jobChain?: string;
  orderId?: string;
}

const SEVERITY: Readonly<Record<PlanStateText, [number, number]>> = {
  PLANNED: [4, 5],
  INCOMPLETE: [6, 5],
  SUCCESSFUL: [0, 1],
  FAILED: [2, 2],
};

interface Status {
  state: PlanStateText;
  late: boolean;
  start?: number;
  end?: number;
}

function statusAt(item: PlanItemInventory, now: number): Status {
  const start = item.startDelay === null ? undefined : item.plannedStart + item.startDelay;
  if (start === undefined || start > now) {
    // JOC's stored flag: set for a missed start only once its adjustment ran
    return { state: 'PLANNED', late: item.plannedStart < now - LATE_FLAG_LAG_MS };
  }
  const late = start > item.plannedStart + LATE_TOLERANCE_MS;
  const end = start + item.durationMs;
  if (end > now) return { state: 'INCOMPLETE', late, start };
  return { state: item.failed ? 'FAILED' : 'SUCCESSFUL', late, start, end };
}

export function planAnswer(scheduler: SchedulerInventory, body: PlanBody, now: number): object {
  if (body.dateTo !== undefined && body.dateFrom === undefined) {
    throw new RequestError('JOC-420', 'java.lang.NullPointerException');
  }
  const from = body.dateFrom === undefined ? undefined : parseJocDate(body.dateFrom, now, 'dateFrom', body.timeZone);
  const to = body.dateTo === undefined ? undefined : parseJocDate(body.dateTo, now, 'dateTo', body.timeZone);
  const states = body.states && body.states.length > 0 ? new Set(body.states) : undefined;
  const planItems = planOf(scheduler, now).items
    .filter((item) => (from === undefined || item.plannedStart >= from) && (to === undefined || item.plannedStart < to))
    .filter((item) => (body.job === undefined || item.job === body.job) && (body.jobChain === undefined || item.jobChain === body.jobChain))
    .map((item) => ({ item, status: statusAt(item, now) }))
    .filter(({ status }) => (!states || states.has(status.state)) && (body.late === undefined || status.late === body.late))
    .map(({ item, status }) => planItem(item, status, now));
  return { deliveryDate: iso(now), planItems };
}

function planItem(item: PlanItemInventory, status: Status, now: number): object {
  const [severity, lateSeverity] = SEVERITY[status.state];
  return {
    surveyDate: iso(now - 3_600_000),
    ...(item.job ? { job: item.job } : { jobChain: item.jobChain, orderId: item.orderId }),
    plannedStartTime: iso(item.plannedStart),
    expectedEndTime: iso(item.plannedStart + item.durationMs),
    ...(status.start === undefined ? {} : { startTime: iso(status.start), historyId: String(item.historyId) }),
    ...(status.end === undefined ? {} : { endTime: iso(status.end) }),
    ...(item.job && status.end !== undefined ? { exitCode: item.failed ? 1 : 0 } : {}),
    ...(item.jobChain && status.start !== undefined ? { node: status.end === undefined ? '100' : item.failed ? 'error' : 'success' } : {}),
    startMode: 0,
    late: status.late,
    state: { severity: status.late ? lateSeverity : severity, _text: status.state },
  };
}
