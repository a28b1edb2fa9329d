import type { JocConfig } from '../config/types';
import type { JocCaller } from '../joc/caller';
import type { SessionPaths } from '../joc/session';
import { JocPoller, type JocPollerOptions, type JocPollResult } from '../poller';
import { JS7_FLAVOUR } from './js7';
import { V1_FLAVOUR } from './v1';

export type { ApiFlavour, PollPlan } from './types';
export { JS7_FLAVOUR } from './js7';
export { V1_FLAVOUR } from './v1';

/** What the exporter needs of a JOC's poller, whatever its flavour. */
export interface Poller {
  poll(): Promise<JocPollResult>;
  /** The endpoints of its data calls, one per collector (the series of invalid_answers_total). */
  readonly endpoints: readonly string[];
}

type SharedPollerOptions = Omit<JocPollerOptions<unknown, never>, 'plan' | 'config'>;

/** The session endpoints of a JOC's API flavour. */
export function sessionPaths(config: JocConfig): SessionPaths {
  switch (config.apiVersion) {
    case 'v1':
      return V1_FLAVOUR.session;
    case 'js7':
      return JS7_FLAVOUR.session;
  }
}

/** The poller of one JOC: the shared JocPoller on its flavour's plan. */
export function createPoller(config: JocConfig, caller: JocCaller, options: SharedPollerOptions): Poller {
  switch (config.apiVersion) {
    case 'v1': {
      const plan = V1_FLAVOUR.plan(config, caller, options.logger);
      return new JocPoller({ ...options, config, plan });
    }
    case 'js7': {
      const plan = JS7_FLAVOUR.plan(config, caller, options.logger);
      return new JocPoller({ ...options, config, plan });
    }
  }
}
