/**
 * A seeded, sized JS7 inventory: a two-member JOC cluster, a standalone Controller and a cluster
 * Controller (primary and backup, Coupled), each with workflows in folders (mostly in sync, some
 * not, suspended, outstanding or not deployed; a few with an old version that still holds orders),
 * orders in every one of the ten snapshot buckets, standalone Agents and a cluster Agent with
 * Subagents, some hours of task and order history, and today's daily plan with late orders. The
 * same seed and sizes give the same inventory (the clock aside).
 */
import { weightedPick } from '../generator';
import { baseName } from '../inventory';
import { createPrng, type Prng } from '../prng';
import {
  nextId, utcDate,
  type AgentInventory, type ControllerInventory, type JocMember, type Js7Inventory, type OrderInventory, type OrderStateText,
  type PlannedOrder, type SyncStateText, type WaitingReason, type WorkflowInventory,
} from './model';
import { endOrder, endTask, startOrderHistory, startTask } from './history';

export interface Js7GeneratorOptions {
  seed?: number;
  /** The generation time (history lies before it, the plan around it). Default Date.now(). */
  now?: number;
  /** Standalone Controller IDs; default ['controller']. */
  standaloneControllers?: string[];
  /** Cluster Controller IDs (primary + backup); default ['controller-ha']. */
  clusterControllers?: string[];
  /** Default 24. */
  workflowsPerController?: number;
  /** Default 300. */
  ordersPerController?: number;
  /** Standalone Agents per Controller, default 3; one cluster Agent with `subagents` Subagents besides. */
  agentsPerController?: number;
  /** Subagents of the cluster Agent, default 3 (0: no cluster Agent). */
  subagents?: number;
  /** JOC cluster members, default 2 (1: a JOC without a cluster). */
  jocMembers?: number;
  /** Ended tasks in the history before `now`, per Controller; default 60. */
  historyPerController?: number;
  /** Daily plan orders of today, per Controller; default 40. */
  plannedPerController?: number;
  /** The engine version of Controllers and Agents; default 2.8.4. */
  engineVersion?: string;
}

const FOLDERS = ['/accounting', '/sales', '/etl/load', '/etl/extract', '/reporting', '/ops/maintenance', '/hr'];
const WORDS = ['daily_import', 'invoice_run', 'nightly_backup', 'ledger_close', 'export', 'reconcile', 'sync', 'cleanup', 'report', 'archive'];
const JOBS = ['extract', 'transform', 'load', 'notify', 'report', 'cleanup', 'check', 'archive'];

/** Buckets and weights of generated orders: every one of the ten snapshot buckets gets orders. */
const ORDER_STATES: ReadonlyArray<[OrderStateText, number]> = [
  ['SCHEDULED', 28], ['PENDING', 4], ['BLOCKED', 3], ['INPROGRESS', 5], ['RUNNING', 16], ['PROMPTING', 2], ['SUSPENDED', 5],
  ['WAITING', 20], ['FAILED', 6], ['FINISHED', 8], ['CANCELLED', 3],
];
const WAITING_REASONS: readonly WaitingReason[] = [
  'DELAYED_AFTER_ERROR', 'DELAYING_RETRY', 'FORKED', 'EXPECTING_NOTICES', 'WAITING_FOR_LOCK', 'WAITING_FOR_ADMISSION',
  'JOB_PROCESS_LIMIT_REACHED', 'BETWEEN_CYCLES', 'SLEEPING',
];
const SYNC_STATES: ReadonlyArray<[SyncStateText, number]> = [
  ['IN_SYNC', 80], ['NOT_IN_SYNC', 6], ['SUSPENDED', 6], ['OUTSTANDING', 3], ['NOT_DEPLOYED', 5],
];

/** A JS7-like version id (a UUID's shape, from the PRNG). */
export function versionId(rng: Prng): string {
  const hex = (n: number): string => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + rng.int(0, 3)).toString(16)}${hex(3)}-${hex(12)}`;
}

export function generateJs7Inventory(options: Js7GeneratorOptions = {}): Js7Inventory {
  const rng = createPrng(options.seed ?? 1);
  const now = options.now ?? Date.now();
  const inventory: Js7Inventory = {
    jocs: jocMembers(options.jocMembers ?? 2, now),
    database: { dbms: 'PostgreSQL', version: '16.4' },
    controllers: [],
    nextId: 1000,
  };
  const version = options.engineVersion ?? '2.8.4';
  const ids = [
    ...(options.standaloneControllers ?? ['controller']).map((id) => ({ id, cluster: false })),
    ...(options.clusterControllers ?? ['controller-ha']).map((id) => ({ id, cluster: true })),
  ];
  ids.forEach(({ id, cluster }, index) => {
    const controller: ControllerInventory = {
      controllerId: id,
      title: cluster ? `${id} (cluster)` : id,
      version,
      nodes: cluster
        ? [
            { id: index * 10 + 1, role: 'PRIMARY', url: `http://${id}-primary.example:4444`, host: `${id}-primary.example`, active: true, reachable: true, startedAt: now - 86_400_000 * 3 },
            { id: index * 10 + 2, role: 'BACKUP', url: `http://${id}-backup.example:4444`, host: `${id}-backup.example`, active: false, reachable: true, startedAt: now - 86_400_000 * 3 },
          ]
        : [{ id: index * 10 + 1, role: 'STANDALONE', url: `http://${id}.example:4444`, host: `${id}.example`, active: true, reachable: true, startedAt: now - 86_400_000 * 5 }],
      connection: 'ok',
      workflows: [],
      orders: [],
      agents: agents(id, options.agentsPerController ?? 3, options.subagents ?? 3, version),
      taskHistory: [],
      orderHistory: [],
      dailyPlan: [],
    };
    if (cluster) controller.clusterState = 'Coupled';
    controller.workflows = workflows(rng, options.workflowsPerController ?? 24, now);
    controller.orders = orders(inventory, controller, rng, options.ordersPerController ?? 300, now);
    history(inventory, controller, rng, options.historyPerController ?? 60, now);
    controller.dailyPlan = dailyPlan(inventory, controller, rng, options.plannedPerController ?? 40, now);
    inventory.controllers.push(controller);
  });
  return inventory;
}

function jocMembers(count: number, now: number): JocMember[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => ({
    instanceId: `joc#${i}`,
    memberId: `joc-${i + 1}.example:/opt/sos-berlin.com/js7/joc`,
    id: i + 1,
    title: `JOC Cockpit ${i + 1}`,
    host: `joc-${i + 1}.example`,
    url: `http://joc-${i + 1}.example:4446`,
    startedAt: now - 86_400_000 * 2,
    active: i === 0,
    current: i === 0,
    heartbeatAgeMs: 5_000 + i * 3_000,
    isApiServer: false,
  }));
}

function agents(controllerId: string, standalone: number, subagents: number, version: string): AgentInventory[] {
  const list: AgentInventory[] = [];
  for (let i = 1; i <= standalone; i++) {
    const agentId = `${controllerId}-agent-${i}`;
    list.push({
      agentId, agentName: `agent-${i}`, version, processLimit: 20, disabled: false,
      url: `http://${agentId}.example:4445`, state: 'COUPLED',
    });
  }
  if (subagents > 0) {
    const agentId = `${controllerId}-agent-cluster`;
    list.push({
      agentId, agentName: 'agent-cluster', version, processLimit: 40, disabled: false,
      subagents: Array.from({ length: subagents }, (_, i) => ({
        subagentId: `${agentId}-sub-${i + 1}`,
        url: `http://${agentId}-sub-${i + 1}.example:4445`,
        state: 'COUPLED' as const,
        isDirector: i === 0 ? 'PRIMARY_DIRECTOR' as const : i === 1 ? 'SECONDARY_DIRECTOR' as const : 'NO_DIRECTOR' as const,
        disabled: false,
      })),
    });
  }
  return list;
}

function workflows(rng: Prng, count: number, now: number): WorkflowInventory[] {
  const list: WorkflowInventory[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    let path = `${FOLDERS[i % FOLDERS.length]}/${WORDS[Math.floor(i / FOLDERS.length) % WORDS.length]}`;
    if (used.has(path)) path = `${path}_${i}`;
    used.add(path);
    const jobs = Array.from({ length: rng.int(1, 4) }, (_, j) => JOBS[(i + j) % JOBS.length]!);
    const state = weightedPick(rng, SYNC_STATES);
    const versionDate = now - rng.int(1, 60) * 86_400_000;
    list.push({ path, versionId: versionId(rng), versionDate, current: true, state, title: `${baseName(path).replace(/_/g, ' ')}`, jobs });
    // About one in eight deployed workflows has an old version that still holds orders.
    if (state !== 'NOT_DEPLOYED' && rng.chance(0.125)) {
      list.push({ path, versionId: versionId(rng), versionDate: versionDate - rng.int(1, 30) * 86_400_000, current: false, state: 'IN_SYNC', jobs });
    }
  }
  // JOC sorts by versionDate, newest first (JS7-NOTES §2.6).
  return list.sort((a, b) => b.versionDate - a.versionDate);
}

/** Makes one order of `workflow` in `state`. */
export function makeOrder(
  inventory: Js7Inventory, controller: ControllerInventory, workflow: WorkflowInventory, state: OrderStateText, rng: Prng, now: number,
): OrderInventory {
  const n = nextId(inventory);
  const order: OrderInventory = {
    orderId: `#${utcDate(now)}#T${String(n).padStart(11, '0')}-${baseName(workflow.path)}`,
    workflowPath: workflow.path,
    versionId: workflow.versionId,
    state,
    position: 0,
  };
  setOrderState(controller, order, state, rng, now);
  // An order met on its way is at any of its jobs.
  if (!['SCHEDULED', 'BLOCKED', 'PENDING'].includes(state)) order.position = rng.int(0, Math.max(0, workflow.jobs.length - 1));
  return order;
}

/** Puts an order into `state` with the fields that state has (fresh orders go back to the first job). */
export function setOrderState(controller: ControllerInventory, order: OrderInventory, state: OrderStateText, rng: Prng, now: number): void {
  order.state = state;
  delete order.waitingReason;
  delete order.scheduledFor;
  delete order.agentId;
  delete order.question;
  switch (state) {
    case 'SCHEDULED':
      order.scheduledFor = now + rng.int(1, 720) * 60_000;
      order.position = 0;
      break;
    case 'BLOCKED':
      order.scheduledFor = now - rng.int(1, 90) * 60_000;
      order.position = 0;
      break;
    case 'PENDING':
      order.position = 0;
      break;
    case 'RUNNING':
    case 'INPROGRESS': {
      const standalone = controller.agents.filter((a) => a.url !== undefined);
      const agent = standalone.length > 0 && rng.chance(0.7) ? rng.pick(standalone) : controller.agents[controller.agents.length - 1];
      if (agent) order.agentId = agent.agentId;
      break;
    }
    case 'WAITING':
      order.waitingReason = rng.pick(WAITING_REASONS);
      break;
    case 'PROMPTING':
      order.question = 'Continue with the next step?';
      break;
    default:
      break;
  }
}

function orders(inventory: Js7Inventory, controller: ControllerInventory, rng: Prng, count: number, now: number): OrderInventory[] {
  const deployed = controller.workflows.filter((w) => w.state !== 'NOT_DEPLOYED');
  if (deployed.length === 0) return [];
  const old = deployed.filter((w) => !w.current);
  const list: OrderInventory[] = [];
  for (let i = 0; i < count; i++) {
    // Every tenth order (and at least one per old version) is on an old version.
    const onOld = old.length > 0 && (i < old.length || rng.chance(0.1));
    const workflow = onOld ? old[i < old.length ? i : rng.int(0, old.length - 1)]! : deployed[rng.int(0, deployed.length - 1)]!;
    // The first ten orders cover the ten buckets, whatever the weights.
    const state = i < ORDER_STATES.length ? ORDER_STATES[i]![0] : weightedPick(rng, ORDER_STATES);
    list.push(makeOrder(inventory, controller, workflow, state, rng, now));
  }
  return list;
}

/** Ended tasks and orders before `now`, some with failures; the RUNNING orders have a task that runs. */
function history(inventory: Js7Inventory, controller: ControllerInventory, rng: Prng, count: number, now: number): void {
  const current = controller.workflows.filter((w) => w.current && w.state !== 'NOT_DEPLOYED');
  for (let i = 0; i < count && current.length > 0; i++) {
    const workflow = rng.pick(current);
    const start = now - rng.int(60, 6 * 3600) * 1000;
    const entry = startOrderHistory(inventory, controller, `#${utcDate(start)}#T${nextId(inventory)}-${baseName(workflow.path)}`, workflow.path, start);
    let t = start;
    let failed = false;
    for (const [position, job] of workflow.jobs.entries()) {
      const task = startTask(inventory, controller, workflow.path, job, entry.orderId, position, t, rng);
      t += rng.int(1, 120) * 1000;
      failed = rng.chance(0.08);
      endTask(task, t, failed, rng);
      if (failed) break;
    }
    endOrder(entry, t, failed);
  }
  for (const order of controller.orders) {
    if (order.state !== 'RUNNING') continue;
    const workflow = controller.workflows.find((w) => w.path === order.workflowPath && w.versionId === order.versionId);
    const job = workflow?.jobs[order.position] ?? 'job';
    const start = now - rng.int(5, 900) * 1000;
    startOrderHistory(inventory, controller, order.orderId, order.workflowPath, start);
    startTask(inventory, controller, order.workflowPath, job, order.orderId, order.position, start, rng);
  }
}

/** Today's plan: finished orders in the past, submitted ones around now (some late), planned ones later (some late). */
export function dailyPlan(inventory: Js7Inventory, controller: ControllerInventory, rng: Prng, count: number, now: number): PlannedOrder[] {
  const date = utcDate(now);
  const dayStart = Date.parse(`${date}T00:00:00.000Z`);
  const current = controller.workflows.filter((w) => w.current && w.state !== 'NOT_DEPLOYED');
  const list: PlannedOrder[] = [];
  for (let i = 0; i < count && current.length > 0; i++) {
    const workflow = current[i % current.length]!;
    const plannedStart = dayStart + Math.floor(((i + 0.5) / count) * 86_400_000);
    let state: PlannedOrder['state'];
    let started = false;
    if (plannedStart < now - 3_600_000) {
      state = rng.chance(0.85) ? 'FINISHED' : rng.chance(0.5) ? 'SUBMITTED' : 'PLANNED';
      started = state === 'FINISHED' || (state === 'SUBMITTED' && rng.chance(0.5));
    } else if (plannedStart < now) {
      state = rng.chance(0.7) ? 'SUBMITTED' : 'PLANNED';
      started = state === 'SUBMITTED' && rng.chance(0.6);
    } else {
      state = plannedStart < now + 6 * 3_600_000 ? 'SUBMITTED' : 'PLANNED';
    }
    list.push({
      orderId: `#${date}#P${String(nextId(inventory)).padStart(11, '0')}-${baseName(workflow.path)}`,
      workflowPath: workflow.path,
      schedulePath: `${workflow.path}_schedule`,
      dailyPlanDate: date,
      plannedStart,
      state,
      started,
    });
  }
  return list;
}
