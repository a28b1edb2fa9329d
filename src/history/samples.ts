import type { Sample } from '../metrics/families';
import {
  JOB_LAST_DURATION,
  JOB_LAST_EXIT_CODE,
  JOB_LAST_FAILURE,
  JOB_LAST_SUCCESS,
  ORDERS_COMPLETED,
  TASK_DURATION,
  TASKS_COMPLETED,
} from '../metrics/outcome-families';
import type { SeriesBook } from './series';

type Base = Readonly<Record<string, string>>;

/**
 * The task series of one tracker (CONTRACT §8.1): per job, the completed counters (both results,
 * from 0) and the last-* gauges; for the JobScheduler, the duration histogram of every job.
 */
export function taskSamples(book: SeriesBook, base: Base): Sample[] {
  const samples: Sample[] = [];
  for (const series of book.values()) {
    const labels = { ...base, ...series.labels };
    for (const result of ['successful', 'failed'] as const) {
      samples.push({ family: TASKS_COMPLETED, labels: { ...labels, result }, value: series.completed[result] });
    }
    if (series.lastSuccessEnd !== null) samples.push({ family: JOB_LAST_SUCCESS, labels, value: series.lastSuccessEnd / 1000 });
    if (series.lastFailureEnd !== null) samples.push({ family: JOB_LAST_FAILURE, labels, value: series.lastFailureEnd / 1000 });
    if (series.last) {
      if (series.last.exitCode !== null) samples.push({ family: JOB_LAST_EXIT_CODE, labels, value: series.last.exitCode });
      samples.push({ family: JOB_LAST_DURATION, labels, value: series.last.durationSeconds });
    }
  }
  for (const bucket of book.durations.cumulative()) {
    const le = bucket.le === Infinity ? '+Inf' : String(bucket.le);
    samples.push({ family: TASK_DURATION, labels: { ...base, le }, value: bucket.count, suffix: '_bucket' });
  }
  samples.push({ family: TASK_DURATION, labels: base, value: book.durations.sum, suffix: '_sum' });
  samples.push({ family: TASK_DURATION, labels: base, value: book.durations.count, suffix: '_count' });
  return samples;
}

/** The order series of one tracker: per job chain (1.x) or workflow (JS7), the completed counters. */
export function orderSamples(book: SeriesBook, base: Base): Sample[] {
  const samples: Sample[] = [];
  for (const series of book.values()) {
    for (const result of ['successful', 'failed'] as const) {
      samples.push({ family: ORDERS_COMPLETED, labels: { ...base, ...series.labels, result }, value: series.completed[result] });
    }
  }
  return samples;
}
