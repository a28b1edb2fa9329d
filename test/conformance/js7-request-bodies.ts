/**
 * Request bodies for the JS7 conformance tests: the bodies of the exporter's call plan
 * (JS7-NOTES §7, CONTRACT §7.1 and §8), and bodies the simulator's lenient validation and JOC's
 * request schemas must agree on. The ids and paths refer to the default generated model.
 */

const TODAY = new Date().toISOString().slice(0, 10);

/** One poll of one Controller ID as JS7-NOTES §7 plans it (login, logout and touch aside). */
export const CALL_PLAN: Array<[string, Record<string, unknown>]> = [
  ['joc/version', {}],
  ['joc/versions', {}],
  ['controller/ids', {}],
  ['controller/components', { controllerId: 'controller-ha' }],
  ['jocs', {}],
  ['orders/overview/snapshot', { controllerId: 'controller-ha' }],
  ['orders', { controllerId: 'controller-ha', compact: true, states: ['FAILED', 'SUSPENDED', 'BLOCKED', 'PROMPTING'] }],
  ['workflows', { controllerId: 'controller-ha', compact: true }],
  ['workflows/overview/snapshot', { controllerId: 'controller-ha' }],
  ['workflows/order_count', { controllerId: 'controller-ha', workflowIds: [{ path: '/accounting/daily_import' }] }],
  ['agents', { controllerId: 'controller-ha', compact: true, onlyVisibleAgents: true, flat: true }],
  ['orders/overview/summary', { controllerId: 'controller-ha', dateFrom: '-1h', timeZone: 'Etc/UTC' }],
  ['jobs/overview/summary', { controllerId: 'controller-ha', dateFrom: '0d', timeZone: 'Etc/UTC' }],
  ['tasks/history', { controllerId: 'controller-ha', completedDateFrom: '2026-03-02T11:00:00.000Z', limit: 1000 }],
  ['orders/history', { controllerId: 'controller-ha', completedDateFrom: '-6h', limit: 1000, historyStates: ['SUCCESSFUL', 'FAILED'] }],
  ['daily_plan/orders/summary', { controllerIds: ['controller-ha'], dailyPlanDateFrom: TODAY, dailyPlanDateTo: TODAY }],
  ['controllers', { controllerId: 'controller' }],
  ['controller', { controllerId: 'controller' }],
];

/** Bodies JOC's request schema accepts and the simulator answers (200 unless given). */
export const JS7_VALID_BODIES: Array<[string, unknown, number?]> = [
  ...CALL_PLAN,
  ['orders/overview/snapshot', { controllerId: 'controller', workflowIds: [{ path: '/sales/invoice_run', versionId: 'x' }], folders: [{ folder: '/sales', recursive: false }], dateTo: '0d', timeZone: 'Europe/Berlin' }],
  ['orders', { controllerId: 'controller', orderIds: ['#2026-03-02#T1-a'], limit: -1, regex: 'daily', stateDateFrom: '-1h', orderTags: ['t'] }],
  ['workflows', { controllerId: 'controller', states: ['IN_SYNC', 'NOT_IN_SYNC', 'NOT_DEPLOYED', 'SUSPENDED', 'OUTSTANDING', 'UNKNOWN'], instructionStates: ['SKIPPED', 'STOPPED'], folders: [{ folder: '/' }] }],
  ['agents', { controllerId: 'controller', agentIds: ['controller-agent-1'], states: ['COUPLED', 'RESETTING', 'INITIALISED', 'COUPLINGFAILED', 'SHUTDOWN', 'UNKNOWN'] }],
  ['tasks/history', { dateFrom: '-1w2d', dateTo: '2026-03-02 10:00:00', historyStates: ['SUCCESSFUL', 'INCOMPLETE', 'FAILED'], criticalities: ['NORMAL', 'CRITICAL', 'MINOR', 'MAJOR'], taskIds: [1, 2] }],
  ['tasks/history', { controllerId: 'controller', jobs: [{ workflowPath: '/a', job: 'load' }], historyIds: [{ historyId: 3, position: '0' }] }],
  ['orders/history', { controllerId: '', orders: [{ workflowPath: '/a', orderId: 'x' }], historyIds: [5], completedDateTo: '0' }],
  ['daily_plan/orders/summary', { dailyPlanDateFrom: TODAY, states: ['PLANNED', 'SUBMITTED', 'FINISHED'], late: true }],
  ['jocs', { onlyApiServer: true }],
  ['joc/versions', { controllerIds: ['controller'], agentIds: ['controller-agent-1'] }],
  ['controllers', {}],
  ['controller/components', { controllerId: 'nope' }, 420],
];

/** Bodies both the simulator (420 JOC-420) and JOC's request schema reject. */
export const JS7_INVALID_BODIES: Array<[string, unknown]> = [
  ['orders/overview/snapshot', {}],
  ['orders', { controllerId: 'controller', states: ['DONE'] }],
  ['orders', { controllerId: 'controller', stateDateFrom: 'yesterday' }],
  ['orders', { controllerId: 'controller', orderTags: [''] }],
  ['workflows', {}],
  ['workflows', { controllerId: 'a/b' }],
  ['workflows', { controllerId: 'controller', states: ['SYNC'] }],
  ['workflows', { controllerId: 'controller', folders: [{ recursive: true }] }],
  ['workflows', { controllerId: 'controller', workflowIds: [{ versionId: 'v' }] }],
  ['workflows/overview/snapshot', {}],
  ['workflows/overview/snapshot', { controllerId: '' }],
  ['workflows/order_count', { controllerId: 'controller' }],
  ['agents', { controllerId: 'x'.repeat(101) }],
  ['agents', { controllerId: 'controller', states: ['RUNNING'] }],
  ['agents', { controllerId: 'controller', agentIds: ['<script>'] }],
  ['controller/components', {}],
  ['controller/components', { controllerId: 'a:b' }],
  ['controller', {}],
  ['controllers', { controllerId: 'a|b' }],
  ['tasks/history', { dateFrom: 'yesterday' }],
  ['tasks/history', { historyStates: ['DONE'] }],
  ['tasks/history', { criticalities: ['LOW'] }],
  ['tasks/history', { jobs: [{ job: 'x' }] }],
  ['tasks/history', { historyIds: [{ historyId: 1 }] }],
  ['orders/history', { completedDateFrom: 'now' }],
  ['orders/history', { orders: [{ orderId: 'x' }] }],
  ['orders/overview/summary', { controllerId: 'a?' }],
  ['jobs/overview/summary', { dateFrom: '1 hour' }],
  ['daily_plan/orders/summary', {}],
  ['daily_plan/orders/summary', { dailyPlanDateFrom: TODAY, states: ['LATE'] }],
  ['joc/versions', { controllerIds: ['<b>'] }],
];
