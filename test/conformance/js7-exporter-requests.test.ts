/**
 * What the exporter sends to a JS7 JOC Cockpit, against JOC's own JS7 request schemas (read from
 * ../shared, see test/support/js7-schemas.ts), checked strictly (inherited fields type-checked,
 * unknown fields refused, stricter than JOC itself): the requests of whole polls on every
 * simulated JOC version, and one call of every JocApiJs7 method (the §8 ones included). Skipped,
 * with a note, when that folder is not there (a failure under CI=true).
 */
import { JocCaller } from '../../src/joc/caller';
import { JocTransport } from '../../src/joc/http';
import { JocApiJs7 } from '../../src/joc/js7/api';
import { JocSession, SESSION_PATHS_JS7 } from '../../src/joc/session';
import { SelfMetrics } from '../../src/metrics/self';
import { Secret } from '../../src/secret';
import type { Js7Simulator } from '../../src/simulator/js7';
import { captureLogger } from '../support/logs';
import { describeWithJs7Schemas, js7RequestSchemaFor, validateJs7Request } from '../support/js7-schemas';
import { SIM_PASSWORD, startJs7Stack, stacksPerTest } from '../support/stack';
import { startFast } from '../simulator/js7/http';

const describeJs7 = describeWithJs7Schemas('test/conformance/js7-exporter-requests.test.ts');

/** Every request `sim` logged, strictly against its request schema; returns the endpoints checked. */
function checkRequests(sim: Js7Simulator): Set<string> {
  const checked = new Set<string>();
  for (const entry of sim.stats.requests) {
    if (js7RequestSchemaFor(entry.endpoint) === null) continue;
    const result = validateJs7Request(entry.endpoint, entry.body ?? {}, { strict: true });
    expect({ endpoint: entry.endpoint, body: entry.body, errors: result.errors }).toEqual({ endpoint: entry.endpoint, body: entry.body, errors: [] });
    checked.add(entry.endpoint);
  }
  return checked;
}

describeJs7("the exporter's JS7 requests are valid under JOC's request schemas", () => {
  const stack = stacksPerTest(startJs7Stack);

  test.each(['2.5', '2.7', '2.8'])('every request of two polls of JOC %s, configured and discovered Controllers', async (version) => {
    const checked = new Set<string>();
    for (const jocYaml of [
      '',
      '    controllers:\n      - id: controller-ha\n        orderStates: [PENDING, SCHEDULED, INPROGRESS, RUNNING, PROMPTING, SUSPENDED, WAITING, BLOCKED, FAILED]\n' +
        '        workflows: [/accounting/daily_import, /no/such]\n',
    ]) {
      const s = await stack({ sim: { version, maxLoggedRequests: 10_000 }, jocYaml });
      await s.poll();
      await s.poll();
      expect(s.sim.stats.requests.every((r) => r.status === 200 || r.status === 404)).toBe(true);
      for (const endpoint of checkRequests(s.sim)) checked.add(endpoint);
    }
    const expected = ['controller/components', 'orders/overview/snapshot', 'orders', 'workflows'];
    if (version === '2.8') expected.push('workflows/overview/snapshot', 'jocs');
    if (version !== '2.8') expected.push('joc/versions');
    expect([...checked].sort()).toEqual(expect.arrayContaining(expected.sort()));
  });

  test('one call of every JocApiJs7 method, the outcome ones included: valid requests, answers of the checked shape', async () => {
    const sim = await startFast({ users: { exporter: SIM_PASSWORD }, maxLoggedRequests: 10_000 });
    const metrics = new SelfMetrics();
    const logs = captureLogger('debug');
    const transport = new JocTransport({ name: 'sim', url: sim.url, timeoutMs: 5000, ca: null, insecureSkipVerify: false, metrics, maxResponseBytes: 64 * 1024 * 1024 });
    const session = new JocSession({ name: 'sim', transport, user: 'exporter', password: new Secret(SIM_PASSWORD), logger: logs.logger, metrics, paths: SESSION_PATHS_JS7 });
    const api = new JocApiJs7(new JocCaller(session, metrics, 'sim', logs.logger));
    try {
      const day = new Date().toISOString().slice(0, 10);
      const since = new Date(Date.now() - 6 * 3600_000).toISOString();
      const answers = {
        ids: await api.controllerIds(),
        version: await api.jocVersion(),
        versions: await api.jocVersions(),
        controllers: await api.controllers(),
        components: await api.components('controller-ha'),
        jocs: await api.jocs(),
        snapshot: await api.ordersSnapshot('controller-ha'),
        orders: await api.orders('controller-ha', ['FAILED', 'SUSPENDED']),
        workflows: await api.workflows('controller-ha'),
        someWorkflows: await api.workflows('controller-ha', ['/accounting/daily_import']),
        workflowsSnapshot: await api.workflowsSnapshot('controller-ha'),
        agents: await api.agents('controller-ha'),
        flatAgents: await api.agents('controller-ha', { compact: true, onlyVisibleAgents: true, flat: true }),
        tasks: await api.tasksHistory({ controllerId: 'controller-ha', completedDateFrom: since, limit: 1000, timeZone: 'Etc/UTC' }),
        taskIds: await api.tasksHistory({ controllerId: 'controller-ha', taskIds: [1, 2] }),
        orderHistory: await api.ordersHistory({ controllerId: 'controller-ha', completedDateFrom: since, limit: 1000, historyStates: ['SUCCESSFUL', 'FAILED'] }),
        dailyPlan: await api.dailyPlanSummary('controller-ha', day),
      };
      expect(answers.ids.controllerIds.sort()).toEqual(['controller', 'controller-ha']);
      expect(answers.version.version).toBe('2.8.4');
      expect(answers.components.controllers.map((c) => c.role).sort()).toEqual(['BACKUP', 'PRIMARY']);
      expect(answers.tasks.history.length).toBeGreaterThan(0);
      expect(typeof answers.tasks.history[0]!.taskId).toBe('number');
      expect(answers.orderHistory.history.length).toBeGreaterThan(0);
      expect(typeof answers.orderHistory.history[0]!.historyId).toBe('number');
      expect(answers.agents.agents.length).toBeGreaterThan(0);
      expect(Object.keys(answers.dailyPlan).length).toBeGreaterThan(0);
      const checked = checkRequests(sim);
      expect([...checked].sort()).toEqual(
        [
          'agents', 'controller/components', 'controllers', 'daily_plan/orders/summary', 'joc/versions', 'jocs', 'orders',
          'orders/history', 'orders/overview/snapshot', 'tasks/history', 'workflows', 'workflows/overview/snapshot',
        ].sort(),
      );
      expect((await metrics.invalidAnswers.get()).values).toEqual([]);
    } finally {
      await session.close();
      await transport.destroy();
      await sim.close();
    }
  });
});
