import type { JocPollResult, SchedulerPollResult } from './poller';
import { NAME, VERSION } from './version';

/** One JOC Cockpit instance as the landing page shows it. */
export interface TargetStatus {
  readonly joc: string;
  readonly url: string;
  /** null before the first poll has finished. */
  readonly lastPoll: JocPollResult | null;
}

/** The HTML of `/`: name, version, a link to /metrics, and each target's last poll. */
export function landingPage(targets: readonly TargetStatus[]): string {
  const rows = targets.map(targetRow).join('\n');
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
<thead><tr><th>JOC Cockpit</th><th>URL</th><th>Last poll</th><th>Result</th><th>JobSchedulers</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

function targetRow(target: TargetStatus): string {
  const poll = target.lastPoll;
  const cells = [escapeHtml(target.joc), escapeHtml(target.url)];
  if (!poll) {
    cells.push('not yet', '<span class="pending">pending</span>', '');
  } else {
    cells.push(
      `${new Date(poll.finishedAt).toISOString()} (${poll.durationSeconds.toFixed(3)} s)`,
      poll.up ? '<span class="up">up</span>' : `<span class="down">down</span>: ${escapeHtml(poll.error ?? '')}`,
      poll.schedulers.map(schedulerLine).join('<br>'),
    );
  }
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

function schedulerLine(s: SchedulerPollResult): string {
  const state = s.up ? (s.complete ? '<span class="up">up</span>' : '<span class="up">up</span>, partly failed') : '<span class="down">down</span>';
  const errors = s.errors.length ? `: ${escapeHtml(s.errors.join('; '))}` : '';
  return `<code>${escapeHtml(s.id)}</code> ${state}${errors}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
