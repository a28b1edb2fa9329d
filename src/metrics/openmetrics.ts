/**
 * Turns prom-client's Prometheus text format 0.0.4 into OpenMetrics 1.0 text, without the final
 * `# EOF` (the caller appends it once, after all parts).
 *
 * prom-client can render OpenMetrics itself, but only by renaming the counter objects it renders
 * (it strips `_total` from `metric.name` in place), which corrupts the 0.0.4 output of any
 * registry sharing those objects; converting the kept text avoids that and costs one pass over it.
 * The differences handled are those of prom-client's output: counter families are named without
 * `_total` while their samples keep it, HELP escapes double quotes, and there are no blank lines.
 */
export function toOpenMetrics(text: string): string {
  const lines = text.split('\n').filter((line) => line !== '');
  const counters = new Set(
    lines.filter((l) => l.startsWith('# TYPE ') && l.endsWith(' counter')).map((l) => l.slice(7, l.lastIndexOf(' '))),
  );
  const out = lines.map((line) => {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, tail] = meta as unknown as [string, string, string, string];
      const family = counters.has(name) ? withoutTotal(name) : name;
      return kind === 'HELP' ? `# HELP ${family} ${tail.replace(/"/g, '\\"')}` : `# TYPE ${family} ${tail}`;
    }
    // A counter sample must end in _total in OpenMetrics; prom-client's counters already do.
    const name = /^[^{ ]+/.exec(line)?.[0] ?? '';
    return counters.has(name) && !name.endsWith('_total') ? `${name}_total${line.slice(name.length)}` : line;
  });
  return out.length ? `${out.join('\n')}\n` : '';
}

function withoutTotal(name: string): string {
  return name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
}
