/**
 * The simulated reporting tables of JOC 1.13 (REPORTING_TASKS, REPORTING_TRIGGERS;
 * V1-HISTORY-NOTES §1.1): rows become visible when the reporting plugin writes them, which can be
 * while the task runs (its end written later) or, after a plugin outage, long after it ended, with
 * its old start time.
 */

/** One task row (REPORTING_TASKS). Times are ms since the epoch. */
export interface TaskHistoryRow {
  /** The Master's task id (`taskId`, a string on the wire). */
  id: number;
  job: string;
  start: number;
  /** Undefined while the task runs. */
  end?: number;
  /** The task's error flag. */
  failed: boolean;
  exitCode: number;
  agent?: string;
  criticality?: 'normal' | 'minor' | 'major';
  /** When the row is written (default: its start). */
  visibleAt?: number;
  /** When its end is written (default: its end). */
  endVisibleAt?: number;
  /** The error text when failed. */
  errorText?: string;
}

/** One order row (REPORTING_TRIGGERS). */
export interface OrderHistoryRow {
  id: number;
  jobChain: string;
  orderId: string;
  /** The last or end node. */
  node: string;
  start: number;
  end?: number;
  /** The error flag of the last executed step (V1-HISTORY-NOTES §1.4). */
  resultError: boolean;
  visibleAt?: number;
  endVisibleAt?: number;
}

/** The row as it is visible at `now`: absent, running (no end) or ended. */
export function visibleEnd(row: { start: number; end?: number; visibleAt?: number; endVisibleAt?: number }, now: number):
  'absent' | 'running' | 'ended' {
  if (now < (row.visibleAt ?? row.start)) return 'absent';
  if (row.end === undefined || now < (row.endVisibleAt ?? row.end)) return 'running';
  return 'ended';
}

/** Orders whose orderId holds `-+<historyId>+-` are children of that order (V1-HISTORY-NOTES §1.4). */
export const CHILD_ORDER_ID = /-\+(\d+)\+-/;
