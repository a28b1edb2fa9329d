import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { toOpenMetrics } from '../../src/metrics/openmetrics';

describe('toOpenMetrics', () => {
  test('converts prom-client text: counter families without _total, samples unchanged, HELP quotes escaped, no blank lines', () => {
    const text = [
      '# HELP jobscheduler_exporter_requests_total Requests; code "error" is a failure.',
      '# TYPE jobscheduler_exporter_requests_total counter',
      'jobscheduler_exporter_requests_total{joc="a",endpoint="orders",code="200"} 3',
      '',
      '# HELP jobscheduler_up Whether it is up.',
      '# TYPE jobscheduler_up gauge',
      'jobscheduler_up{joc="a",jobscheduler_id="x"} 1',
      '',
    ].join('\n');
    expect(toOpenMetrics(text)).toBe(
      [
        '# HELP jobscheduler_exporter_requests Requests; code \\"error\\" is a failure.',
        '# TYPE jobscheduler_exporter_requests counter',
        'jobscheduler_exporter_requests_total{joc="a",endpoint="orders",code="200"} 3',
        '# HELP jobscheduler_up Whether it is up.',
        '# TYPE jobscheduler_up gauge',
        'jobscheduler_up{joc="a",jobscheduler_id="x"} 1',
        '',
      ].join('\n'),
    );
  });

  test('gives the same lines as prom-client renders in OpenMetrics mode (HELP escaping aside)', async () => {
    const build = (): Registry => {
      const r = new Registry();
      new Counter({ name: 'demo_logins_total', help: 'Logins.', labelNames: ['result'], registers: [r] }).inc({ result: 'ok' }, 2);
      new Gauge({ name: 'demo_up', help: 'Up.', registers: [r] }).set(1);
      new Histogram({ name: 'demo_seconds', help: 'Latency.', buckets: [0.1, 1], registers: [r] }).observe(0.5);
      return r;
    };
    const fromText = toOpenMetrics(await build().metrics());
    const om = build();
    om.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
    const native = await om.metrics();
    expect(`${fromText}# EOF\n`).toBe(native);
  });

  test('a counter whose name lacks _total gets it on its samples', () => {
    expect(toOpenMetrics('# HELP x Things.\n# TYPE x counter\nx{a="1"} 2\n')).toBe('# HELP x Things.\n# TYPE x counter\nx_total{a="1"} 2\n');
  });

  test('empty in, empty out', () => {
    expect(toOpenMetrics('')).toBe('');
  });
});
