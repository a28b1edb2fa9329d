/**
 * Request-body validation the way JOC 1.13 does it (NOTES §1, §8.4): every data resource first
 * validates its body against a JSON schema and answers 420 JOC-420 with
 * `com.sos.schema.exception.SOSJsonSchemaException: [<errors>]` when it does not match, before it
 * looks at the access token. The schemas below are the simulator's own, written to express the
 * same constraints as JOC's request schemas (ordersFilter, jobChainsFilter, jobsFilter,
 * jobSchedulerId); test/conformance checks that both agree. They set no additionalProperties,
 * as JOC's v1 schemas do not: extra fields are tolerated.
 *
 * The error wording follows networknt json-schema-validator (used by JOC, NOTES §8.4 [I]):
 * `$.a.b: is missing but it is required`, `$.x: string found, boolean expected`,
 * `$.x[0]: does not have a value in the enumeration [A, B]`, `$.x: does not match the regex
 * pattern <p>`, `$.x: may only be <n> characters long`, `$.x: must have a minimum value of <n>`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import {
  JOB_CHAIN_STATE_TEXTS,
  JOBSCHEDULER_ID_PATTERN,
  OBJECT_PATH_PATTERN,
  ORDER_STATE_FILTERS,
  ORDER_TYPES,
} from '../joc/v1/enums';

/** Endpoints whose body has a schema. */
export type ValidatedEndpoint = 'orders' | 'orders/overview/snapshot' | 'job_chains' | 'jobs' | 'jobs/overview/snapshot'
  | 'jobscheduler/cluster/members' | 'tasks/history' | 'orders/history' | 'jobscheduler/agent_clusters' | 'plan';

type Schema = Record<string, unknown>;

const schedulerIdName: Schema = { type: 'string', pattern: JOBSCHEDULER_ID_PATTERN, maxLength: 100 };
const objectPath: Schema = { type: 'string', pattern: OBJECT_PATH_PATTERN, maxLength: 255 };
// Free text without angle brackets.
const plainText: Schema = { type: 'string', pattern: '^[^<>]*$', maxLength: 255 };
// The regex filter may not smuggle in a script or svg-onload tag.
const pathRegex: Schema = { type: 'string', pattern: '^(?:(?!<script[ >]|<svg/on).)*$' };
// Relative ("0", "-24h", "+1d2h") or ISO 8601 date filter.
const relativeOrIsoDate: Schema = {
  type: 'string',
  pattern: '^(?:[+-]?0|(?:[+-]?\\d+[smhdwMy])+|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,3})?)(?:Z|[+-]\\d{2}(?::?\\d{2})?)?$',
};
const flag: Schema = { type: 'boolean' };
const count: Schema = { type: 'integer', minimum: 0 };
const longId: Schema = { type: 'number', minimum: 0 };
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const oneOfValues = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
const folderList: Schema = arrayOf({
  type: 'object', required: ['folder'], properties: { folder: objectPath, recursive: flag },
});
const historyStates = arrayOf(oneOfValues(['SUCCESSFUL', 'INCOMPLETE', 'FAILED']));
const chainAndOrder = (extra: Record<string, Schema> = {}): Schema => ({
  type: 'object', required: ['jobChain'], properties: { jobChain: objectPath, orderId: plainText, ...extra },
});

/** `/orders` (NOTES §5.1). */
const ordersFilter: Schema = {
  type: 'object',
  required: ['jobschedulerId'],
  properties: {
    jobschedulerId: schedulerIdName,
    orders: arrayOf(chainAndOrder()),
    excludeOrders: arrayOf(chainAndOrder()),
    compact: flag,
    regex: pathRegex,
    processingStates: arrayOf(oneOfValues(ORDER_STATE_FILTERS)),
    types: arrayOf(oneOfValues(ORDER_TYPES)),
    dateFrom: relativeOrIsoDate,
    dateTo: relativeOrIsoDate,
    timeZone: plainText,
    folders: folderList,
    limit: { type: 'integer' },
    historyStates,
    historyIds: arrayOf(longId),
    runTimeIsTemporary: flag,
  },
};

/** `/job_chains` and `/orders/overview/snapshot` (NOTES §5.2, §5.5). */
const jobChainsFilter: Schema = {
  type: 'object',
  required: ['jobschedulerId'],
  properties: {
    jobschedulerId: schedulerIdName,
    jobChains: arrayOf({ type: 'object', required: ['jobChain'], properties: { jobChain: objectPath } }),
    compact: flag,
    compactView: flag,
    regex: pathRegex,
    folders: folderList,
    states: arrayOf(oneOfValues(JOB_CHAIN_STATE_TEXTS)),
    close: flag,
    maxOrders: count,
    job: { type: 'object', properties: { regex: pathRegex, folders: folderList } },
  },
};

/** `/jobs` (NOTES §5.6). */
const jobsFilter: Schema = {
  type: 'object',
  required: ['jobschedulerId'],
  properties: {
    jobschedulerId: schedulerIdName,
    jobs: arrayOf({ type: 'object', required: ['job'], properties: { job: objectPath } }),
    excludeJobs: arrayOf({ type: 'object', required: ['job'], properties: { job: objectPath } }),
    orders: arrayOf(chainAndOrder({ state: plainText })),
    compact: flag,
    compactView: flag,
    withoutDuration: flag,
    regex: pathRegex,
    isOrderJob: flag,
    dateFrom: relativeOrIsoDate,
    dateTo: relativeOrIsoDate,
    criticality: arrayOf(oneOfValues(['NORMAL', 'MINOR', 'MAJOR'])),
    timeZone: plainText,
    folders: folderList,
    states: arrayOf(oneOfValues(['PENDING', 'RUNNING', 'WAITINGFORRESOURCE', 'QUEUED', 'STOPPED'])),
    limit: { type: 'integer' },
    historyStates,
    taskIds: arrayOf(longId),
    historyIds: arrayOf({ type: 'object', required: ['historyId', 'state'], properties: { historyId: longId, state: plainText } }),
    runTimeIsTemporary: flag,
  },
};

/** `/jobs/overview/snapshot`, `/jobscheduler/cluster/members`: the id is optional here (§5.7, §5.9). */
const optionalSchedulerId: Schema = {
  type: 'object',
  properties: { jobschedulerId: { type: 'string', pattern: '^[^<>]*$', maxLength: 100 } },
};

/** `jobscheduler/agent_clusters` (V1-HISTORY-NOTES §3.1). */
const agentClustersFilter: Schema = {
  type: 'object',
  required: ['jobschedulerId'],
  properties: {
    jobschedulerId: schedulerIdName,
    agentClusters: arrayOf({ type: 'object', required: ['agentCluster'], properties: { agentCluster: objectPath } }),
    regex: pathRegex,
    state: { type: 'integer' },
    compact: flag,
    folders: folderList,
  },
};

/** `plan` (V1-HISTORY-NOTES §4). */
const planFilter: Schema = {
  type: 'object',
  required: ['jobschedulerId'],
  properties: {
    jobschedulerId: schedulerIdName,
    regex: pathRegex,
    states: arrayOf(oneOfValues(['PLANNED', 'SUCCESSFUL', 'INCOMPLETE', 'FAILED'])),
    late: flag,
    dateFrom: relativeOrIsoDate,
    dateTo: relativeOrIsoDate,
    timeZone: plainText,
    folders: folderList,
    job: plainText,
    jobChain: plainText,
    jobStream: plainText,
    isJobStream: flag,
    orderId: plainText,
  },
};

const SCHEMAS: Readonly<Record<ValidatedEndpoint, Schema>> = {
  orders: ordersFilter,
  'orders/overview/snapshot': jobChainsFilter,
  job_chains: jobChainsFilter,
  jobs: jobsFilter,
  'jobs/overview/snapshot': optionalSchedulerId,
  'jobscheduler/cluster/members': optionalSchedulerId,
  // the history filters are the jobs and orders filters (V1-HISTORY-NOTES §1.2, §1.4)
  'tasks/history': jobsFilter,
  'orders/history': ordersFilter,
  'jobscheduler/agent_clusters': agentClustersFilter,
  plan: planFilter,
};

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const compiled = new Map<ValidatedEndpoint, ValidateFunction>();

export function hasBodySchema(endpoint: string): endpoint is ValidatedEndpoint {
  return Object.prototype.hasOwnProperty.call(SCHEMAS, endpoint);
}

/** Validates a parsed body; returns the networknt-style messages, empty when the body is valid. */
export function validateBody(endpoint: ValidatedEndpoint, body: unknown): string[] {
  let validate = compiled.get(endpoint);
  if (!validate) {
    validate = ajv.compile(SCHEMAS[endpoint]);
    compiled.set(endpoint, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(toNetworkntMessage);
}

/** The message of JOC's 420 for schema errors (NOTES §8.4). */
export function schemaExceptionMessage(errors: readonly string[]): string {
  return `com.sos.schema.exception.SOSJsonSchemaException: [${errors.join(', ')}]`;
}

/** JSON pointer "/orders/0/jobChain" → networknt path "$.orders[0].jobChain". */
export function jsonPath(pointer: string): string {
  if (pointer === '') return '$';
  return '$' + pointer.slice(1).split('/').map((raw) => {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`;
  }).join('');
}

/** The JSON type name networknt reports for a value ("integer" for whole numbers). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** One ajv error in networknt's wording (also used by the JS7 simulator's validation). */
export function toNetworkntMessage(error: ErrorObject): string {
  const at = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${at}.${String(params.missingProperty)}: is missing but it is required`;
    case 'type':
      return `${at}: ${jsonType(error.data)} found, ${String(params.type)} expected`;
    case 'enum':
      return `${at}: does not have a value in the enumeration [${(params.allowedValues as unknown[]).map(String).join(', ')}]`;
    case 'pattern':
      return `${at}: does not match the regex pattern ${String(params.pattern)}`;
    case 'maxLength':
      return `${at}: may only be ${String(params.limit)} characters long`;
    case 'minimum':
      return `${at}: must have a minimum value of ${String(params.limit)}`;
    case 'minLength':
      return `${at}: must be at least ${String(params.limit)} characters long`;
    case 'minItems':
      return `${at}: there must be a minimum of ${String(params.limit)} items in the array`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}
