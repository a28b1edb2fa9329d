/**
 * End to end up to the notification: the JOC Cockpit simulator, two exporters polling it every
 * second, Debian's `prometheus` scraping both with a copy of prometheus/alerts.yml whose `for:`
 * durations are shortened, and Debian's `prometheus-alertmanager` with a copy of
 * prometheus/alertmanager.yml whose group timings are shortened and whose webhook receivers point
 * at a receiver in this test. What reaches the receiver is what would reach a person.
 *
 * Why two exporters of one JOC Cockpit (both with `name: e2e`, as an HA pair or two network zones
 * would be): the shipped rules already keep JobSchedulerDown quiet while the exporter that reports
 * it cannot reach JOC Cockpit (its expression needs jobscheduler_joc_up == 1, and an exporter
 * without JOC has no jobscheduler_up series). So the inhibition "JobSchedulerJocDown silences the
 * alerts of that JOC" is proved where it matters: exporter B's path to JOC Cockpit is cut (a TCP
 * proxy in between), its JobSchedulerJocDown is delivered, and the JobSchedulerDown that exporter A
 * then raises for the same JOC reaches Alertmanager but not the receiver, until B's path is back.
 *
 * The tests run in order and share one scenario:
 *   (a) suspended orders: JobSchedulerOrdersSuspended reaches the team receiver with joc and jobscheduler_id;
 *   (b) B loses JOC Cockpit: JobSchedulerJocDown reaches the on-call receiver;
 *   (c) a Master becomes unreachable: JobSchedulerDown and JobSchedulerMasterUnreachable fire in
 *       Prometheus, Alertmanager holds them suppressed by B's JobSchedulerJocDown, nothing is delivered;
 *   (d) B reaches JOC again: JobSchedulerJocDown resolves, JobSchedulerDown is delivered, and
 *       JobSchedulerMasterUnreachable stays inhibited, now by JobSchedulerDown.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../src/config';
import { Exporter } from '../../src/exporter';
import { startAlertmanager, type AmAlert, type RunningAlertmanager } from '../support/alertmanager';
import { captureLogger } from '../support/logs';
import { startPrometheus, type PromAlert, type RunningPrometheus } from '../support/prometheus';
import { alertRules, shortenedRules } from '../support/rules';
import { SIM_PASSWORD, startStack, type Stack } from '../support/stack';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { describeWithTools } from '../support/tools';
import { startWebhookReceiver, type WebhookAlert, type WebhookNotification, type WebhookReceiver } from '../support/webhook';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const ALERTS_FILE = join(ROOT, 'prometheus', 'alerts.yml');
const ALERTMANAGER_FILE = join(ROOT, 'prometheus', 'alertmanager.yml');
/** The configured JOC name of both exporters: the `joc` label. */
const JOC = 'e2e';
/** Every `for:` of the test copy of the alert rules. */
const SHORT_FOR = '2s';
/** group_wait and group_interval of the test copy of the Alertmanager config. */
const SHORT_GROUP = '1s';
/**
 * How long nothing may arrive for an alert that Alertmanager holds suppressed: its group would
 * have been flushed after group_wait and then every group_interval, several times over.
 */
const QUIET_MS = 5_000;
const WAIT_MS = 20_000;

// ---- The test copy of alertmanager.yml ------------------------------------------------------------

interface Route {
  receiver?: string;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
  [key: string]: unknown;
}
interface AlertmanagerConfig {
  route: Route;
  receivers: { name: string; webhook_configs?: { url: string; [key: string]: unknown }[]; [key: string]: unknown }[];
  inhibit_rules: unknown[];
  [key: string]: unknown;
}

/** Every route of the tree, the root first. */
function routesOf(route: Route): Route[] {
  return [route, ...(route.routes ?? []).flatMap(routesOf)];
}

/**
 * prometheus/alertmanager.yml with short group timings (where the file sets them) and each webhook
 * URL moved to `receiverUrl` with its path kept, so that the receiver can tell them apart.
 */
function testConfig(text: string, receiverUrl: string | null): AlertmanagerConfig {
  const config = parse(text) as AlertmanagerConfig;
  for (const route of routesOf(config.route)) {
    if (route.group_wait !== undefined) route.group_wait = SHORT_GROUP;
    if (route.group_interval !== undefined) route.group_interval = SHORT_GROUP;
    if (route.repeat_interval !== undefined) route.repeat_interval = '1h';
  }
  for (const receiver of config.receivers) {
    for (const hook of receiver.webhook_configs ?? []) hook.url = receiverUrl === null ? 'X' : `${receiverUrl}${new URL(hook.url).pathname}`;
  }
  return config;
}

/** The receiver of each webhook path of the shipped config. */
function receiverOfPath(config: AlertmanagerConfig): Map<string, string> {
  return new Map(config.receivers.flatMap((r) => (r.webhook_configs ?? []).map((h) => [new URL(h.url).pathname, r.name] as const)));
}

// ---- The suite --------------------------------------------------------------------------------------

describeWithTools('e2e: Alertmanager delivers and inhibits the alerts of the exporter', ['prometheus', 'alertmanager'], (tools) => {
  let stack: Stack | undefined;
  let proxy: TcpProxy | undefined;
  let exporterB: Exporter | undefined;
  let receiver: WebhookReceiver | undefined;
  let am: RunningAlertmanager | undefined;
  let prom: RunningPrometheus | undefined;
  let rulesDir: string | undefined;
  let targetA: string;
  let targetB: string;
  let unreachableId: string;
  const shipped = parse(readFileSync(ALERTMANAGER_FILE, 'utf8')) as AlertmanagerConfig;
  const paths = receiverOfPath(shipped);
  const rules = alertRules(shortenedRules(readFileSync(ALERTS_FILE, 'utf8'), SHORT_FOR));
  const severityOf = (alert: string): string => rules.get(alert)?.labels?.severity ?? '';
  /** The receiver the shipped route tree picks for a severity (the first matching child route, else the root's). */
  const receiverFor = (severity: string): string =>
    (shipped.route.routes ?? []).find((r) => ((r.matchers as string[] | undefined) ?? []).includes(`severity="${severity}"`))?.receiver ?? shipped.route.receiver!;

  /** Every delivered alert, with the notification it came in. */
  const delivered = (): { notification: WebhookNotification; alert: WebhookAlert }[] =>
    receiver!.notifications.flatMap((notification) => notification.alerts.map((alert) => ({ notification, alert })));
  const deliveredFiring = (alertname: string, labels: Record<string, string> = {}) =>
    delivered().filter(
      ({ alert }) => alert.status === 'firing' && alert.labels.alertname === alertname && Object.entries(labels).every(([k, v]) => alert.labels[k] === v),
    );
  const firingInPrometheus = async (alertname: string, labels: Record<string, string>): Promise<PromAlert | undefined> =>
    (await prom!.alerts()).find(
      (a) => a.state === 'firing' && a.labels.alertname === alertname && Object.entries(labels).every(([k, v]) => a.labels[k] === v),
    );
  const inAlertmanager = async (alertname: string, labels: Record<string, string>): Promise<AmAlert[]> =>
    (await am!.alerts()).filter((a) => a.labels.alertname === alertname && Object.entries(labels).every(([k, v]) => a.labels[k] === v));

  beforeAll(async () => {
    // Exporter A polls the simulator directly; in discovery mode (every JobScheduler ID it lists).
    const poll = { listen: { host: '127.0.0.1', port: 0 }, poll: { schedule: '* * * * * *', timeoutSeconds: 2 }, log: { level: 'warn' } };
    const joc = { name: JOC, url: '${SIM_URL}', user: 'exporter', password: '${SIM_PASSWORD}' };
    stack = await startStack({ yaml: stringify({ ...poll, joc: [joc] }), start: true });
    targetA = `127.0.0.1:${stack.exporter.port}`;

    // Exporter B polls the same simulator through a proxy whose path the test cuts.
    proxy = await startTcpProxy(stack.sim.port);
    const dir = await mkdtemp(join(tmpdir(), 'jobscheduler-exporter-am-e2e-'));
    rulesDir = dir;
    const configB = await parseConfig(
      stringify({ ...poll, joc: [{ ...joc, url: `http://127.0.0.1:${proxy.port}` }] }),
      join(dir, 'config.yaml'),
      { SIM_PASSWORD },
      dir,
    );
    exporterB = new Exporter(configB, { logger: captureLogger('warn').logger, processMetrics: false });
    await exporterB.start();
    targetB = `127.0.0.1:${exporterB.port}`;

    receiver = await startWebhookReceiver();
    am = await startAlertmanager({ binary: tools.alertmanager!, config: testConfig(readFileSync(ALERTMANAGER_FILE, 'utf8'), receiver.url) });

    const rulesFile = join(dir, 'alerts.yml');
    await writeFile(rulesFile, stringify(shortenedRules(readFileSync(ALERTS_FILE, 'utf8'), SHORT_FOR)));
    prom = await startPrometheus({ scrapeTargets: [targetA, targetB], ruleFiles: [rulesFile], alertmanagers: [am.address] });
    // Target discovery makes the first scrape take ~6 s.
    await prom.waitFor(async () => (await prom!.queryVector(`jobscheduler_joc_up{joc="${JOC}"} == 1`)).length === 2, 30_000);
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await am?.stop();
    await receiver?.close();
    await exporterB?.close();
    await proxy?.close();
    await stack?.close();
    if (rulesDir) await rm(rulesDir, { recursive: true, force: true });
  });

  test('the test copy of alertmanager.yml differs from the shipped one only in group timings and webhook URLs', () => {
    const text = readFileSync(ALERTMANAGER_FILE, 'utf8');
    expect(testConfig(text, null)).toEqual(testConfig(stringify(parse(readFileSync(am!.configFile, 'utf8'))), null));
    // The timings it shortens are there to shorten, and the receivers have distinct webhook paths.
    expect(routesOf(shipped.route).filter((r) => r.group_wait !== undefined && r.group_interval !== undefined)).not.toEqual([]);
    expect(paths.size).toBe(shipped.receivers.length);
  });

  test('(a) suspended orders reach the team receiver as JobSchedulerOrdersSuspended, one notification group per JobScheduler', async () => {
    const inventory = stack!.sim.inventory;
    const withSuspended = inventory.schedulers.filter((s) => s.orders.some((o) => o.processingState === 'SUSPENDED')).map((s) => s.jobschedulerId);
    expect(withSuspended.length).toBeGreaterThanOrEqual(2);
    const name = 'JobSchedulerOrdersSuspended';
    // A group's first notification may hold the alert of one exporter only, the next one both.
    const instances = (id: string): Set<string> => new Set(deliveredFiring(name, { jobscheduler_id: id }).map(({ alert }) => alert.labels.instance!));
    await prom!.waitFor(() => withSuspended.every((id) => instances(id).size === 2), WAIT_MS);

    for (const id of withSuspended) {
      const count = inventory.schedulers.find((s) => s.jobschedulerId === id)!.orders.filter((o) => o.processingState === 'SUSPENDED').length;
      const got = deliveredFiring(name, { jobscheduler_id: id });
      // From both exporters, with the labels a person needs to find them.
      expect(instances(id)).toEqual(new Set([targetA, targetB]));
      for (const { notification, alert } of got) {
        expect(alert.labels).toMatchObject({ alertname: name, joc: JOC, jobscheduler_id: id, state: 'suspended', severity: severityOf(name) });
        expect(alert.annotations.summary).toBe(rules.get(name)!.annotations!.summary);
        // The description (alerts.yml's wording) names the JobScheduler and the JOC, with the count.
        expect(alert.annotations.description).toContain(id);
        expect(alert.annotations.description).toContain(JOC);
        expect(alert.annotations.description).toMatch(new RegExp(`\\b${count}\\b`));
        expect(notification.receiver).toBe(receiverFor(severityOf(name)));
        expect(paths.get(notification.path)).toBe(notification.receiver);
        expect(notification.groupLabels).toEqual({ joc: JOC, jobscheduler_id: id });
        // One group per JobScheduler: every alert of the notification is of this JobScheduler.
        expect(new Set(notification.alerts.map((a) => a.labels.jobscheduler_id))).toEqual(new Set([id]));
      }
    }
    expect(deliveredFiring('JobSchedulerJocDown')).toEqual([]);
  });

  test("(b) exporter B loses JOC Cockpit: B's JobSchedulerJocDown reaches the on-call receiver, grouped by joc", async () => {
    await proxy!.cut();
    const name = 'JobSchedulerJocDown';
    const [{ notification, alert }] = await prom!.waitFor(() => {
      const got = deliveredFiring(name);
      return got.length > 0 ? got : null;
    }, WAIT_MS);
    expect(alert.labels).toMatchObject({ alertname: name, joc: JOC, instance: targetB, severity: severityOf(name) });
    expect(alert.labels.jobscheduler_id).toBeUndefined();
    expect(notification.receiver).toBe(receiverFor(severityOf(name)));
    expect(notification.receiver).not.toBe(receiverFor(severityOf('JobSchedulerOrdersSuspended')));
    expect(paths.get(notification.path)).toBe(notification.receiver);
    expect(notification.groupLabels).toEqual({ joc: JOC });
    // Exporter A still reaches JOC Cockpit.
    expect(await prom!.queryVector(`jobscheduler_joc_up{instance="${targetA}"} == 1`)).toHaveLength(1);
    expect(deliveredFiring(name, { instance: targetA })).toEqual([]);
  });

  test('(c) a Master becomes unreachable: JobSchedulerDown fires in Prometheus, Alertmanager suppresses it by JobSchedulerJocDown, nothing is delivered', async () => {
    const scheduler = stack!.sim.inventory.schedulers[stack!.sim.inventory.schedulers.length - 1]!;
    unreachableId = scheduler.jobschedulerId;
    const before = receiver!.notifications.length;
    stack!.sim.setMasterReachable(unreachableId, false);

    const labels = { joc: JOC, jobscheduler_id: unreachableId, instance: targetA };
    await prom!.waitFor(() => firingInPrometheus('JobSchedulerDown', labels), WAIT_MS);
    await prom!.waitFor(() => firingInPrometheus('JobSchedulerMasterUnreachable', labels), WAIT_MS);
    const [jocDown] = await inAlertmanager('JobSchedulerJocDown', { joc: JOC, instance: targetB });
    expect(jocDown?.status.state).toBe('active');
    for (const name of ['JobSchedulerDown', 'JobSchedulerMasterUnreachable']) {
      const held = await prom!.waitFor(async () => {
        const got = await inAlertmanager(name, labels);
        return got.length === 1 && got[0]!.status.state === 'suppressed' ? got[0]! : null;
      }, WAIT_MS);
      expect(held.status.inhibitedBy).toContain(jocDown!.fingerprint);
      expect(held.status.silencedBy).toEqual([]);
    }

    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(deliveredFiring('JobSchedulerDown')).toEqual([]);
    expect(deliveredFiring('JobSchedulerMasterUnreachable')).toEqual([]);
    // Alertmanager kept working meanwhile: B's JobSchedulerJocDown is still active and not resolved.
    expect((await inAlertmanager('JobSchedulerJocDown', { instance: targetB }))[0]?.status.state).toBe('active');
    expect(receiver!.notifications.slice(before).flatMap((n) => n.alerts).filter((a) => a.labels.alertname === 'JobSchedulerJocDown' && a.status === 'resolved')).toEqual([]);
  });

  test('(d) exporter B reaches JOC Cockpit again: JobSchedulerJocDown resolves, JobSchedulerDown is delivered, JobSchedulerMasterUnreachable stays inhibited by it', async () => {
    const restoredAt = Date.now();
    await proxy!.restore();
    const resolved = await prom!.waitFor(() => {
      const got = delivered().filter(({ alert }) => alert.status === 'resolved' && alert.labels.alertname === 'JobSchedulerJocDown' && alert.labels.instance === targetB);
      return got.length > 0 ? got[0]! : null;
    }, WAIT_MS);
    expect(resolved.notification.receiver).toBe(receiverFor(severityOf('JobSchedulerJocDown')));

    const down = await prom!.waitFor(() => {
      const got = deliveredFiring('JobSchedulerDown', { jobscheduler_id: unreachableId, instance: targetA });
      return got.length > 0 ? got[0]! : null;
    }, WAIT_MS);
    expect(down.alert.labels).toMatchObject({ joc: JOC, jobscheduler_id: unreachableId, severity: severityOf('JobSchedulerDown') });
    expect(down.alert.annotations.description).toContain(unreachableId);
    expect(down.notification.receiver).toBe(receiverFor(severityOf('JobSchedulerDown')));
    expect(down.notification.groupLabels).toEqual({ joc: JOC, jobscheduler_id: unreachableId });
    // Held back until then: (c) saw none while B's JobSchedulerJocDown was firing.
    expect(down.notification.at).toBeGreaterThan(restoredAt);

    // Alertmanager recomputes an alert's status when it next looks at its group: wait for that.
    await prom!.waitFor(async () => {
      const sources = (await inAlertmanager('JobSchedulerDown', { jobscheduler_id: unreachableId })).map((a) => a.fingerprint);
      const held = await inAlertmanager('JobSchedulerMasterUnreachable', { jobscheduler_id: unreachableId, instance: targetA });
      return (
        held.length === 1 &&
        held[0]!.status.state === 'suppressed' &&
        held[0]!.status.inhibitedBy.length > 0 &&
        held[0]!.status.inhibitedBy.every((f) => sources.includes(f))
      );
    }, WAIT_MS);
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(deliveredFiring('JobSchedulerMasterUnreachable')).toEqual([]);
    stack!.sim.setMasterReachable(unreachableId, true);
  });
});
