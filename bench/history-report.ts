/** The history rows of the bench: what they run, and how they are printed and judged. */
import type { HistoryPlan, HistoryResult } from './history-row';

/** The JobScheduler id of the history rows. */
export const HISTORY_ID = 'history';

export const HISTORY_PLANS: readonly HistoryPlan[] = [
  { jobs: 500, entries: 5_000, polls: 20 },
  { jobs: 5_000, entries: 50_000, polls: 20 },
];

/** Requests of §8 per JobScheduler and poll at most (CONTRACT §8: 6 with the Agents and the plan). */
const MAX_HISTORY_REQUESTS = 4;

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export function historyReport(rows: readonly HistoryResult[]): string {
  const lines = ['History (tasks/history and orders/history; the 6 h window, 5,000 rows a page)'];
  lines.push('  jobs    tasks  new/poll  priming: requests   wall    CPU | per poll: requests  wall    CPU | series    RSS   heap');
  for (const r of rows) {
    const req = r.requestsPerPoll.min === r.requestsPerPoll.max ? `${r.requestsPerPoll.max}` : `${r.requestsPerPoll.min}-${r.requestsPerPoll.max}`;
    lines.push(
      `  ${String(r.jobs).padStart(5)} ${String(r.entries).padStart(8)} ${String(r.newPerPoll).padStart(9)}` +
        ` ${String(r.priming.requests).padStart(18)} ${r.priming.wallMs.toFixed(0).padStart(6)} ms ${r.priming.cpuMs.toFixed(0).padStart(5)} ms |` +
        ` ${req.padStart(18)} ${r.wallMsPerPoll.toFixed(1).padStart(6)} ms ${r.cpuMsPerPoll.toFixed(1).padStart(5)} ms |` +
        ` ${String(r.series).padStart(6)} ${mib(r.rssBytes).padStart(7)} ${mib(r.heapUsedBytes).padStart(6)}`,
    );
  }
  const most = Math.max(...rows.map((r) => r.requestsPerPoll.max));
  const constant = new Set(rows.map((r) => r.requestsPerPoll.max)).size === 1;
  lines.push('');
  lines.push(`  ${constant && most <= MAX_HISTORY_REQUESTS ? 'met    ' : 'NOT MET'} history requests per poll the same whatever the number of jobs, at most ${MAX_HISTORY_REQUESTS} (now: ${rows.map((r) => `${r.requestsPerPoll.max} at ${r.jobs} jobs`).join(', ')})`);
  return `${lines.join('\n')}\n`;
}
