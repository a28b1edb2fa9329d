import { parseConfig } from '../../src/config';
import { V1_FLAVOUR } from '../../src/flavours';
import { JocCaller } from '../../src/joc/caller';
import type { JocSession } from '../../src/joc/session';
import { SelfMetrics } from '../../src/metrics/self';
import { JocPoller } from '../../src/poller';
import { captureLogger } from '../support/logs';

/**
 * The requests of one poll run concurrently, but never more than the limit at once, however
 * many JobSchedulers and collectors there are (CONTRACT §5: "requests of one poll run
 * concurrently, bounded").
 */
async function pollerWith(concurrency: number | undefined, schedulers: number) {
  const ids = Array.from({ length: schedulers }, (_, i) => `      - { id: s${i}, jobChains: [/c], jobs: [/j] }`).join('\n');
  const config = await parseConfig(
    `joc:\n  - url: http://joc.invalid\n    user: u\n    password: p\n    jobschedulers:\n${ids}\n`,
    'inline.yaml',
    {},
  );
  let inFlight = 0;
  let most = 0;
  let calls = 0;
  // A session that answers every request after 20 ms with an empty object (not a valid answer:
  // the collectors fail, which does not matter for counting what runs at once).
  const session = {
    ensure: async () => undefined,
    request: async () => {
      calls += 1;
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return {};
    },
  } as unknown as JocSession;
  const metrics = new SelfMetrics();
  const { logger } = captureLogger('silent');
  const joc = config.joc[0]!;
  if (joc.apiVersion !== 'v1') throw new Error('a v1 JOC expected');
  const plan = V1_FLAVOUR.plan(joc, new JocCaller(session, metrics, joc.name, logger), logger);
  const poller = new JocPoller({ config: joc, session, plan, metrics, logger, concurrency });
  return { poller, stats: () => ({ most, calls }) };
}

test('by default at most 4 requests of a poll are in flight at once', async () => {
  const { poller, stats } = await pollerWith(undefined, 5);
  await poller.poll();
  // 5 JobSchedulers × 9 requests (6, then the history's first, which fails here, the Agents and the
  // plan); 4 at once shows they run concurrently, and never more.
  expect(stats()).toEqual({ calls: 45, most: 4 });
});

test('the limit holds at 1 and at 8', async () => {
  for (const limit of [1, 8]) {
    const { poller, stats } = await pollerWith(limit, 3);
    await poller.poll();
    expect(stats()).toEqual({ calls: 27, most: limit });
  }
});
