/** The history series render as counters, gauges and a histogram that promtool accepts. */
import { execFileSync } from 'node:child_process';
import { HistoryTracker, orderSamples, taskSamples } from '../../src/history';
import { Exposition } from '../../src/metrics/exposition';
import { SelfMetrics } from '../../src/metrics/self';
import { createPrng, HistoryModel, type ModelRow } from '../support/history-model';

const T = Date.UTC(2026, 0, 5, 8, 0, 0);

function row(id: number, job: string, start: number, end: number, failed: boolean): ModelRow {
  return { id: String(id), job, start, end, failed, exitCode: failed ? 7 : 0, visibleAt: start, endVisibleAt: end };
}

function promtool(): string | null {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return 'promtool';
  } catch {
    return null;
  }
}

describe('history exposition', () => {
  let text = '';
  let openMetrics = '';
  beforeAll(async () => {
    let now = T;
    const model = new HistoryModel(createPrng(1), () => now);
    model.add(row(1, '/a/job', T - 60_000, T - 50_000, false));
    const tracker = new HistoryTracker(model, {}, () => now);
    await tracker.poll();
    model.add(row(2, '/a/job', T + 1_000, T + 4_000, true));
    model.add(row(3, '/a/job', T + 2_000, T + 902_000, false));
    now = T + 1_000_000;
    await tracker.poll();
    const exposition = new Exposition(new SelfMetrics(), { processMetrics: false });
    const base = { joc: 'primary', jobscheduler_id: 'scheduler' };
    await exposition.publish('primary', [...taskSamples(tracker.book, base), ...orderSamples(tracker.book, base)]);
    text = exposition.text;
    openMetrics = (await exposition.page({ openMetrics: true, gzip: false })).body;
  });

  it('renders the counters with their cumulative values and types', () => {
    expect(text).toContain('# TYPE jobscheduler_tasks_completed_total counter');
    expect(text).toContain('jobscheduler_tasks_completed_total{joc="primary",jobscheduler_id="scheduler",job_path="/a/job",result="successful"} 1');
    expect(text).toContain('jobscheduler_tasks_completed_total{joc="primary",jobscheduler_id="scheduler",job_path="/a/job",result="failed"} 1');
    expect(text).toContain('jobscheduler_job_last_exit_code{joc="primary",jobscheduler_id="scheduler",job_path="/a/job"} 0');
    expect(text).toContain('jobscheduler_job_last_duration_seconds{joc="primary",jobscheduler_id="scheduler",job_path="/a/job"} 900');
    expect(text).toContain(`jobscheduler_job_last_failure_timestamp_seconds{joc="primary",jobscheduler_id="scheduler",job_path="/a/job"} ${(T + 4_000) / 1000}`);
  });

  it('renders the duration histogram cumulatively', () => {
    expect(text).toContain('# TYPE jobscheduler_task_duration_seconds histogram');
    expect(text).toContain('jobscheduler_task_duration_seconds_bucket{joc="primary",jobscheduler_id="scheduler",le="5"} 1');
    expect(text).toContain('jobscheduler_task_duration_seconds_bucket{joc="primary",jobscheduler_id="scheduler",le="600"} 1');
    expect(text).toContain('jobscheduler_task_duration_seconds_bucket{joc="primary",jobscheduler_id="scheduler",le="1800"} 2');
    expect(text).toContain('jobscheduler_task_duration_seconds_bucket{joc="primary",jobscheduler_id="scheduler",le="+Inf"} 2');
    expect(text).toContain('jobscheduler_task_duration_seconds_sum{joc="primary",jobscheduler_id="scheduler"} 903');
    expect(text).toContain('jobscheduler_task_duration_seconds_count{joc="primary",jobscheduler_id="scheduler"} 2');
  });

  it('renders OpenMetrics counters as families without _total', () => {
    expect(openMetrics).toContain('# TYPE jobscheduler_tasks_completed counter');
    expect(openMetrics).toContain('jobscheduler_tasks_completed_total{');
  });

  it('passes promtool check metrics', () => {
    const tool = promtool();
    if (!tool) {
      if (process.env.CI === 'true') throw new Error('promtool is missing');
      console.log('skipped: promtool is not installed');
      return;
    }
    const out = execFileSync(tool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(out).toBe('');
  });
});
