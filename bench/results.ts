/** What one bench row (one inventory size) measures: the row process (row.ts) sends it to main.ts. */
import type { MemoryReading, PollTimes, Requests } from './poll';
import type { ScrapeRun } from './scrape';
import type { Size } from './sizes';

export interface RowPlan {
  readonly size: Size;
  /** Polls before the first memory reading; the first logs in. */
  readonly warmupPolls: number;
  /** Timed polls, after which memory is read again. */
  readonly polls: number;
  readonly scrape: { readonly connections: number; readonly seconds: number; readonly warmupSeconds: number };
}

export interface RowResult {
  readonly size: Size;
  readonly inventory: {
    readonly jobs: number;
    readonly jobChains: number;
    readonly orders: number;
    readonly orderStates: readonly string[];
    /** Orders in the `/orders` answer, and its bytes. */
    readonly ordersAnswered: number;
    readonly ordersAnswerBytes: number;
  };
  /** /metrics as a scraper without Accept header gets it (text 0.0.4, process metrics included). */
  readonly exposition: { readonly series: number; readonly bytes: number };
  /** Of one poll, one JobScheduler. */
  readonly requests: Requests;
  readonly polls: PollTimes & { readonly simulatorCpuMsPerPoll: number };
  readonly memory: {
    readonly warmupPolls: number;
    /** Polls between the two readings (the timed ones and the one that counts requests). */
    readonly polls: number;
    readonly afterWarmup: MemoryReading;
    /** After half of the timed polls: growth from here on is not warm-up. */
    readonly midway: MemoryReading;
    readonly afterPolls: MemoryReading;
  };
  readonly scrape: readonly ScrapeRun[];
}
