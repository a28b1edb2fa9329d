import { ago, groupErrors, landingPage, type TargetStatus } from '../../src/landing-page';

const FINISHED = Date.parse('2026-12-02T06:39:15.123Z');

const down: TargetStatus = {
  joc: 'primary',
  url: 'https://joc.example.com:4446',
  api: 'v1',
  lastPoll: {
    joc: 'primary',
    finishedAt: FINISHED,
    durationSeconds: 0.25,
    up: true,
    error: null,
    schedulers: [
      {
        id: 'scheduler',
        up: false,
        complete: false,
        errors: [
          'orders: no answer from JOC Cockpit (ECONNRESET)',
          'jobs: no answer from JOC Cockpit (ECONNRESET)',
          'job_chains: no answer from JOC Cockpit (ECONNRESET)',
          'cluster_members: HTTP 500 <html>',
        ],
      },
    ],
  },
};

test('one error shared by several requests is shown once, naming them; others on their own line, escaped', () => {
  const html = landingPage([down], FINISHED + 5_000);
  expect(html.match(/no answer from JOC Cockpit/g)).toHaveLength(1);
  expect(html).toContain('orders, jobs, job_chains: no answer from JOC Cockpit (ECONNRESET)');
  expect(html).toContain('cluster_members: HTTP 500 &#60;html&#62;');
});

test('the time of the last poll is kept whole, and says how long ago it was', () => {
  const html = landingPage([down], FINISHED + 5_000);
  expect(html).toContain('<span class="when">2026-12-02 06:39:15 UTC</span>');
  expect(html).toContain('.when { white-space: nowrap; }');
  expect(html).toContain('5 s ago, took 0.250 s');
});

test('ago: the largest whole unit', () => {
  expect([0, 4_999, 119_000, 120_000, 7_199_000, 7_200_000, 172_800_000, -5].map(ago)).toEqual([
    '0 s ago', '4 s ago', '119 s ago', '2 min ago', '119 min ago', '2 h ago', '2 d ago', '0 s ago',
  ]);
});

test('groupErrors keeps the order of first appearance and lines without a request name', () => {
  expect(groupErrors(['a: x', 'b: y', 'c: x', 'plain'])).toEqual(['a, c: x', 'b: y', 'plain']);
  expect(groupErrors([])).toEqual([]);
});
