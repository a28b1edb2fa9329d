/**
 * The simulated daily plan of JOC 1.13 (DAILY_PLAN, V1-HISTORY-NOTES §4): planned starts of job
 * chains (orders) and standalone jobs, each with the fate the demo gives it (when it starts, how
 * long it runs, whether it fails, or that it never starts). The state at a given time follows from
 * the fate; JOC's stored `late` flag lags behind for items that never started, as JOC's adjustment
 * runs only after reporting events (§4 "late").
 */
import type { SchedulerInventory } from './inventory';
import { createPrng } from './prng';

export interface PlanItemInventory {
  job?: string;
  jobChain?: string;
  orderId?: string;
  plannedStart: number;
  /** Delay of the start after the planned start, ms; null: never starts. */
  startDelay: number | null;
  durationMs: number;
  failed: boolean;
  historyId: number;
}

export interface DailyPlanInventory {
  /** 00:00 UTC of the plan's day, ms. */
  day: number;
  items: PlanItemInventory[];
}

/** How long JOC takes to flag a missed start as late (its adjustment waits for reporting events). */
export const LATE_FLAG_LAG_MS = 5 * 60_000;
/** JOC's fixed tolerance for a late start (ExecutionState, V1-HISTORY-NOTES §4). */
export const LATE_TOLERANCE_MS = 2 * 60_000;

const DAY = 86_400_000;

/** Today's plan of a scheduler, made (deterministically from its id and day) when missing or stale. */
export function planOf(scheduler: SchedulerInventory, now: number): DailyPlanInventory {
  const day = Math.floor(now / DAY) * DAY;
  if (scheduler.plan && scheduler.plan.day === day) return scheduler.plan;
  let seed = day / DAY;
  for (const c of scheduler.jobschedulerId) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
  const rng = createPrng(seed);
  const items: PlanItemInventory[] = [];
  let historyId = 1_000_000;
  const plan = (fields: Pick<PlanItemInventory, 'job' | 'jobChain' | 'orderId'>, plannedStart: number): void => {
    const missed = rng.chance(0.08);
    const lateStart = rng.chance(0.1);
    items.push({
      ...fields,
      plannedStart,
      startDelay: missed ? null : lateStart ? rng.int(3 * 60_000, 20 * 60_000) : rng.int(0, 30_000),
      durationMs: rng.int(30_000, 15 * 60_000),
      failed: rng.chance(0.1),
      historyId: historyId++,
    });
  };
  scheduler.jobChains.forEach((chain, i) => {
    for (let k = 0; k < 12; k++) plan({ jobChain: chain.path, orderId: `plan_${k}` }, day + (i * 7 + 20) * 60_000 + k * 2 * 3_600_000);
  });
  scheduler.jobs.filter((job) => !job.isOrderJob).forEach((job, i) => {
    for (let k = 0; k < 6; k++) plan({ job: job.path }, day + (i * 11 + 45) * 60_000 + k * 4 * 3_600_000);
  });
  scheduler.plan = { day, items };
  return scheduler.plan;
}
