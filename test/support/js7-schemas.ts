/**
 * JOC Cockpit 2.x's (JS7) own JSON schemas (draft-04), read at test time from the shared folder
 * beside the repository (`../shared/joc-api/js7/raml`, see JS7-NOTES §3). They are outside data:
 * nothing here copies them; when the folder is absent `js7SchemasAvailable` is false and the
 * callers skip their cases (failing under CI=true, see `skipOrFailWithoutJs7Schemas`).
 *
 * Every schema file is registered in ajv under `<BASE><path relative to raml/>`, with its relative
 * `$ref`s made absolute, so that the `../../../controller/schemas/…` and `…/inventory/schemas/…`
 * references resolve as on JOC's classpath. Three ways to read them:
 * - `joc`: requests as JOC validates them (`validateFailFast`, JS7-NOTES §0.1): `extends` and
 *   `additionalProperties` are no validation keywords, so unknown and inherited fields pass;
 * - `strict`: requests with `extends` merged (the Java class hierarchy) and `additionalProperties`
 *   honoured, which catches a misspelt field that JOC would silently ignore;
 * - `answer`: answers as Jackson writes them from the model classes: `extends` merged (a subclass
 *   has its parent's fields) and `additionalProperties:false` honoured.
 * Three defects of the files are mended in memory (and shown by the conformance test):
 * `controller/masters` declares `currentSecurityLevel` with `type: {$ref}` (no valid schema);
 * `joc/versionResponse` requires a `version` it does not declare (the answer has `jocVersion`);
 * `inventory/instruction` describes only the base class of the instructions, whose subclasses
 * (e.g. `Execute.Named` with `jobName`) are not in the closure, so its additionalProperties is dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { javaRegExp, SHARED_DIR } from './schemas';

export const JS7_SCHEMA_DIR = path.join(SHARED_DIR, 'joc-api/js7/raml');
export const js7SchemasAvailable: boolean = fs.existsSync(path.join(JS7_SCHEMA_DIR, 'api/schemas'));
export const JS7_SKIP_REASON = `JOC's JS7 schemas are not at ${JS7_SCHEMA_DIR} (the shared folder beside the repository); JS7 schema conformance is not checked`;

/**
 * Prints why the JS7 schema cases are skipped, and fails the file under CI=true (CI must check
 * them). Returns `describe` or `describe.skip`.
 */
export function describeWithJs7Schemas(file: string): jest.Describe {
  if (js7SchemasAvailable) return describe;
  if (process.env.CI === 'true') throw new Error(`${file}: ${JS7_SKIP_REASON} (required under CI=true)`);
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED ${file}: ${JS7_SKIP_REASON}`);
  return describe.skip;
}

const BASE = 'https://js7-schemas.invalid/raml/';
const API = 'api/schemas/';

export type Js7SchemaMode = 'joc' | 'strict' | 'answer';

/** Request schema per endpoint, relative to api/schemas (the file JOC's code validates, JS7-NOTES §2); null: none. */
export const JS7_REQUEST_SCHEMAS: Readonly<Record<string, string | null>> = {
  'authentication/login': null,
  'authentication/logout': null,
  touch: null,
  'version.json': null,
  'joc/version': null,
  'joc/versions': 'joc/versionsFilter-schema.json',
  'controller/ids': null,
  controllers: 'controller/controllerId-optional-schema.json',
  controller: 'controller/urlParam-schema.json',
  'controller/components': 'controller/controllerId-required-schema.json',
  jocs: 'controller/jocFilter-schema.json',
  'joc/is_active': null,
  'orders/overview/snapshot': 'order/ordersFilterV-schema.json',
  orders: 'order/ordersFilterV-schema.json',
  workflows: 'workflow/workflowsFilter-schema.json',
  'workflows/overview/snapshot': 'controller/controllerId-required-schema.json',
  'workflows/order_count': 'workflow/workflowOrderCountFilter-schema.json',
  agents: 'agent/readAgents_v-schema.json',
  'tasks/history': 'job/jobsFilter-schema.json',
  'orders/history': 'order/ordersFilter-schema.json',
  'orders/overview/summary': 'order/ordersFilter-schema.json',
  'jobs/overview/summary': 'job/jobsFilter-schema.json',
  'daily_plan/orders/summary': 'orderManagement/dailyplan/dailyPlanOrdersFilter-schema.json',
};

/** 200 answer schema per endpoint, relative to api/schemas. */
export const JS7_ANSWER_SCHEMAS: Readonly<Record<string, string>> = {
  'authentication/login': 'user/security-schema.json',
  'authentication/logout': 'user/security-schema.json',
  touch: 'common/ok-schema.json',
  'version.json': 'joc/version-schema.json',
  'joc/version': 'joc/version-schema.json',
  'joc/versions': 'joc/versionResponse-schema.json',
  'controller/ids': 'controller/controllerIds-schema.json',
  controllers: 'controller/masters-schema.json',
  controller: 'controller/jobscheduler200_v-schema.json',
  'controller/components': 'controller/components-schema.json',
  jocs: 'controller/jocs-schema.json',
  'joc/is_active': 'common/ok-schema.json',
  'orders/overview/snapshot': 'order/snapshot-schema.json',
  orders: 'order/orders_v-schema.json',
  workflows: 'workflow/workflows-schema.json',
  'workflows/overview/snapshot': 'workflow/snapshot-schema.json',
  'workflows/order_count': 'workflow/workflowsOrderCount-schema.json',
  agents: 'agent/agents_v-schema.json',
  'tasks/history': 'job/history-schema.json',
  'orders/history': 'order/orderHistory-schema.json',
  'orders/overview/summary': 'order/summary-schema.json',
  'jobs/overview/summary': 'job/summary-schema.json',
  'daily_plan/orders/summary': 'orderManagement/dailyplan/dailyPlanOrderSummary-schema.json',
};

/** The request schema file of an endpoint (relative to api/schemas), null when JOC validates none. */
export function js7RequestSchemaFor(endpoint: string): string | null {
  if (!(endpoint in JS7_REQUEST_SCHEMAS)) throw new Error(`no JS7 request schema known for ${endpoint}`);
  return JS7_REQUEST_SCHEMAS[endpoint]!;
}

/** The answer schema file of an endpoint and status: 401/403/440 security answer, 420/434 Err420. */
export function js7AnswerSchemaFor(endpoint: string, status: number): string {
  if (status === 200) {
    const file = JS7_ANSWER_SCHEMAS[endpoint];
    if (!file) throw new Error(`no JS7 answer schema known for ${endpoint}`);
    return file;
  }
  if (status === 401 || status === 403 || status === 440) return 'user/security-schema.json';
  if (status === 419) return 'common/errors-schema.json';
  if (status === 420 || status === 434) return 'common/error420-schema.json';
  throw new Error(`JOC answers ${status} without a JSON schema (${endpoint})`);
}

type Json = Record<string, unknown>;
let files: Map<string, Json> | undefined;

/** Every schema file (*.json outside api/examples) by path relative to raml/ (forward slashes). */
export function loadJs7SchemaFiles(): Map<string, Json> {
  if (files) return files;
  if (!js7SchemasAvailable) throw new Error(JS7_SKIP_REASON);
  files = new Map();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(JS7_SCHEMA_DIR, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (rel !== 'api/examples') walk(full);
      } else if (entry.name.endsWith('-schema.json')) files!.set(rel, JSON.parse(fs.readFileSync(full, 'utf8')) as Json);
    }
  };
  walk(JS7_SCHEMA_DIR);
  return files;
}

/** A deep copy with every relative `$ref` made absolute against the file's URI. */
function absoluteRefs(node: unknown, uri: string): unknown {
  if (Array.isArray(node)) return node.map((n) => absoluteRefs(n, uri));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [
    k, k === '$ref' && typeof v === 'string' ? new URL(v, uri).href : absoluteRefs(v, uri),
  ]));
}

/** The three mended defects (see the file comment). */
function mend(rel: string, schema: Json): Json {
  // `inProperties`: the node is a property map, where "type" is the name of a property.
  const visit = (node: unknown, inProperties: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, false));
    if (node === null || typeof node !== 'object') return;
    const object = node as Json;
    const type = object.type as Json | undefined;
    if (!inProperties && type && typeof type === 'object' && !Array.isArray(type) && typeof type.$ref === 'string') {
      delete object.type;
      object.$ref = type.$ref;
    }
    for (const [k, v] of Object.entries(object)) visit(v, !inProperties && k === 'properties');
  };
  visit(schema, false);
  if (rel === `${API}joc/versionResponse-schema.json`) {
    const properties = (schema.properties ?? {}) as Json;
    const required = ((schema.required ?? []) as string[]).filter((name) => name in properties);
    // Draft-04 wants at least one name in `required`.
    if (required.length > 0) schema.required = required;
    else delete schema.required;
  }
  if (rel === 'inventory/schemas/instruction/instruction-schema.json') delete schema.additionalProperties;
  return schema;
}

/** Removes `extends` and `additionalProperties` everywhere (JOC's validateFailFast). */
function withoutNonValidating(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNonValidating);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node)
    .filter(([k]) => k !== 'extends' && k !== 'additionalProperties')
    .map(([k, v]) => [k, withoutNonValidating(v)]));
}

/** Merges the properties of the `extends` chain into each (sub)schema that has one; `extends` is then removed. */
function mergeExtends(node: unknown, byUri: Map<string, Json>): unknown {
  if (Array.isArray(node)) return node.map((n) => mergeExtends(n, byUri));
  if (node === null || typeof node !== 'object') return node;
  const object = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, mergeExtends(v, byUri)])) as Json;
  const parentRef = (object.extends as Json | undefined)?.$ref;
  if (typeof parentRef === 'string') {
    const parent = mergeExtends(byUri.get(parentRef), byUri) as Json | undefined;
    if (!parent) throw new Error(`extends ${parentRef}: no such schema`);
    object.properties = { ...((parent.properties ?? {}) as Json), ...((object.properties ?? {}) as Json) };
    delete object.extends;
  }
  return object;
}

const ajvs = new Map<Js7SchemaMode, Ajv04>();

export function js7Ajv(mode: Js7SchemaMode): Ajv04 {
  const cached = ajvs.get(mode);
  if (cached) return cached;
  // strict: false for JOC's non-standard keywords (javaType, extends, propertyOrder, ...);
  // unicodeRegExp: false because the Java patterns escape characters (`\<`) unicode mode rejects.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false, code: { regExp: javaRegExp } });
  addFormats(ajv);
  ajv.addFormat('utc-millisec', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  const byUri = new Map<string, Json>();
  for (const [rel, original] of loadJs7SchemaFiles()) byUri.set(BASE + rel, mend(rel, absoluteRefs(original, BASE + rel) as Json));
  for (const [uri, schema] of byUri) {
    const prepared = mode === 'joc' ? withoutNonValidating(schema) : mergeExtends(schema, byUri);
    ajv.addSchema(prepared as Json, uri);
  }
  ajvs.set(mode, ajv);
  return ajv;
}

/** The validator of a file relative to api/schemas (or to raml/ when it starts with controller/ or inventory/schemas/). */
export function js7Validator(file: string, mode: Js7SchemaMode): ValidateFunction {
  const rel = file.startsWith('controller/schemas/') || file.startsWith('inventory/schemas/') ? file : API + file;
  const validate = js7Ajv(mode).getSchema(BASE + rel);
  if (!validate) throw new Error(`JS7 schema ${rel} not found`);
  return validate as ValidateFunction;
}

export interface Js7SchemaResult {
  valid: boolean;
  /** The schema file used (relative to api/schemas); null when the endpoint has none. */
  schema: string | null;
  errors: string[];
}

function run(file: string, mode: Js7SchemaMode, data: unknown): Js7SchemaResult {
  const validate = js7Validator(file, mode);
  const valid = validate(data) as boolean;
  const errors = valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
  return { valid, schema: file, errors };
}

/**
 * A request body against the endpoint's request schema: as JOC validates it (default), or
 * `strict` (inherited fields checked, unknown fields rejected). For the exporter's conformance
 * test: `for (const r of sim.stats.requests) expect(validateJs7Request(r.endpoint, r.body, { strict: true })).toMatchObject({ valid: true })`.
 */
export function validateJs7Request(endpoint: string, body: unknown, options: { strict?: boolean } = {}): Js7SchemaResult {
  const file = js7RequestSchemaFor(endpoint);
  if (file === null) return { valid: true, schema: null, errors: [] };
  return run(file, options.strict ? 'strict' : 'joc', body);
}

/** An answer body against JOC's schema for the endpoint and status. */
export function validateJs7Answer(endpoint: string, status: number, body: unknown): Js7SchemaResult {
  return run(js7AnswerSchemaFor(endpoint, status), 'answer', body);
}

/** What `validateJs7RequestLog` reports for one request that does not match its schema. */
export interface Js7RequestProblem {
  endpoint: string;
  body: unknown;
  schema: string | null;
  errors: string[];
}

/**
 * Every request of a simulator's log (`sim.stats.requests`) against its endpoint's request schema:
 * the problems, empty when all match. Requests to paths the simulator does not know are problems
 * too (there is no schema for them). `strict` as in `validateJs7Request`.
 */
export function validateJs7RequestLog(
  entries: ReadonlyArray<{ endpoint: string; body: unknown }>, options: { strict?: boolean } = {},
): Js7RequestProblem[] {
  const problems: Js7RequestProblem[] = [];
  for (const { endpoint, body } of entries) {
    if (!(endpoint in JS7_REQUEST_SCHEMAS)) {
      problems.push({ endpoint, body, schema: null, errors: ['no such JS7 endpoint'] });
      continue;
    }
    // A request without a body passes only where JOC reads no body (login, logout, touch, ids, version).
    const result = validateJs7Request(endpoint, body, options);
    if (!result.valid) problems.push({ endpoint, body, schema: result.schema, errors: result.errors });
  }
  return problems;
}
