import { createJs7Collectors, ordersOverview } from '../collectors/js7';
import { DEFAULT_JS7_ORDER_STATES, type ControllerConfig, type Js7JocConfig } from '../config/types';
import { JocApiJs7 } from '../joc/js7/api';
import { SESSION_PATHS_JS7 } from '../joc/session';
import type { ApiFlavour } from './types';

/**
 * The JOC's version, from the first source that has it (CONTRACT §7.1): `joc/version` (2.7.2+),
 * else `jocVersion` of `joc/versions` (2.4.1+), else the Controllers' version (every 2.x lists it
 * in `controllers`; JOC and its Controllers are released together). `unknown` when none answers;
 * it never throws.
 */
export async function js7Version(api: JocApiJs7): Promise<string> {
  const sources: Array<() => Promise<string | undefined>> = [
    async () => (await api.jocVersion()).version,
    async () => (await api.jocVersions()).jocVersion,
    async () => (await api.controllers()).controllers.find((c) => c.version)?.version,
  ];
  for (const source of sources) {
    try {
      const version = await source();
      if (version && version !== 'unknown') return version;
    } catch {
      // An older JOC lacks the endpoint, or the account may not read it: try the next source.
    }
  }
  return 'unknown';
}

/** JS7, JOC Cockpit 2.x (`apiVersion: js7`; CONTRACT §7; JS7-NOTES). */
export const JS7_FLAVOUR: ApiFlavour<Js7JocConfig, JocApiJs7, ControllerConfig> = {
  session: SESSION_PATHS_JS7,
  plan: (config, caller, logger) => {
    const api = new JocApiJs7(caller);
    return {
      flavour: 'js7',
      api,
      beginPoll: () => api.beginPoll(),
      configured: config.controllers,
      discover: async () => {
        const answer = await api.controllerIds();
        return [...new Set(answer.controllerIds)].map((id) => ({ id, orderStates: DEFAULT_JS7_ORDER_STATES, workflows: [] }));
      },
      collectors: createJs7Collectors(config, logger),
      upCollector: ordersOverview.name,
      version: js7Version,
    };
  },
};
