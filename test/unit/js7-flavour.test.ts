import { parseConfig } from '../../src/config';
import { JS7_FLAVOUR } from '../../src/flavours';
import { js7Version } from '../../src/flavours/js7';
import { JocCaller } from '../../src/joc/caller';
import { JocPermissionError, JocStatusError } from '../../src/joc/errors';
import { JocApiJs7 } from '../../src/joc/js7/api';
import { SESSION_PATHS_JS7, type JocSession } from '../../src/joc/session';
import { SelfMetrics } from '../../src/metrics/self';
import { JocPoller } from '../../src/poller';
import { captureLogger } from '../support/logs';

const DELIVERY = { deliveryDate: '2026-03-02T10:00:00.000+00:00', surveyDate: '2026-03-02T10:00:00.000+00:00' };
const state = (_text: string) => ({ severity: 0, _text });

/** Answers by endpoint; a function may throw (as the session does for a non-200 answer). */
type Answers = Record<string, (body: Record<string, unknown>) => unknown>;

function fakeSession(answers: Answers) {
  const calls: Array<[string, Record<string, unknown>]> = [];
  const session = {
    ensure: async () => undefined,
    request: async (endpoint: string, body: Record<string, unknown>) => {
      calls.push([endpoint, body]);
      const answer = answers[endpoint];
      if (!answer) throw new JocStatusError(endpoint, 404, {});
      return answer(body);
    },
  } as unknown as JocSession;
  return { session, calls };
}

function apiOn(answers: Answers) {
  const { session, calls } = fakeSession(answers);
  const logs = captureLogger('debug');
  const metrics = new SelfMetrics();
  return { api: new JocApiJs7(new JocCaller(session, metrics, 'js7', logs.logger)), calls, logs, session, metrics };
}

/** One operational JOC Cockpit instance `m1` of `version`, as `jocs` and `controller/components` list it. */
function cockpit(version: string) {
  return { id: 1, instanceId: 'x#1', memberId: 'm1', version, current: true, connectionState: state('established'), componentState: state('operational'), controllerConnectionStates: [] };
}

describe('the JS7 session paths (CONTRACT §7.1)', () => {
  test('authentication/login and logout, touch, and a login allowed 35 s', () => {
    expect(SESSION_PATHS_JS7).toEqual({ login: 'authentication/login', logout: 'authentication/logout', touch: 'touch', minLoginTimeoutMs: 35_000 });
    expect(JS7_FLAVOUR.session).toBe(SESSION_PATHS_JS7);
  });
});

describe('js7Version: joc/version, else joc/versions, else the Controllers, never throwing', () => {
  const versions = { jocVersion: '2.6.4', controllerVersions: [] };
  const controllers = { controllers: [{ id: 1, controllerId: 'c', title: 't', url: 'http://c', role: 'STANDALONE', isCoupled: false, version: '2.5.3' }] };
  test.each([
    ['joc/version (2.7.2+)', { 'joc/version': () => ({ version: '2.8.4' }), 'joc/versions': () => versions }, '2.8.4'],
    ['joc/versions when joc/version is missing (404)', { 'joc/versions': () => versions, controllers: () => controllers }, '2.6.4'],
    ['the Controllers when both are missing or denied', {
      'joc/versions': () => {
        throw new JocStatusError('joc/versions', 403, {});
      },
      controllers: () => controllers,
    }, '2.5.3'],
    ['unknown when nothing answers', {}, 'unknown'],
    ['the next source when one answers an unusable body', { 'joc/version': () => ({ version: 42 }), 'joc/versions': () => versions }, '2.6.4'],
  ] as Array<[string, Answers, string]>)('%s', async (_what, answers, expected) => {
    await expect(js7Version(apiOn(answers).api)).resolves.toBe(expected);
  });
});

describe('JocApiJs7: endpoints an older JOC lacks', () => {
  const workflows = {
    ...DELIVERY,
    workflows: [
      { path: '/a', versionId: '1', isCurrentVersion: true, state: state('IN_SYNC') },
      { path: '/b', versionId: '1', isCurrentVersion: true, state: state('SUSPENDED') },
    ],
  };
  const count = () => ({ synchronized: 7, notSynchronized: 0, suspended: 0, outstanding: 0 });

  test('workflowsSummary: the snapshot where JOC has it', async () => {
    const { api, calls } = apiOn({ 'workflows/overview/snapshot': () => ({ ...DELIVERY, workflows: { synchronized: 3 } }), workflows: () => workflows });
    await expect(api.workflowsSummary('c', count)).resolves.toEqual({ synchronized: 3 });
    expect(calls.map(([e]) => e)).toEqual(['workflows/overview/snapshot']);
    expect(api.lacks('workflows/overview/snapshot')).toBe(false);
  });

  test('workflowsSummary: on 404 the fallback, logged once at info, and the next call asks no more', async () => {
    const { api, calls, logs } = apiOn({ workflows: () => workflows });
    const seen: unknown[] = [];
    const derive = (answer: unknown) => (seen.push(answer), count());
    await expect(api.workflowsSummary('c', derive)).resolves.toEqual(count());
    await expect(api.workflowsSummary('c', derive)).resolves.toEqual(count());
    expect(calls.map(([e, b]) => [e, b])).toEqual([
      ['workflows/overview/snapshot', { controllerId: 'c' }],
      ['workflows', { controllerId: 'c', compact: true }],
      ['workflows', { controllerId: 'c', compact: true }],
    ]);
    expect(seen).toHaveLength(2);
    const notes = logs.records().filter((r) => r['endpoint'] === 'workflows/overview/snapshot');
    expect(notes.map((r) => r['level'])).toEqual(['info']);
    expect(api.lacks('workflows/overview/snapshot')).toBe(true);
  });

  test('any other failure is not a missing endpoint: it is thrown, no fallback', async () => {
    const { api, calls } = apiOn({
      'workflows/overview/snapshot': () => {
        throw new JocStatusError('workflows/overview/snapshot', 420, { jocCode: 'JOC-402' });
      },
      workflows: () => workflows,
    });
    await expect(api.workflowsSummary('c', count)).rejects.toThrow(/HTTP 420/);
    expect(calls.map(([e]) => e)).toEqual(['workflows/overview/snapshot']);
    expect(api.lacks('workflows/overview/snapshot')).toBe(false);
  });

  test('jocMembers: jocs checks no permission, so a 403 on it is a failure like any other, not a reason to read controller/components', async () => {
    const { api, calls, logs } = apiOn({
      jocs: () => {
        throw new JocPermissionError('jocs', { jocMessage: 'Access denied' });
      },
      'controller/components': () => ({ ...DELIVERY, jocs: [cockpit('2.8.4')], database: {}, controllers: [] }),
    });
    await expect(api.jocMembers('c')).rejects.toBeInstanceOf(JocPermissionError);
    await expect(api.jocMembers('c')).rejects.toBeInstanceOf(JocPermissionError);
    expect(calls.map(([e]) => e)).toEqual(['jocs', 'jocs']);
    expect(api.lacks('jocs')).toBe(false);
    expect(logs.records().filter((r) => r['endpoint'] === 'jocs')).toEqual([]);
  });

  test('controller/components: asked once per Controller ID and poll, its answer or failure shared within the poll, asked again in the next', async () => {
    const member = cockpit('2.5.3');
    let fail = false;
    const { api, calls } = apiOn({
      'controller/components': () => {
        if (fail) throw new JocPermissionError('controller/components', {});
        return { ...DELIVERY, jocs: [member], database: {}, controllers: [] };
      },
    });
    const asked = (): unknown[] => calls.filter(([e]) => e === 'controller/components').map(([, b]) => b);
    api.beginPoll();
    const first = await api.components('c');
    // The JOC members of a JOC before 2.5.4 read the same answer.
    await expect(api.jocMembers('c')).resolves.toBe(first.jocs);
    await expect(api.components('c')).resolves.toBe(first);
    await api.components('d');
    expect(asked()).toEqual([{ controllerId: 'c' }, { controllerId: 'd' }]);
    api.beginPoll();
    fail = true;
    await expect(api.components('c')).rejects.toThrow(/HTTP 403/);
    await expect(api.jocMembers('c')).rejects.toThrow(/HTTP 403/);
    expect(asked()).toHaveLength(3);
    api.beginPoll();
    fail = false;
    await expect(api.components('c')).resolves.not.toBe(first);
    expect(asked()).toHaveLength(4);
  });

  test('a 403 elsewhere is no reason for a fallback', async () => {
    const { api } = apiOn({
      'workflows/overview/snapshot': () => {
        throw new JocPermissionError('workflows/overview/snapshot', {});
      },
    });
    await expect(api.workflowsSummary('c', () => ({}))).rejects.toThrow(/HTTP 403/);
  });

  test('jocMembers: jocs, else (before 2.5.4) the jocs of controller/components', async () => {
    const member = cockpit('2.5.3');
    const components = { ...DELIVERY, jocs: [member], database: {}, controllers: [], clusterState: { severity: 4, _text: 'ClusterUnknown' } };
    const { api, calls } = apiOn({ 'controller/components': () => components });
    await expect(api.jocMembers('c')).resolves.toMatchObject([{ memberId: 'm1' }]);
    expect(calls.map(([e, b]) => [e, b])).toEqual([
      ['jocs', {}],
      ['controller/components', { controllerId: 'c' }],
    ]);
  });
});

describe('a poll of a JS7 JOC with three Controller IDs', () => {
  test('every collector once per Controller ID, jocs once per poll, jobscheduler_up from the snapshot', async () => {
    const config = await parseConfig(
      // The §8 groups (history, Agents, daily plan) have tests of their own: off here.
      'joc:\n  - name: js7\n    url: http://joc.invalid\n    apiVersion: js7\n    user: u\n    password: p\n' +
        '    history: { enabled: false }\n    agents: { enabled: false }\n    dailyPlan: { enabled: false }\n' +
        '    controllers:\n      - id: a\n        workflows: [/w]\n      - id: b\n      - id: c\n',
      'inline.yaml',
      {},
    );
    const member = (memberId: string, node: string) => ({
      id: 1, instanceId: `x#${memberId}`, memberId, version: '2.8.4', current: false, url: `http://${memberId}`,
      connectionState: state('established'), componentState: state('operational'), clusterNodeState: state(node), controllerConnectionStates: [],
    });
    const { session, calls } = fakeSession({
      'orders/overview/snapshot': (b) => {
        if (b['controllerId'] === 'c') throw new JocStatusError('orders/overview/snapshot', 420, { jocCode: 'JOC-402' });
        return { ...DELIVERY, orders: { failed: 1 } };
      },
      orders: () => ({ ...DELIVERY, orders: [{ orderId: 'o', workflowId: { path: '/w', versionId: 'v' }, state: state('FAILED') }] }),
      workflows: () => ({ ...DELIVERY, workflows: [{ path: '/w', versionId: 'v', isCurrentVersion: true, state: state('IN_SYNC') }] }),
      'workflows/overview/snapshot': () => ({ ...DELIVERY, workflows: { synchronized: 1 } }),
      'controller/components': (b) => ({
        ...DELIVERY, jocs: [], database: {},
        controllers: [{ id: 1, controllerId: b['controllerId'], title: 't', url: `http://${String(b['controllerId'])}`, role: 'STANDALONE', isCoupled: false, componentState: state('operational'), connectionState: state('established') }],
      }),
      jocs: () => ({ ...DELIVERY, jocs: [member('m1', 'active'), member('m2', 'inactive')] }),
      'joc/version': () => ({ version: '2.8.4' }),
    });
    const joc = config.joc[0]!;
    if (joc.apiVersion !== 'js7') throw new Error('a js7 JOC expected');
    const metrics = new SelfMetrics();
    const { logger } = captureLogger('silent');
    const plan = JS7_FLAVOUR.plan(joc, new JocCaller(session, metrics, joc.name, logger), logger);
    const result = await new JocPoller({ config: joc, session, plan, metrics, logger }).poll();
    const perEndpoint = (endpoint: string) => calls.filter(([e]) => e === endpoint).length;
    expect(perEndpoint('jocs')).toBe(1);
    expect(perEndpoint('workflows')).toBe(1);
    for (const endpoint of ['orders/overview/snapshot', 'orders', 'workflows/overview/snapshot', 'controller/components']) expect(perEndpoint(endpoint)).toBe(3);
    const of = (family: string) => result.samples.filter((s) => s.family.name === family);
    expect(of('jobscheduler_up').map((s) => [s.labels['jobscheduler_id'], s.value])).toEqual([['a', 1], ['b', 1], ['c', 0]]);
    expect(of('jobscheduler_joc_member_state')).toHaveLength(2 * 3);
    expect(of('jobscheduler_joc_info').map((s) => s.labels)).toEqual([{ joc: 'js7', api: 'js7', version: '2.8.4' }]);
    expect(of('jobscheduler_orders').filter((s) => s.labels['jobscheduler_id'] === 'c')).toEqual([]);
    expect(of('jobscheduler_exporter_configured_objects_missing').map((s) => [s.labels['jobscheduler_id'], s.labels['kind'], s.value])).toEqual([
      ['a', 'workflow', 0],
      ['b', 'workflow', 0],
      ['c', 'workflow', 0],
    ]);
    expect(result.schedulers.find((s) => s.id === 'c')!.errors).toEqual([expect.stringContaining('orders-overview: orders/overview/snapshot: HTTP 420')]);
  });
});
