import { CONTRACT_METRICS } from '../support/contract-metrics';
import { generateInventory } from '../../src/simulator';
import { parseExposition } from '../support/exposition';
import { startMixedStack, type MixedStack } from '../support/stack';

// Every metric of CONTRACT §4 and §7.2 is on the /metrics of an exporter polling a 1.x and a JS7
// JOC side by side, with exactly its name, type and labels.
// The one metric beyond the contract is jobscheduler_exporter_invalid_answers_total (README, Metrics).

const BEYOND_CONTRACT = [{ name: 'jobscheduler_exporter_invalid_answers_total', type: 'counter', labels: ['joc', 'endpoint'] }];

describe('the /metrics families are those of CONTRACT §4 and §7.2', () => {
  let stack: MixedStack;
  beforeAll(async () => {
    const s = generateInventory({ seed: 1 }).schedulers[0]!;
    stack = await startMixedStack({
      v1: { seed: 1 },
      v1Yaml: `    jobschedulers:
      - id: ${s.jobschedulerId}
        jobChains: [${s.jobChains[0]!.path}]
        jobs: [${s.jobs[0]!.path}]
`,
      js7Yaml: `    controllers:
      - id: controller-ha
        workflows: [/accounting/daily_import]
      - id: controller
`,
    });
    // Ended tasks and orders (one failed) for the §8 history series, seen by the priming poll.
    const now = Date.now();
    Object.assign(stack.sim.v1.inventory.schedulers[0]!, {
      taskHistory: [
        { id: 1, job: s.jobs[0]!.path, start: now - 60_000, end: now - 50_000, failed: false, exitCode: 0 },
        { id: 2, job: s.jobs[0]!.path, start: now - 40_000, end: now - 30_000, failed: true, exitCode: 3 },
      ],
      orderHistory: [{ id: 3, jobChain: s.jobChains[0]!.path, orderId: 'o', node: 'end', start: now - 60_000, end: now - 50_000, resultError: false }],
    });
    await stack.poll();
    stack.sim.v1.failNext('jobs', { status: 200, body: 'not json' }); // so invalid_answers_total has a series
    await stack.poll();
    await stack.poll();
  });
  afterAll(() => stack.close());

  test('names, types and label sets', () => {
    const text = stack.exporter.exposition.text;
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const samples = parseExposition(text);
    const found = [...types].map(([name, type]) => {
      const series = samples.filter((s) => s.name === name || (type === 'histogram' && /_(bucket|sum|count)$/.test(s.name) && s.name.startsWith(name)));
      const labels = new Set(series.flatMap((s) => Object.keys(s.labels)).filter((l) => l !== 'le'));
      return { name, type, labels: [...labels].sort() };
    });
    // A 1.x and a JS7 JOC side by side: each family with the labels of both (CONTRACT §4, §7.2, §8).
    const expected = [...CONTRACT_METRICS, ...BEYOND_CONTRACT].map((m) => ({ name: m.name, type: m.type, labels: [...m.labels].sort() }));
    expect(found.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
  });

  test('the series of the 1.x JOC carry the 1.x labels only, and JS7-only families have none of them', () => {
    const samples = parseExposition(stack.exporter.exposition.text);
    const withV1Labels = CONTRACT_METRICS.filter((m) => m.v1Labels !== undefined);
    expect(withV1Labels.length).toBeGreaterThan(0);
    for (const metric of withV1Labels) {
      const series = samples.filter((s) => (s.name === metric.name || s.name.startsWith(`${metric.name}_`)) && s.labels['joc'] === 'classic');
      const labelSets = new Set(series.map((s) => Object.keys(s.labels).filter((l) => l !== 'le').sort().join(',')));
      const expected = metric.v1Labels ? [[...metric.v1Labels].sort().join(',')] : [];
      expect({ metric: metric.name, labelSets: [...labelSets] }).toEqual({ metric: metric.name, labelSets: expected });
    }
  });
});
