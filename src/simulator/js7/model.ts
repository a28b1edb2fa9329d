/**
 * The live model of the JS7 simulator: a JOC Cockpit cluster, its database, and per Controller ID
 * the Controller instances (standalone, or a primary and a backup with a cluster state), the
 * deployed workflows (current and old versions), the orders, the Agents (standalone and cluster
 * Agents with Subagents), the reporting database's task and order history, and the daily plan.
 * The answers (answers-*.ts) are derived from it on every request, so a test may change any of it
 * and the next answer shows the change. Times are epoch milliseconds.
 */

/** The cluster state type of the engine; JOC shows it as "Cluster" + type (JS7-NOTES §2.2). */
export const CLUSTER_STATE_TYPES = [
  'Coupled', 'FailedOver', 'SwitchedOver', 'PassiveLost', 'NodesAppointed', 'ActiveShutDown', 'PreparedToBeCoupled',
  'ActiveNodeIsNotReady', 'NodeLossToBeConfirmed', 'FailoverToBeConfirmed', 'Empty',
] as const;
export type ClusterStateType = (typeof CLUSTER_STATE_TYPES)[number];

export type ControllerRole = 'STANDALONE' | 'PRIMARY' | 'BACKUP';

/** JOC's connection to a Controller ID: 'refused' and 'reset' as in JOC's exceptions (JS7-NOTES §0.1, §2.4). */
export type ControllerConnection = 'ok' | 'refused' | 'reset';

export interface ControllerNode {
  /** JOC's database id of the instance. */
  id: number;
  role: ControllerRole;
  url: string;
  host: string;
  /** The cluster's active node (a standalone Controller is always active). */
  active: boolean;
  /** false: JOC cannot reach this instance (the other one may still answer). */
  reachable: boolean;
  startedAt: number;
}

/** Sync states of a workflow (controller/schemas/common/syncStateText). */
export type SyncStateText = 'IN_SYNC' | 'NOT_IN_SYNC' | 'NOT_DEPLOYED' | 'SUSPENDED' | 'OUTSTANDING' | 'UNKNOWN';

export interface WorkflowInventory {
  /** Full inventory path, e.g. /accounting/daily_import. */
  path: string;
  versionId: string;
  versionDate: number;
  /** false for an old version that still holds orders. */
  current: boolean;
  state: SyncStateText;
  title?: string;
  /** Job names, in instruction order. */
  jobs: string[];
}

/** The order states JOC shows (order/orderStateText), as the simulator uses them. */
export type OrderStateText =
  | 'PENDING' | 'SCHEDULED' | 'BLOCKED' | 'INPROGRESS' | 'RUNNING' | 'PROMPTING' | 'SUSPENDED' | 'WAITING' | 'FAILED'
  | 'FINISHED' | 'CANCELLED';

export type WaitingReason =
  | 'DELAYED_AFTER_ERROR' | 'DELAYING_RETRY' | 'FORKED' | 'EXPECTING_NOTICES' | 'WAITING_FOR_LOCK' | 'WAITING_FOR_ADMISSION'
  | 'JOB_PROCESS_LIMIT_REACHED' | 'AGENT_PROCESS_LIMIT_REACHED' | 'WORKFLOW_IS_SUSPENDED' | 'BETWEEN_CYCLES' | 'SLEEPING';

export interface OrderInventory {
  orderId: string;
  workflowPath: string;
  versionId: string;
  state: OrderStateText;
  /** WAITING only. */
  waitingReason?: WaitingReason;
  /** Fresh orders (SCHEDULED, BLOCKED); PENDING orders have none (scheduled "never"). */
  scheduledFor?: number;
  /** The Agent of a RUNNING or INPROGRESS order. */
  agentId?: string;
  /** Index of the job (instruction) the order is at. */
  position: number;
  /** PROMPTING only. */
  question?: string;
}

/** Agent states (agent/agentStateText) as JOC 2.7+ reports them. */
export type AgentStateText = 'COUPLED' | 'RESETTING' | 'INITIALISED' | 'SHUTDOWN' | 'UNKNOWN';

export interface SubagentInventory {
  subagentId: string;
  url: string;
  state: AgentStateText;
  isDirector: 'NO_DIRECTOR' | 'PRIMARY_DIRECTOR' | 'SECONDARY_DIRECTOR';
  disabled: boolean;
  /** A connection problem: its severity replaces the state's (JS7-NOTES §2.3), its text is the errorMessage. */
  problem?: { severity: number; message: string };
  /** INITIALISED only. */
  reason?: 'FRESH' | 'RESTARTED' | 'RESET';
}

export interface AgentInventory {
  agentId: string;
  agentName: string;
  version: string;
  processLimit?: number;
  disabled: boolean;
  /** Standalone Agents: their URL and state. */
  url?: string;
  state?: AgentStateText;
  reason?: 'FRESH' | 'RESTARTED' | 'RESET';
  problem?: { severity: number; message: string };
  /** Cluster Agents: their Subagents (the health state is derived from them). */
  subagents?: SubagentInventory[];
}

export type HistoryStateText = 'SUCCESSFUL' | 'INCOMPLETE' | 'FAILED';

/** A row of the reporting database's task history; visible from `writtenAt` on. */
export interface TaskHistoryEntry {
  taskId: number;
  workflow: string;
  job: string;
  orderId: string;
  position: number;
  startTime: number;
  /** Absent while the task runs. */
  endTime?: number;
  state: HistoryStateText;
  exitCode?: number;
  errorMessage?: string;
  agentUrl: string;
  criticality: 'NORMAL' | 'MINOR' | 'MAJOR' | 'CRITICAL';
  /** When JOC's history service wrote the row (later than startTime for late rows). */
  writtenAt: number;
}

/** A row of the order history (main orders); visible from `writtenAt` on. */
export interface OrderHistoryEntry {
  historyId: number;
  orderId: string;
  workflow: string;
  plannedTime: number;
  startTime: number;
  endTime?: number;
  state: HistoryStateText;
  /** The order's state at its last history event. */
  orderState: OrderStateText;
  position: number;
  writtenAt: number;
}

export type DailyPlanState = 'PLANNED' | 'SUBMITTED' | 'FINISHED';

export interface PlannedOrder {
  orderId: string;
  workflowPath: string;
  schedulePath: string;
  /** "YYYY-MM-DD" (UTC). */
  dailyPlanDate: string;
  plannedStart: number;
  state: DailyPlanState;
  /** A submitted order that has begun; a submitted order past its planned start that has not is late. */
  started: boolean;
}

export interface ControllerInventory {
  controllerId: string;
  title: string;
  version: string;
  /** One STANDALONE node, or a PRIMARY and a BACKUP. */
  nodes: ControllerNode[];
  /** Cluster Controllers only. */
  clusterState?: ClusterStateType;
  /** The node lost in NodeLossToBeConfirmed / FailoverToBeConfirmed (its URL). */
  lossNode?: string;
  connection: ControllerConnection;
  workflows: WorkflowInventory[];
  orders: OrderInventory[];
  agents: AgentInventory[];
  taskHistory: TaskHistoryEntry[];
  orderHistory: OrderHistoryEntry[];
  dailyPlan: PlannedOrder[];
}

export interface JocMember {
  /** "<clusterId>#<ordering>" */
  instanceId: string;
  memberId: string;
  id: number;
  title: string;
  host: string;
  url: string;
  startedAt: number;
  /** The active JOC cluster member. */
  active: boolean;
  /** The instance the simulator answers as. */
  current: boolean;
  /** Age of the last heartbeat in ms at any moment (JS7-NOTES §2.2: ≤ 31 s established). */
  heartbeatAgeMs: number;
  isApiServer: boolean;
}

export interface Js7Inventory {
  jocs: JocMember[];
  database: { dbms: string; version: string };
  controllers: ControllerInventory[];
  /** Source of ids for tasks, history rows and orders. */
  nextId: number;
}

export function findController(inventory: Js7Inventory, controllerId: string): ControllerInventory | undefined {
  return inventory.controllers.find((c) => c.controllerId === controllerId);
}

export function activeNode(controller: ControllerInventory): ControllerNode | undefined {
  return controller.nodes.find((n) => n.active) ?? controller.nodes[0];
}

export function isCluster(controller: ControllerInventory): boolean {
  return controller.nodes.length > 1;
}

export function nextId(inventory: Js7Inventory): number {
  inventory.nextId += 1;
  return inventory.nextId;
}

/** "YYYY-MM-DD" of `ms` in UTC. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
