/**
 * Request-body validation the way JOC 2.x does it (JS7-NOTES §0.1): `JsonValidator.validateFailFast`
 * checks a body AFTER the session and stops at the first error, which JOC answers with 420
 * JOC-420 `com.sos.schema.exception.SOSJsonSchemaException: <error>`. It is lenient:
 * - `additionalProperties` and `extends` are no validation keywords there, so unknown fields are
 *   ignored and the fields a schema inherits through `extends` are not checked at all (only a
 *   schema's own `properties` and `required` are);
 * - types are loose ("5" passes for an integer), so the simulator checks no types: only missing
 *   required fields, enum values, patterns, lengths, minimum values and item counts.
 * The schemas below are the simulator's own, written after JOC's request schemas (named per
 * endpoint); test/conformance/js7-simulator-schemas.test.ts checks that both agree.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { toNetworkntMessage } from '../validation';
import type { Js7Endpoint } from './endpoints';

type Schema = Record<string, unknown>;

// JOC's pattern escapes `<` as `\<`, which is `<` in Java and in a non-unicode JavaScript regex.
const CONTROLLER_ID_PATTERN = '^[^/<>?!&:;()"|*^]*$';
const controllerId: Schema = { pattern: CONTROLLER_ID_PATTERN, maxLength: 100 };
const controllerIdRequired: Schema = { ...controllerId, minLength: 1 };
const string255: Schema = { pattern: '^[^<>]*$', maxLength: 255 };
const string255Required: Schema = { ...string255, minLength: 1 };
const path: Schema = { pattern: '^(/|(/[^/\\\\<>?:"|*]+)+)$', maxLength: 255, minLength: 1 };
const dateFromTo: Schema = {
  pattern: '^([+-]?0|([+-]?[0-9]+[smhdwMy])+|\\d{4}-\\d{2}-\\d{2}(?:T| )\\d{2}:\\d{2}:\\d{2}([,.]\\d{1,3})?)(Z|[+-]\\d{2}(:?\\d{2})?)?$',
};
const nonNegative: Schema = { minimum: 0 };
const items = (schema: Schema): Schema => ({ items: schema });
const oneOf = (...values: string[]): Schema => ({ enum: values });
const tags: Schema = items(string255Required);
const folders: Schema = items({ required: ['folder'], properties: { folder: path } });
const workflowId: Schema = { required: ['path'], properties: { path: string255Required, versionId: string255 } };
const historyStates: Schema = items(oneOf('SUCCESSFUL', 'INCOMPLETE', 'FAILED'));
const ORDER_STATES = ['PLANNED', 'PENDING', 'SCHEDULED', 'RUNNING', 'INPROGRESS', 'PROMPTING', 'SUSPENDED', 'FAILED', 'WAITING', 'BLOCKED', 'CANCELLED', 'FINISHED', 'BROKEN', 'UNKNOWN'];
const SYNC_STATES = ['IN_SYNC', 'NOT_IN_SYNC', 'NOT_DEPLOYED', 'SUSPENDED', 'OUTSTANDING', 'UNKNOWN'];

/** controller/controllerId-required */
const controllerIdRequiredBody: Schema = { required: ['controllerId'], properties: { controllerId: controllerIdRequired } };

/** order/ordersFilterV: its own properties only (controllerId, workflowIds, folders … come through `extends`). */
const ordersFilterV: Schema = {
  required: ['controllerId'],
  properties: {
    orderIds: items(string255), states: items(oneOf(...ORDER_STATES)), orderTags: tags, workflowTags: tags,
    stateDateFrom: dateFromTo, stateDateTo: dateFromTo,
  },
};

/** order/ordersFilter (orders/history, orders/overview/summary). */
const ordersFilter: Schema = {
  properties: {
    controllerId, orders: items({ required: ['workflowPath'], properties: { workflowPath: string255, orderId: string255 } }),
    excludeWorkflows: items(string255Required), orderId: string255, workflowPath: string255, workflowName: string255,
    dateFrom: dateFromTo, dateTo: dateFromTo, completedDateFrom: dateFromTo, completedDateTo: dateFromTo, timeZone: {}, folders,
    historyStates, historyIds: items(nonNegative), workflowTags: tags, orderTags: tags,
  },
};

/** job/jobsFilter (tasks/history, jobs/overview/summary). */
const jobsFilter: Schema = {
  properties: {
    controllerId, jobs: items({ required: ['workflowPath'], properties: { workflowPath: string255 } }),
    excludeJobs: items({ required: ['workflowPath'], properties: { workflowPath: string255 } }),
    jobName: string255, workflowPath: string255, workflowName: string255, dateFrom: dateFromTo, dateTo: dateFromTo,
    completedDateFrom: dateFromTo, completedDateTo: dateFromTo, timeZone: string255, folders, historyStates,
    criticalities: items(oneOf('NORMAL', 'CRITICAL', 'MINOR', 'MAJOR')), taskIds: items(nonNegative),
    historyIds: items({ required: ['historyId', 'position'], properties: { historyId: nonNegative } }),
    workflowTags: tags, orderTags: tags, orderId: string255,
  },
};

/** The body schema JOC validates per endpoint (JS7-NOTES §2); endpoints without one accept any body. */
const SCHEMAS: Readonly<Partial<Record<Js7Endpoint, Schema>>> = {
  // controller/controllerId-optional
  controllers: { properties: { controllerId } },
  // controller/urlParam
  controller: { required: ['controllerId'], properties: { controllerId: controllerIdRequired, url: string255 } },
  'controller/components': controllerIdRequiredBody,
  // controller/jocFilter: two booleans, nothing the lenient check looks at; the body must still be JSON.
  jocs: {},
  // joc/versionsFilter
  'joc/versions': { properties: { controllerIds: items(string255), agentIds: items(string255) } },
  'orders/overview/snapshot': ordersFilterV,
  orders: ordersFilterV,
  // workflow/workflowsFilter
  workflows: {
    required: ['controllerId'],
    properties: {
      controllerId, workflowIds: items(workflowId), folders, workflowTags: tags, orderTags: tags, states: items(oneOf(...SYNC_STATES)),
      instructionStates: items(oneOf('SKIPPED', 'STOPPED')), agentNames: items(string255Required),
    },
  },
  'workflows/overview/snapshot': controllerIdRequiredBody,
  // workflow/workflowOrderCountFilter: workflowIds' own rules come through `extends`, so only its presence counts.
  'workflows/order_count': { required: ['controllerId', 'workflowIds'], properties: { dateTo: dateFromTo, orderTags: tags } },
  // agent/readAgents_v
  agents: {
    required: ['controllerId'],
    properties: {
      controllerId: controllerIdRequired, agentIds: items(string255Required),
      states: items(oneOf('COUPLED', 'RESETTING', 'INITIALISED', 'COUPLINGFAILED', 'SHUTDOWN', 'UNKNOWN')),
    },
  },
  'tasks/history': jobsFilter,
  'jobs/overview/summary': jobsFilter,
  'orders/history': ordersFilter,
  'orders/overview/summary': ordersFilter,
  // orderManagement/dailyplan/dailyPlanOrdersFilter: dailyPlanDateFrom is defined through `extends`.
  'daily_plan/orders/summary': {
    required: ['dailyPlanDateFrom'],
    properties: { submissionHistoryIds: items(nonNegative), workflowTags: tags, orderTags: tags, states: items(oneOf('PLANNED', 'SUBMITTED', 'FINISHED')) },
  },
};

// No types are checked (see above), so keywords stand without `type`: strict mode would object.
const ajv = new Ajv({ allErrors: false, verbose: true, strict: false });
const compiled = new Map<Js7Endpoint, ValidateFunction>();

export function hasJs7BodySchema(endpoint: Js7Endpoint): boolean {
  return SCHEMAS[endpoint] !== undefined;
}

/** The first error in networknt's wording, or undefined when the body passes. */
export function validateJs7Body(endpoint: Js7Endpoint, body: unknown): string | undefined {
  const schema = SCHEMAS[endpoint];
  if (!schema) return undefined;
  let validate = compiled.get(endpoint);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(endpoint, validate);
  }
  if (validate(body)) return undefined;
  const first = validate.errors?.[0];
  return first ? toNetworkntMessage(first) : 'invalid body';
}
