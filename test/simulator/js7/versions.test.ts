import { request } from 'undici';
import { parseVersion, type Js7Simulator } from '../../../src/simulator/js7';
import { call, js7Login, post, startFast } from './http';

describe('version knob (JS7-NOTES §4)', () => {
  const sims: Js7Simulator[] = [];
  afterAll(() => Promise.all(sims.map((s) => s.close())));
  async function start(version: string): Promise<{ sim: Js7Simulator; token: string }> {
    const sim = await startFast({ version });
    sims.push(sim);
    return { sim, token: await js7Login(sim) };
  }
  const status = async (sim: Js7Simulator, token: string, endpoint: string, body: unknown = { controllerId: 'controller' }) => (await post(sim, endpoint, body, token)).status;

  test.each([
    ['2.5', '2.5.3', { jocs: 404, 'joc/version': 404, 'workflows/overview/snapshot': 404, 'joc/versions': 200 }],
    ['2.7', '2.7.1', { jocs: 200, 'joc/version': 404, 'workflows/overview/snapshot': 404, 'joc/versions': 200 }],
    ['2.7.3', '2.7.3', { jocs: 200, 'joc/version': 200, 'workflows/overview/snapshot': 200, 'joc/versions': 200 }],
    ['2.8', '2.8.4', { jocs: 200, 'joc/version': 200, 'workflows/overview/snapshot': 200, 'joc/versions': 200 }],
  ] as const)('%s poses as %s and lacks what that release lacks', async (name, text, expected) => {
    const { sim, token } = await start(name);
    expect(sim.version.text).toBe(text);
    for (const [endpoint, code] of Object.entries(expected)) {
      expect([endpoint, await status(sim, token, endpoint)]).toEqual([endpoint, code]);
      expect(sim.serves(endpoint as never)).toBe(code === 200);
    }
    const missing = await post(sim, 'joc/version', {}, token);
    if (missing.status === 404) expect(missing.headers['content-type']).toMatch(/text\/html/);
    const file = await request(`${sim.url}/joc/version.json`);
    expect(file.statusCode).toBe(200);
    expect(await file.body.json()).toMatchObject({ version: text });
    const versions = await post(sim, 'joc/versions', {}, token);
    expect(versions.json.jocVersion).toBe(text);
    // Every version serves the core of the call plan.
    for (const endpoint of ['controller/ids', 'controller/components', 'orders/overview/snapshot', 'orders', 'workflows', 'agents', 'tasks/history', 'orders/history']) {
      expect([endpoint, await status(sim, token, endpoint)]).toEqual([endpoint, 200]);
    }
  });

  test('answer shapes: Agents get clusterState from 2.7, forceFailoverConfirmation from 2.8; the 440 reason phrase from 2.7', async () => {
    const shapes: Record<string, { clusterState: boolean; force: boolean; controllerForce: boolean; reason: string }> = {};
    for (const version of ['2.5', '2.7', '2.8']) {
      const { sim, token } = await start(version);
      const agents = await post(sim, 'agents', { controllerId: 'controller' }, token);
      const cluster = agents.json.agents.find((a: any) => a.subagents);
      const components = await post(sim, 'controller/components', { controllerId: 'controller-ha' }, token);
      const gone = await request(`${sim.url}/joc/api/controller/ids`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
      await gone.body.text();
      shapes[version] = {
        clusterState: 'clusterState' in cluster, force: 'forceFailoverConfirmation' in cluster,
        controllerForce: 'forceFailoverConfirmation' in components.json.controllers[0], reason: gone.statusText,
      };
    }
    expect(shapes['2.5']).toMatchObject({ clusterState: false, force: false, controllerForce: false });
    expect(shapes['2.5']!.reason).not.toBe('Login Timeout');
    expect(shapes['2.7']).toEqual({ clusterState: true, force: false, controllerForce: false, reason: 'Login Timeout' });
    expect(shapes['2.8']).toEqual({ clusterState: true, force: true, controllerForce: true, reason: 'Login Timeout' });
  });

  test('the login answer has `account` in every simulated version', async () => {
    const { sim } = await start('2.5');
    const res = await call(sim, 'authentication/login', {}, { headers: { Authorization: `Basic ${Buffer.from('root:root').toString('base64')}` } });
    expect(res.json.account).toBe('root');
  });

  test('bad versions are refused', () => {
    expect(() => parseVersion('1.13')).toThrow(/unsupported JOC version/);
    expect(() => parseVersion('2.4.1')).toThrow(/2\.5 to 2\.8/);
    expect(() => parseVersion('2.9.0')).toThrow(/2\.5 to 2\.8/);
    expect(parseVersion('2.6.2').parts).toEqual([2, 6, 2]);
  });
});
