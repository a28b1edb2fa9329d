/**
 * deploy/kubernetes/: every object validates against the Kubernetes and Prometheus Operator
 * schemas (kubernetes-models, @kubernetes-models/prometheus-operator: the OpenAPI schemas of the
 * API server and the operator's CRDs, compiled), the PrometheusRule is what `npm run generate:k8s`
 * makes of prometheus/alerts.yml, and the objects fit together and with the image and the config.
 * No cluster here: what kubectl or the API server would check beyond the schemas is not covered.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, parse } from 'yaml';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { parseConfig } from '../../src/config';
import type { ConfigError } from '../../src/config/types';
import { prometheusRuleYaml, REGENERATE_HINT } from '../../scripts/generate-k8s';
import { parseDockerfile } from './dockerfile';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'deploy', 'kubernetes');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** The schema-carrying model of each kind the manifests use. */
const MODELS: Readonly<Record<string, new (data: never) => { validate(): void }>> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/** The schema's verdict on `object`: null when valid, else the validator's message. */
function schemaError(object: K8sObject): string | null {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return `no schema known for ${object.apiVersion} ${object.kind}`;
  try {
    new Model(structuredClone(object) as never).validate();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const objectsOf = (file: string): K8sObject[] =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJSON() as K8sObject;
  });
const manifests = files.filter((f) => f !== 'kustomization.yaml').map((file) => ({ file, objects: objectsOf(file) }));
const one = <T>(kind: string): T & K8sObject => {
  const found = manifests.flatMap((m) => m.objects).filter((o) => o.kind === kind);
  expect(found.map((o) => o.kind)).toEqual([kind]);
  return found[0] as T & K8sObject;
};

interface Container {
  name: string;
  image: string;
  args: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  livenessProbe: { httpGet: { path: string; port: string | number } };
  readinessProbe: { httpGet: { path: string; port: string | number } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
type DeploymentObject = {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext: Record<string, unknown>;
        automountServiceAccountToken?: boolean;
        containers: Container[];
        volumes: { name: string; configMap?: { name: string } }[];
      };
    };
  };
};

/** Bytes of a Kubernetes memory quantity (Ki, Mi, Gi, or plain bytes). */
function bytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi)?$/.exec(quantity);
  if (!m) throw new Error(`memory quantity not understood by this test: ${quantity}`);
  return Number(m[1]) * { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, '': 1 }[m[2] ?? '']!;
}
/** Cores of a Kubernetes CPU quantity ("50m", "1"). */
const cores = (quantity: string): number => (quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity));

describe('deploy/kubernetes: the schemas', () => {
  test.each(manifests.map((m) => [m.file, m.objects] as const))('%s: every object validates', (_file, objects) => {
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.map((o) => ({ kind: o.kind, name: o.metadata?.name, error: schemaError(o) }))).toEqual(
      objects.map((o) => ({ kind: o.kind, name: o.metadata?.name, error: null })),
    );
  });

  test('the validator rejects what the API server would (so a pass above means something)', () => {
    const deployment = structuredClone(one<DeploymentObject>('Deployment'));
    (deployment.spec.template.spec.containers[0]!.ports[0] as { containerPort: unknown }).containerPort = '9446';
    expect(schemaError(deployment)).toMatch(/containerPort must be integer/);
    const noName = structuredClone(one<DeploymentObject>('Deployment'));
    delete (noName.spec.template.spec.containers[0] as Partial<Container>).name;
    expect(schemaError(noName)).toMatch(/must have required property 'name'|required property name/);
    const rule = structuredClone(one<{ spec: { groups: { rules: { for?: string }[] }[] } }>('PrometheusRule'));
    rule.spec.groups[0]!.rules[0]!.for = '5 minutes';
    expect(schemaError(rule)).toMatch(/for must match pattern/);
    const monitor = structuredClone(one<{ spec: { endpoints: { interval: string }[] } }>('ServiceMonitor'));
    monitor.spec.endpoints[0]!.interval = '30';
    expect(schemaError(monitor)).toMatch(/interval must match pattern/);
  });
});

describe('deploy/kubernetes/kustomization.yaml', () => {
  const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as { apiVersion: string; kind: string; resources: string[] };

  test('lists every manifest but the examples, and nothing else', () => {
    expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
    expect([...kustomization.resources].sort()).toEqual(manifests.map((m) => m.file).filter((f) => !f.endsWith('.example.yaml')));
  });

  test('leaves the Secret out (no placeholder password is applied); secret.example.yaml shows it', () => {
    const listed = kustomization.resources.flatMap((f) => objectsOf(f)).map((o) => o.kind);
    expect(listed.sort()).toEqual(['ConfigMap', 'Deployment', 'PrometheusRule', 'Service', 'ServiceMonitor']);
    expect(objectsOf('secret.example.yaml').map((o) => o.kind)).toEqual(['Secret']);
  });
});

describe('deploy/kubernetes/prometheusrule.yaml', () => {
  const alertsText = readFileSync(join(ROOT, 'prometheus', 'alerts.yml'), 'utf8');

  test('is what `npm run generate:k8s` makes of prometheus/alerts.yml', () => {
    const committed = readFileSync(join(DIR, 'prometheusrule.yaml'), 'utf8');
    const generated = prometheusRuleYaml(alertsText);
    if (committed !== generated) {
      const a = committed.split('\n');
      const b = generated.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(`${REGENERATE_HINT}.\nFirst difference at line ${line + 1}:\n  committed: ${a[line]}\n  generated: ${b[line]}`);
    }
  });

  test('its groups are the groups of alerts.yml, rule for rule', () => {
    const rule = one<{ spec: { groups: unknown } }>('PrometheusRule');
    const source = parse(alertsText) as { groups: { rules: unknown[] }[] };
    expect(source.groups.flatMap((g) => g.rules).length).toBeGreaterThan(5);
    expect(rule.spec.groups).toEqual(source.groups);
  });

  test('`generate-k8s --check`, as built, finds the committed file up to date', async () => {
    const script = join(ROOT, 'dist', 'scripts', 'generate-k8s.js');
    if (!existsSync(script)) throw new Error(`${script} is missing: build first (npm test does, or npm run build)`);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, '--check']);
    expect({ stdout, stderr }).toEqual({ stdout: '', stderr: '' });
  });

  test('the generator refuses a rule file it cannot carry over whole', () => {
    expect(() => prometheusRuleYaml('groups: []\n')).toThrow(/no rule groups/);
    expect(() => prometheusRuleYaml('groups:\n  - name: a\n    rules: []\nextra: 1\n')).toThrow(/only `groups`/);
    expect(() => prometheusRuleYaml('groups: [\n')).toThrow(/alerts\.yml/);
  });
});

describe('deploy/kubernetes: the objects fit together', () => {
  const deployment = one<DeploymentObject>('Deployment');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0]!;
  const configMap = one<{ data: Record<string, string> }>('ConfigMap');
  const service = one<{ spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string | number }[] } }>('Service');
  const monitor = one<{ spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string; interval: string }[] } }>('ServiceMonitor');
  const secret = objectsOf('secret.example.yaml')[0] as K8sObject & { stringData: Record<string, string> };
  const port = (name: string | number): number => (typeof name === 'number' ? name : container.ports.find((p) => p.name === name)!.containerPort);
  const mount = container.volumeMounts.find((m) => m.name === pod.spec.volumes.find((v) => v.configMap?.name === configMap.metadata.name)?.name)!;
  const configPath = container.args[container.args.indexOf('--config') + 1]!;
  const configKey = configPath.slice(mount.mountPath.length + 1);
  const loadConfig = () => parseConfig(configMap.data[configKey]!, configPath, { JOC_PASSWORD: 'x' }, mount.mountPath);

  test('the pod runs as the non-root user of the image, read-only, without privileges or a service account token', () => {
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true });
    expect(container.securityContext.capabilities?.drop).toEqual(['ALL']);
    // uid 1000 is the `node` user the Dockerfile switches to.
    const users = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).filter((i) => i.keyword === 'USER');
    expect(users[users.length - 1]!.args).toBe('node');
  });

  test('the image is the version of package.json; one replica', () => {
    expect(container.image).toBe(`jobscheduler-exporter:${pkg.version}`);
    expect(deployment.spec.replicas).toBe(1);
  });

  test('liveness on /-/healthy, readiness on /-/ready, on the port the config listens on', async () => {
    expect(container.livenessProbe.httpGet.path).toBe('/-/healthy');
    expect(container.readinessProbe.httpGet.path).toBe('/-/ready');
    const config = await loadConfig();
    expect(port(container.livenessProbe.httpGet.port)).toBe(config.listen.port);
    expect(port(container.readinessProbe.httpGet.port)).toBe(config.listen.port);
    expect(config.listen.port).toBe(9446);
    expect(config.listen.host).toBe('0.0.0.0');
  });

  test('requests and limits, the memory limit above the largest RSS of docs/performance.md', () => {
    const { requests, limits } = container.resources;
    expect(Object.keys(requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(limits).sort()).toEqual(['cpu', 'memory']);
    expect(bytes(requests.memory!)).toBeLessThanOrEqual(bytes(limits.memory!));
    expect(cores(requests.cpu!)).toBeLessThanOrEqual(cores(limits.cpu!));
    const performance = readFileSync(join(ROOT, 'docs', 'performance.md'), 'utf8');
    const rss = performance
      .split('\n')
      .filter((l) => /^\s+RSS (after|at) /.test(l))
      .flatMap((l) => (l.match(/\d+\.\d+/g) ?? []).map(Number));
    expect(rss.length).toBeGreaterThan(10);
    const largest = Math.max(...rss) * 1e6; // the bench's MB
    expect(bytes(limits.memory!)).toBeGreaterThan(largest * 1.2);
    // The request covers the exporter at 20,000 orders (the bench's medium size).
    const medium = performance.split('\n').find((l) => /^\s+RSS after the polls/.test(l))!.match(/\d+\.\d+/g)!.map(Number);
    expect(bytes(requests.memory!)).toBeGreaterThan(Math.max(...medium.slice(0, 4)) * 1e6);
  });

  test('the config comes from the ConfigMap, valid for the exporter, and the password from the Secret', async () => {
    expect(mount.readOnly).toBe(true);
    expect(configMap.data[configKey]).toBeDefined();
    const config = await loadConfig();
    expect(config.joc.length).toBeGreaterThan(0);
    expect(configMap.data[configKey]).toMatch(/^\s+password: \$\{JOC_PASSWORD\}$/m);
    const env = container.env.find((e) => e.name === 'JOC_PASSWORD')!;
    expect(env.valueFrom?.secretKeyRef).toEqual({ name: secret.metadata.name, key: Object.keys(secret.stringData)[0] });
    // Without the variable the config is refused, naming it: the password is nowhere else.
    const refused = await parseConfig(configMap.data[configKey]!, configPath, {}, mount.mountPath).then(() => null, (e: ConfigError) => e.lines());
    expect(refused).toEqual([expect.stringMatching(/JOC_PASSWORD/)]);
  });

  test('the Service selects the pod and exposes 9446; the ServiceMonitor selects the Service and scrapes as often as the exporter polls', async () => {
    for (const [k, v] of Object.entries(deployment.spec.selector.matchLabels)) expect(pod.metadata.labels[k]).toBe(v);
    for (const [k, v] of Object.entries(service.spec.selector)) expect(pod.metadata.labels[k]).toBe(v);
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 9446, targetPort: container.ports[0]!.name })]);
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels?.[k]).toBe(v);
    const [endpoint] = monitor.spec.endpoints;
    expect(endpoint).toMatchObject({ port: service.spec.ports[0]!.name, path: '/metrics' });
    const config = await loadConfig();
    const seconds = /^\*\/(\d+) \* \* \* \* \*$/.exec(config.poll.schedule)?.[1];
    expect(`${seconds}s`).toBe(endpoint!.interval);
  });
});
