import type { ApiVersion } from './config/types';
import type { JocPollResult, SchedulerPollResult } from './poller';
import { NAME, VERSION } from './version';

/** What the page shows of a poll: all of it but its samples, which the exporter keeps only as bytes. */
export type PollSummary = Omit<JocPollResult, 'samples'>;

/** One JOC Cockpit instance as the landing page shows it. */
export interface TargetStatus {
  readonly joc: string;
  readonly url: string;
  readonly api: ApiVersion;
  /** null before the first poll has finished. */
  readonly lastPoll: PollSummary | null;
}

/** The HTML of `/`: name, version, a link to /metrics, and each target's last poll (how long before `now`). */
export function landingPage(targets: readonly TargetStatus[], now: number = Date.now()): string {
  const rows = targets.map((target) => targetRow(target, now)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${NAME}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-top: 1em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
.up { color: #1a7f37; } .down { color: #c62828; } .pending { color: #777; }
.when { white-space: nowrap; } .ago { color: #555; }
code { background: #f4f4f4; padding: 0 0.2em; }
</style>
</head>
<body>
<h1>${NAME}</h1>
<p>Prometheus exporter for SOS JobScheduler's JOC Cockpit, version <code>${escapeHtml(VERSION)}</code>.</p>
<ul>
<li><a href="metrics">Metrics</a></li>
<li><a href="-/healthy">Health</a> and <a href="-/ready">readiness</a></li>
</ul>
<h2>Targets</h2>
<table>
<thead><tr><th>JOC Cockpit</th><th>API</th><th>URL</th><th>Last poll</th><th>Result</th><th>JobScheduler IDs (1.x) or Controller IDs (JS7)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

const API_NAME: Readonly<Record<ApiVersion, string>> = { v1: 'JOC Cockpit 1.x', js7: 'JS7' };

function targetRow(target: TargetStatus, now: number): string {
  const poll = target.lastPoll;
  const cells = [escapeHtml(target.joc), API_NAME[target.api], escapeHtml(target.url)];
  if (!poll) {
    cells.push('not yet', '<span class="pending">pending</span>', '');
  } else {
    cells.push(
      `<span class="when">${utcTime(poll.finishedAt)}</span><br><span class="ago">${ago(now - poll.finishedAt)}, took ${poll.durationSeconds.toFixed(3)} s</span>`,
      poll.up ? '<span class="up">up</span>' : `<span class="down">down</span>: ${escapeHtml(poll.error ?? '')}`,
      poll.schedulers.map(schedulerLine).join('<br>'),
    );
  }
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

function schedulerLine(s: SchedulerPollResult): string {
  const state = s.up ? (s.complete ? '<span class="up">up</span>' : '<span class="up">up</span>, partly failed') : '<span class="down">down</span>';
  const errors = groupErrors(s.errors).map((line) => `<br>&nbsp;&nbsp;${escapeHtml(line)}`).join('');
  return `<code>${escapeHtml(s.id)}</code> ${state}${errors}`;
}

/**
 * The failed requests of one JobScheduler (`<collector>: <error>` each), one line per distinct
 * error naming the requests that had it: when JOC fails, all of them fail alike, and the same
 * message four times in a cell hides whether anything else went wrong.
 */
export function groupErrors(errors: readonly string[]): string[] {
  const byMessage = new Map<string, string[]>();
  for (const error of errors) {
    const colon = error.indexOf(': ');
    const [what, message] = colon > 0 ? [error.slice(0, colon), error.slice(colon + 2)] : ['', error];
    const whats = byMessage.get(message) ?? [];
    if (what && !whats.includes(what)) whats.push(what);
    byMessage.set(message, whats);
  }
  return [...byMessage].map(([message, whats]) => (whats.length ? `${whats.join(', ')}: ${message}` : message));
}

/** `2026-12-02 06:39:15 UTC`: the date and the time apart, so a narrow cell breaks between them only. */
function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** How long ago, in the largest whole unit: `4 s ago`, `3 min ago`, `2 h ago`, `5 d ago`. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7_200) return `${Math.floor(s / 60)} min ago`;
  if (s < 172_800) return `${Math.floor(s / 3_600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
