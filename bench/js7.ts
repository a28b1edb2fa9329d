/**
 * The JS7 row of `npm run bench`: requests per poll per Controller ID (CONTRACT §7.1: at most 6
 * for the families of §7.2, whatever the number of workflows and orders) against the JS7
 * simulator, with every workflow configured and every order state watched, so that the `orders`
 * answer holds nearly every order. It runs in this process (the figure is a count; the poll time
 * printed beside it includes the simulator's own work and is for orientation only).
 */
import { parseConfig } from '../src/config';
import { Exporter } from '../src/exporter';
import { JS7_ORDER_STATE_FILTERS } from '../src/joc/js7/enums';
import { createLogger } from '../src/logger';
import { generateJs7Inventory, startJs7Simulator } from '../src/simulator/js7';
import { pollOk } from './poll';
import { PASSWORD, USER } from './stack';
import { msSince, summarise, type Summary } from './stats';

/** The goal of CONTRACT §7.1. */
export const JS7_REQUESTS_GOAL = 6;

export interface Js7Plan {
  /** Workflows of each Controller ID, all configured. */
  readonly workflows: number;
  /** Orders of each Controller ID. */
  readonly orders: number;
  /** Timed polls. */
  readonly polls: number;
}

export const JS7_PLAN: Js7Plan = { workflows: 500, orders: 20_000, polls: 10 };

export interface Js7Result {
  readonly plan: Js7Plan;
  /** Distinct workflow paths configured per Controller ID, and orders JOC holds per Controller ID. */
  readonly configuredWorkflows: number;
  readonly ordersPerController: number;
  /** Requests of one poll per Controller ID and endpoint; `(joc)` for those without a Controller ID. */
  readonly requests: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The most requests any one Controller ID had in one poll, the JOC-wide ones counted with it. */
  readonly maxPerController: number;
  readonly series: number;
  readonly pollWallMs: Summary;
}

/** One poll's requests, per Controller ID (body `controllerId`), after a first poll that logged in. */
export async function runJs7Bench(plan: Js7Plan = JS7_PLAN): Promise<Js7Result> {
  const inventory = generateJs7Inventory({ seed: 1, workflowsPerController: plan.workflows, ordersPerController: plan.orders });
  const sim = await startJs7Simulator({ inventory, users: { [USER]: PASSWORD }, maxLoggedRequests: 10_000 });
  try {
    const controllers = inventory.controllers.map((c) => ({
      id: c.controllerId,
      orderStates: [...JS7_ORDER_STATE_FILTERS],
      workflows: [...new Set(c.workflows.map((w) => w.path))],
    }));
    const file = JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      poll: { schedule: '0 0 1 1 *', timeoutSeconds: 60 },
      // The requests of CONTRACT §8 are counted apart (the history rows measure them): off here.
      joc: [
        {
          name: 'bench-js7',
          url: sim.url,
          apiVersion: 'js7',
          user: USER,
          password: PASSWORD,
          controllers,
          history: { enabled: false },
          agents: { enabled: false },
          dailyPlan: { enabled: false },
        },
      ],
    });
    const config = await parseConfig(file, 'bench JS7 config (in memory)', {}, process.cwd());
    const exporter = new Exporter(config, { logger: createLogger('silent'), processMetrics: false });
    try {
      await pollOk(exporter);
      sim.resetStats();
      await pollOk(exporter);
      const requests: Record<string, Record<string, number>> = {};
      for (const entry of sim.stats.requests) {
        const id = (entry.body as { controllerId?: string } | undefined)?.controllerId ?? '(joc)';
        const counts = (requests[id] ??= {});
        counts[entry.endpoint] = (counts[entry.endpoint] ?? 0) + 1;
      }
      const total = (counts: Readonly<Record<string, number>> | undefined) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
      const jocWide = total(requests['(joc)']);
      const maxPerController = Math.max(...controllers.map((c) => total(requests[c.id]))) + jocWide;
      const wall: number[] = [];
      for (let i = 0; i < plan.polls; i++) {
        const start = process.hrtime.bigint();
        await pollOk(exporter);
        wall.push(msSince(start));
      }
      const series = exporter.exposition.text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
      return {
        plan,
        configuredWorkflows: Math.max(...controllers.map((c) => c.workflows.length)),
        ordersPerController: Math.max(...inventory.controllers.map((c) => c.orders.length)),
        requests,
        maxPerController,
        series,
        pollWallMs: summarise(wall),
      };
    } finally {
      await exporter.close();
    }
  } finally {
    await sim.close();
  }
}

/** The printed JS7 section: figures, then the goal met or not. */
export function js7Report(result: Js7Result): string {
  const lines = [
    `JS7 (CONTRACT §7.1): ${result.configuredWorkflows} workflows configured and ${result.ordersPerController.toLocaleString('en-US')} orders per Controller ID, every order state watched`,
  ];
  for (const [id, counts] of Object.entries(result.requests)) {
    const n = Object.values(counts).reduce((a, b) => a + b, 0);
    lines.push(`  ${id.padEnd(16)} ${String(n).padStart(2)} requests: ${Object.entries(counts).map(([e, c]) => (c === 1 ? e : `${e} x${c}`)).join(', ')}`);
  }
  lines.push(
    `  series: ${result.series.toLocaleString('en-US')}; poll wall time p50 ${result.pollWallMs.p50.toFixed(0)} ms, max ${result.pollWallMs.max.toFixed(0)} ms (simulator in this process)`,
  );
  const met = result.maxPerController <= JS7_REQUESTS_GOAL;
  lines.push(
    `  goal: at most ${JS7_REQUESTS_GOAL} requests per Controller ID and poll (JOC-wide ones counted with each): ${result.maxPerController}, ${met ? 'met' : 'NOT met'}`,
  );
  return `${lines.join('\n')}\n`;
}
