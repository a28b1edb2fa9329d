import type { RunnableCollector } from '../collectors/types';
import type { ApiVersion, JocConfig, SchedulerConfig } from '../config/types';
import type { JocCaller } from '../joc/caller';
import type { SessionPaths } from '../joc/session';
import type { Logger } from '../logger';

/**
 * What one JOC Cockpit instance of one API flavour is polled with. The poller, the session, the
 * exposition and the server are shared by every flavour; a plan is all that differs.
 */
export interface PollPlan<Api, C extends SchedulerConfig> {
  /** The `api` label of `jobscheduler_joc_info`. */
  readonly flavour: ApiVersion;
  /** The flavour's API client, on the shared JocCaller. */
  readonly api: Api;
  /**
   * Called as each poll starts, before its first request: a flavour whose collectors need the
   * same answer may share it within one poll, never across polls.
   */
  beginPoll?(): void;
  /** The configured schedulers, or null when they are discovered at every poll. */
  readonly configured: readonly C[] | null;
  /** The schedulers the account may see, with default settings (one request). */
  discover(api: Api): Promise<readonly C[]>;
  /** Run for every scheduler, concurrently; created for this JOC alone, so they may keep state. */
  readonly collectors: readonly RunnableCollector<Api, C>[];
  /** The collector whose success is `jobscheduler_up` (the order snapshot). */
  readonly upCollector: string;
  /**
   * The JOC Cockpit's version for `jobscheduler_joc_info`, or `unknown`; never throws. The poller
   * asks once and again only after the JOC was down (an upgrade restarts it).
   */
  version(api: Api): Promise<string>;
}

/** One API flavour: its session endpoints and how a JOC of that flavour is polled. */
export interface ApiFlavour<J extends JocConfig, Api, C extends SchedulerConfig> {
  readonly session: SessionPaths;
  /** `logger` is the JOC's, for collectors that log once (a missing permission, a bound reached). */
  plan(config: J, caller: JocCaller, logger: Logger): PollPlan<Api, C>;
}
