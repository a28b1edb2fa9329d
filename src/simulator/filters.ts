/**
 * The request filters the simulator honours, typed after the (already validated) bodies, and the
 * folder / regex matching JOC applies to object paths (NOTES §5.1, §5.5, §5.6).
 */
import type { JobChainStateText, OrderStateFilter, OrderType } from '../joc/v1/enums';
import { folderOf } from './inventory';
import { MESSAGES } from './shapes';

export interface FolderFilter {
  folder: string;
  /** Default true. */
  recursive?: boolean;
}

export interface OrdersFilterBody {
  jobschedulerId: string;
  compact?: boolean;
  orders?: { jobChain: string; orderId?: string }[];
  excludeOrders?: { jobChain: string; orderId?: string }[];
  processingStates?: OrderStateFilter[];
  types?: OrderType[];
  folders?: FolderFilter[];
  regex?: string;
  runTimeIsTemporary?: boolean;
}

export interface JobChainsFilterBody {
  jobschedulerId: string;
  compact?: boolean;
  jobChains?: { jobChain: string }[];
  folders?: FolderFilter[];
  regex?: string;
  states?: JobChainStateText[];
  maxOrders?: number;
  job?: { regex?: string; folders?: FolderFilter[] };
}

export type JobStateFilter = 'PENDING' | 'RUNNING' | 'WAITINGFORRESOURCE' | 'QUEUED' | 'STOPPED';

export interface JobsFilterBody {
  jobschedulerId: string;
  compact?: boolean;
  jobs?: { job: string }[];
  excludeJobs?: { job: string }[];
  orders?: { jobChain: string; orderId?: string; state?: string }[];
  folders?: FolderFilter[];
  regex?: string;
  states?: JobStateFilter[];
  isOrderJob?: boolean;
}

export interface SchedulerIdBody {
  jobschedulerId?: string;
}

/** A request that passed the schema but that JOC still rejects (420). */
export class RequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Is the object at `path` inside one of the folders (recursive by default)? No filter: yes. */
export function inFolders(path: string, folders: readonly FolderFilter[] | undefined): boolean {
  if (!folders || folders.length === 0) return true;
  const parent = folderOf(path);
  return folders.some(({ folder, recursive = true }) => {
    const f = folder.length > 1 ? folder.replace(/\/+$/, '') : folder;
    if (!recursive) return parent === f;
    return f === '/' || parent === f || parent.startsWith(`${f}/`);
  });
}

/** Compiles the `regex` filter; a pattern JS cannot compile is JOC's PatternSyntaxException (420). */
export function pathRegex(regex: string | undefined): RegExp | undefined {
  if (regex === undefined || regex === '') return undefined;
  try {
    return new RegExp(regex);
  } catch (e) {
    throw new RequestError('JOC-420', MESSAGES.badRegex((e as Error).message));
  }
}

export function matches(re: RegExp | undefined, path: string): boolean {
  return re === undefined || re.test(path);
}
