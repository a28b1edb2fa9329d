import { createV1Collectors, ordersOverview } from '../collectors/v1';
import { DEFAULT_ORDER_STATES, type JobSchedulerConfig, type V1JocConfig } from '../config/types';
import { SESSION_PATHS_V1 } from '../joc/session';
import { JocApiV1 } from '../joc/v1/api';
import type { ApiFlavour } from './types';

/** JOC Cockpit 1.x (`apiVersion: v1`; CONTRACT §4, §5; NOTES). */
export const V1_FLAVOUR: ApiFlavour<V1JocConfig, JocApiV1, JobSchedulerConfig> = {
  session: SESSION_PATHS_V1,
  plan: (config, caller, logger) => ({
    flavour: 'v1',
    api: new JocApiV1(caller),
    configured: config.jobschedulers,
    discover: async (api) => {
      const answer = await api.jobschedulerIds();
      return [...new Set(answer.jobschedulerIds)].map((id) => ({
        id,
        orderStates: DEFAULT_ORDER_STATES,
        jobChains: [],
        jobs: [],
      }));
    },
    collectors: createV1Collectors(config, logger),
    upCollector: ordersOverview.name,
    // JOC Cockpit 1.x has no resource that tells its own version (NOTES §5): CONTRACT §7.2 says `unknown`.
    version: () => Promise.resolve('unknown'),
  }),
};
