import { js7Report, runJs7Bench, type Js7Result } from '../../bench/js7';

describe('bench: the JS7 row', () => {
  test('counts one poll per Controller ID against the JS7 simulator and judges the goal', async () => {
    const result = await runJs7Bench({ workflows: 40, orders: 800, polls: 1 });
    expect(result.configuredWorkflows).toBe(40);
    expect(result.ordersPerController).toBeGreaterThanOrEqual(800);
    expect(Object.keys(result.requests).sort()).toEqual(['(joc)', 'controller', 'controller-ha']);
    expect(result.requests['(joc)']).toEqual({ jocs: 1 });
    expect(result.maxPerController).toBe(6);
    expect(js7Report(result)).toMatch(/goal: at most 6 requests per Controller ID and poll .*: 6, met\n$/);
  });

  test('a poll of more requests is reported as not met', () => {
    const result: Js7Result = {
      plan: { workflows: 1, orders: 1, polls: 1 },
      configuredWorkflows: 1,
      ordersPerController: 1,
      requests: { c: { orders: 7 } },
      maxPerController: 7,
      series: 1,
      pollWallMs: { count: 1, min: 1, mean: 1, p50: 1, p95: 1, p99: 1, max: 1 },
    };
    expect(js7Report(result)).toContain('c                 7 requests: orders x7');
    expect(js7Report(result)).toContain(': 7, NOT met');
  });
});
