/**
 * The inventories the bench measures, one table column each, and how each becomes simulator
 * generator options. Every configured job and job chain exists in the inventory: as many job
 * chains as configured, each of one job, and as many jobs outside any chain, which are the jobs
 * configured: their states vary more than those of the jobs in chains.
 */
import { ORDER_STATE_FILTERS, type OrderStateFilter } from '../src/joc/v1/enums';
import { DEFAULT_ORDER_STATES } from '../src/config/types';
import type { GeneratorOptions } from '../src/simulator';

export const JOBSCHEDULER_ID = 'scheduler';

/** Every order state a user may configure: the `/orders` answer then holds every order. */
export const ALL_ORDER_STATES: readonly OrderStateFilter[] = ORDER_STATE_FILTERS;

export interface Size {
  readonly name: string;
  /** Jobs and job chains configured, and in the inventory. */
  readonly configured: number;
  /** Orders wanted in the inventory; the generator gives about this many (the row shows how many). */
  readonly orders: number;
  /** orderStates: all six, or the default SUSPENDED, SETBACK, BLACKLIST. */
  readonly allStates: boolean;
}

export const SIZES: readonly Size[] = [
  { name: 'small', configured: 10, orders: 1_000, allStates: false },
  { name: 'medium', configured: 100, orders: 20_000, allStates: false },
  // About 5,000 series: the size of the /metrics latency goal.
  { name: 'medium-5k', configured: 200, orders: 20_000, allStates: false },
  { name: 'large', configured: 1_000, orders: 100_000, allStates: false },
  { name: 'large-all', configured: 1_000, orders: 100_000, allStates: true },
];

export const QUICK_SIZES: readonly string[] = ['small', 'medium'];

/**
 * `--sizes`: a comma-separated list of names of SIZES, or of `JOBS/ORDERS` (`/all` appended for
 * all six order states), e.g. `small,500/50000/all`.
 */
export function parseSizes(text: string): Size[] {
  return text.split(',').map((item) => {
    const name = item.trim();
    const preset = SIZES.find((s) => s.name === name);
    if (preset) return preset;
    const custom = /^(\d+)\/(\d+)(\/all)?$/.exec(name);
    if (!custom) throw new Error(`--sizes: "${name}" is neither one of ${SIZES.map((s) => s.name).join(', ')} nor JOBS/ORDERS[/all]`);
    const configured = Number(custom[1]);
    if (configured < 1) throw new Error(`--sizes: "${name}" configures no job`);
    return { name, configured, orders: Number(custom[2]), allStates: custom[3] !== undefined };
  });
}

export function orderStates(size: Size): readonly OrderStateFilter[] {
  return size.allStates ? ALL_ORDER_STATES : DEFAULT_ORDER_STATES;
}

/**
 * Generator options for `size`. Of the job chains, the generator leaves two without orders
 * (NOT_INITIALIZED, UNDER_CONSTRUCTION) and gives one (INITIALIZED) half as many, so the orders
 * are spread over `configured - 2.5` job chains.
 */
export function inventoryOptions(size: Size): GeneratorOptions {
  const holding = Math.max(1, size.configured - 2.5);
  return {
    seed: 1,
    jobschedulerIds: [JOBSCHEDULER_ID],
    jobChainsPerScheduler: size.configured,
    jobsPerChain: 1,
    ordersPerChain: Math.max(0, Math.round(size.orders / holding)),
    standaloneJobsPerScheduler: size.configured,
  };
}
