import { JocPermissionError } from '../joc/errors';
import type { Logger } from '../logger';

/**
 * For an optional group of series (history, Agents, daily plan): a 403 is logged once, naming the
 * JOC permission the exporter's account lacks, and the group's series are left out while the rest
 * is served (CONTRACT §8). The error is thrown on, so the poller leaves the group out.
 */
export function deniedOnce(logger: Logger, group: string, permission: string): (error: unknown) => never {
  let logged = false;
  return (error) => {
    if (error instanceof JocPermissionError && !logged) {
      logged = true;
      logger.warn(
        { group, permission, endpoint: error.endpoint },
        `the exporter's JOC account lacks the permission ${permission}: the ${group} series are left out until it is granted`,
      );
    }
    throw error;
  };
}
