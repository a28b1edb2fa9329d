/**
 * JOC Cockpit 1.13's own JSON schemas (draft-04), read at test time from the shared folder beside
 * the repository (`../shared/joc-api/v1/raml/schemas`, see ../shared/joc-api/SOURCES.md). They are
 * outside data: nothing here copies them; when the folder is absent `jocSchemasAvailable` is false
 * and the callers skip their cases.
 *
 * Every schema file is registered in ajv under `<BASE><relative path>`, so the relative `$ref`s
 * between the files resolve as they do in JOC's classpath.
 *
 * Requests are validated with the schemas untouched. ANSWERS are validated with a relaxed copy
 * (in memory only), because of a defect in JOC's answer schemas: `order_v`, `job_v`, `jobChain_v`,
 * `jobChainNode_v` and `jobscheduler_v` choose between "modes" with `oneOf`, but the modes'
 * `required` lists are nested (a compact job has everything the "child of nodes" mode requires;
 * a running order everything the "suspended/blacklist" mode requires), so under draft-04 a correct
 * answer matches two branches and fails `oneOf`. The relaxed copy turns every `oneOf` into
 * `anyOf`. In addition, order_v's modes describe only detailed orders although its own first
 * `allOf` entry declares a compact mode with just the core fields; for compact answers (the default
 * of `validateAnswer`, see `AnswerOptions`) that mode is added as one more `anyOf` branch.
 * test/conformance/simulator-schemas.test.ts demonstrates the defect.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { describeWithPlan, type ToolPlan } from './tools';

export const REPO_ROOT = path.resolve(__dirname, '../..');
/** `../shared` beside the repository; the environment variable JOC_SHARED_DIR can point elsewhere. */
export const SHARED_DIR = process.env.JOC_SHARED_DIR ? path.resolve(process.env.JOC_SHARED_DIR) : path.resolve(REPO_ROOT, '../shared');
export const JOC_SCHEMA_DIR = path.join(SHARED_DIR, 'joc-api/v1/raml/schemas');
export const jocSchemasAvailable: boolean = fs.existsSync(JOC_SCHEMA_DIR);
export const SKIP_REASON = `JOC's schemas are not at ${JOC_SCHEMA_DIR} (the shared folder beside the repository); schema conformance is not checked`;

/**
 * Whether tests needing JOC's schemas run, skip (locally, folder absent) or fail (folder absent
 * under CI=true: CI must not go green on conformance tests that never ran), as for a missing tool.
 */
export function planSchemas(env: NodeJS.ProcessEnv = process.env, available: boolean = jocSchemasAvailable): ToolPlan {
  if (available) return { kind: 'run', paths: { schemas: JOC_SCHEMA_DIR } };
  return env.CI === 'true'
    ? { kind: 'fail', reason: `required in CI but missing: ${SKIP_REASON}` }
    : { kind: 'skip', reason: `skipped: ${SKIP_REASON}` };
}

/** A describe block whose tests need JOC's schemas: run, or one skipped (locally) or failing (CI) test saying why. */
export function describeWithSchemas(title: string, body: () => void): void {
  describeWithPlan(title, planSchemas(), body);
}

const BASE = 'https://joc-schemas.invalid/raml/schemas/';

/** untouched: as JOC ships them; relaxed: oneOf → anyOf; relaxed-compact: also order_v's compact mode. */
export type SchemaMode = 'untouched' | 'relaxed' | 'relaxed-compact';

/** Request body schema per endpoint (null: the resource has none, any body passes). */
export const REQUEST_SCHEMAS: Readonly<Record<string, string | null>> = {
  'security/login': null,
  'security/logout': null,
  touch: null,
  'jobscheduler/ids': null,
  orders: 'order/ordersFilter-schema.json',
  'orders/overview/snapshot': 'jobChain/jobChainsFilter-schema.json',
  'orders/overview/summary': 'order/ordersFilter-schema.json',
  'orders/history': 'order/ordersFilter-schema.json',
  order: 'order/orderFilter-schema.json',
  job_chains: 'jobChain/jobChainsFilter-schema.json',
  job_chain: 'jobChain/jobChainFilter-schema.json',
  jobs: 'job/jobsFilter-schema.json',
  job: 'job/jobFilter-schema.json',
  'jobs/overview/snapshot': 'common/jobSchedulerId-schema.json',
  'jobs/overview/summary': 'job/jobsFilter-schema.json',
  'tasks/history': 'job/jobsFilter-schema.json',
  jobscheduler: 'jobscheduler/urlParam-schema.json',
  'jobscheduler/p': 'common/jobSchedulerId-schema.json',
  'jobscheduler/cluster': 'common/jobSchedulerId-schema.json',
  'jobscheduler/cluster/members': 'common/jobSchedulerId-schema.json',
  'jobscheduler/cluster/members/p': 'common/jobSchedulerId-schema.json',
  'jobscheduler/db': 'common/jobSchedulerId-schema.json',
  'orders/suspend': 'order/modifyOrders-schema.json',
  'jobscheduler/agent_clusters': 'jobscheduler/agentClusterFilter-schema.json',
  plan: 'plan/planFilter-schema.json',
};

/** 200 answer schema per endpoint. */
export const ANSWER_SCHEMAS: Readonly<Record<string, string>> = {
  'security/login': 'user/security-schema.json',
  'security/logout': 'user/security-schema.json',
  touch: 'common/ok-schema.json',
  'jobscheduler/ids': 'jobscheduler/jobschedulerIds-schema.json',
  orders: 'order/orders_v-schema.json',
  'orders/overview/snapshot': 'order/snapshot-schema.json',
  'orders/overview/summary': 'order/summary-schema.json',
  'orders/history': 'order/history-schema.json',
  order: 'order/order200_v-schema.json',
  job_chains: 'jobChain/jobChains_v-schema.json',
  job_chain: 'jobChain/jobChain200_v-schema.json',
  jobs: 'job/jobs_v-schema.json',
  job: 'job/job200_v-schema.json',
  'jobs/overview/snapshot': 'job/snapshot-schema.json',
  'jobs/overview/summary': 'job/summary-schema.json',
  'tasks/history': 'job/history-schema.json',
  jobscheduler: 'jobscheduler/jobscheduler200_v-schema.json',
  'jobscheduler/p': 'jobscheduler/jobscheduler200_p-schema.json',
  'jobscheduler/cluster': 'jobscheduler/clusters-schema.json',
  'jobscheduler/cluster/members': 'jobscheduler/masters_v-schema.json',
  'jobscheduler/cluster/members/p': 'jobscheduler/masters_p-schema.json',
  'jobscheduler/db': 'jobscheduler/db-schema.json',
  'orders/suspend': 'common/ok-schema.json',
  'jobscheduler/agent_clusters': 'jobscheduler/agentClusters-schema.json',
  plan: 'plan/plan-schema.json',
};

/** Error bodies by status (NOTES §4): 401/403/440 security answer, 419 errors, 420/434 Err420. */
export function answerSchemaFile(endpoint: string, status: number): string {
  if (status === 200) {
    const file = ANSWER_SCHEMAS[endpoint];
    if (!file) throw new Error(`no JOC answer schema known for ${endpoint}`);
    return file;
  }
  if (status === 401 || status === 403 || status === 440) return 'user/security-schema.json';
  if (status === 419) return 'common/errors-schema.json';
  if (status === 420 || status === 434) return 'common/error420-schema.json';
  throw new Error(`JOC answers ${status} without a JSON schema (${endpoint})`);
}

export function requestSchemaFile(endpoint: string): string | null {
  if (!(endpoint in REQUEST_SCHEMAS)) throw new Error(`no JOC request schema known for ${endpoint}`);
  return REQUEST_SCHEMAS[endpoint]!;
}

let files: Map<string, Record<string, unknown>> | undefined;

/** Every *.json below the schema folder, by path relative to it (forward slashes). */
export function loadSchemaFiles(): Map<string, Record<string, unknown>> {
  if (files) return files;
  if (!jocSchemasAvailable) throw new Error(SKIP_REASON);
  files = new Map();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) {
        const rel = path.relative(JOC_SCHEMA_DIR, full).split(path.sep).join('/');
        files!.set(rel, JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>);
      }
    }
  };
  walk(JOC_SCHEMA_DIR);
  return files;
}

/** Deep copy with every `oneOf` renamed to `anyOf`. */
export function oneOfToAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(oneOfToAnyOf);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k === 'oneOf' ? 'anyOf' : k, oneOfToAnyOf(v)]));
}

/** order_v: adds the compact mode its own allOf declares (only the core `required`) to the mode choice. */
function addCompactOrderMode(schema: Record<string, unknown>): Record<string, unknown> {
  const allOf = schema.allOf as Array<Record<string, unknown>> | undefined;
  const core = allOf?.find((part) => Array.isArray(part.required) && !part.anyOf);
  const modes = allOf?.find((part) => Array.isArray(part.anyOf));
  if (!core || !modes) throw new Error('order_v no longer has the expected allOf shape');
  (modes.anyOf as unknown[]).push({ required: core.required });
  return schema;
}

/** Java's inline DOTALL flag `(?s)` (common/noScript-schema.json) is no JavaScript syntax: use the s flag. */
export const javaRegExp = Object.assign(
  (pattern: string, flags: string): RegExp =>
    pattern.includes('(?s)') ? new RegExp(pattern.replace('(?s)', ''), `${flags}s`) : new RegExp(pattern, flags),
  { code: 'new RegExp' },
);

const ajvs = new Map<SchemaMode, Ajv04>();

export function jocAjv(mode: SchemaMode): Ajv04 {
  const cached = ajvs.get(mode);
  if (cached) return cached;
  // strict: false because JOC's files carry non-standard keywords (javaType, xmlElement, ...);
  // unicodeRegExp: false because their Java patterns escape characters (e.g. `\<`) that a
  // JavaScript regex in unicode mode rejects.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false, code: { regExp: javaRegExp } });
  addFormats(ajv);
  ajv.addFormat('utc-millisec', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  for (const [rel, file] of loadSchemaFiles()) {
    const original = rel === 'plan/plan-schema.json' ? patchPlanSchema(file) : file;
    let schema = mode === 'untouched' ? structuredClone(original) : (oneOfToAnyOf(original) as Record<string, unknown>);
    if (mode === 'relaxed-compact' && rel === 'order/order_v-schema.json') schema = addCompactOrderMode(schema);
    if (mode !== 'untouched' && rel === 'jobscheduler/agentOfCluster_p-schema.json') schema = unreachableAgents(schema);
    ajv.addSchema(schema, BASE + rel);
  }
  ajvs.set(mode, ajv);
  return ajv;
}

/**
 * JOC's `plan/plan-schema.json` gives `created.days` a `$ref` path as its `type`, which no JSON
 * Schema validator accepts (V1-HISTORY-NOTES §4): the intended `$ref` is put in its place, in
 * memory, so that the rest of the schema is checked as JOC wrote it.
 */
function patchPlanSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const patched = structuredClone(schema) as { properties?: { created?: { properties?: { days?: Record<string, unknown> } } } };
  const days = patched.properties?.created?.properties?.days;
  if (days && typeof days['type'] === 'string' && days['type'].endsWith('.json')) {
    patched.properties!.created!.properties!.days = { $ref: days['type'] };
  }
  return patched as Record<string, unknown>;
}

/**
 * agentOfCluster_p: JOC sends an UNREACHABLE or UNKNOWN_AGENT Agent with only surveyDate, url and
 * state (V1-HISTORY-NOTES §3.1), against the schema's `required`; relaxed to those three.
 */
function unreachableAgents(schema: Record<string, unknown>): Record<string, unknown> {
  return { ...schema, required: ['surveyDate', 'url', 'state'] };
}

export function jocValidator(file: string, mode: SchemaMode): ValidateFunction {
  const validate = jocAjv(mode).getSchema(BASE + file);
  if (!validate) throw new Error(`JOC schema ${file} not found`);
  return validate as ValidateFunction;
}

export interface SchemaResult {
  valid: boolean;
  /** JOC schema file used (relative to the schema folder); null when the resource has none. */
  schema: string | null;
  errors: string[];
}

function run(file: string, mode: SchemaMode, data: unknown): SchemaResult {
  const validate = jocValidator(file, mode);
  const valid = validate(data) as boolean;
  const errors = valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
  return { valid, schema: file, errors };
}

/** A request body against JOC's (untouched) request schema of the endpoint. */
export function validateRequest(endpoint: string, body: unknown): SchemaResult {
  const file = requestSchemaFile(endpoint);
  if (file === null) return { valid: true, schema: null, errors: [] };
  return run(file, 'untouched', body);
}

export interface AnswerOptions {
  /**
   * Whether the request asked for compact answers. `false` validates orders against the detailed
   * modes only; true or omitted also accepts compact orders (core fields only).
   */
  compact?: boolean;
}

/** An answer body against JOC's schema for the endpoint and HTTP status (relaxed, see above). */
export function validateAnswer(endpoint: string, status: number, body: unknown, options: AnswerOptions = {}): SchemaResult {
  return run(answerSchemaFile(endpoint, status), options.compact === false ? 'relaxed' : 'relaxed-compact', body);
}
