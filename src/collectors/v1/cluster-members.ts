import type { ClusterMembersAnswer } from '../../joc/v1/answers';
import { MASTER_STATE_TEXTS } from '../../joc/v1/enums';
import { MASTER_STATE } from '../../metrics/families';
import { oneHot } from '../labels';
import { baseLabels } from '../types';
import type { V1Collector } from './collector';

type Master = ClusterMembersAnswer['masters'][number];

/** The `url` label of a cluster member: its `url`, or `http://host:port` when JOC leaves it out. */
export function masterUrl(master: Master): string {
  if (master.url) return master.url;
  return `http://${master.host ?? 'unknown'}${master.port === undefined ? '' : `:${master.port}`}`;
}

/**
 * `jobscheduler_master_state{url, state}` per cluster member. An unreachable Master is still a
 * 200 answer with state UNREACHABLE (NOTES §5.9). Members of other ids (JOC lists every id when
 * the id is empty) are left out, and a url listed twice counts once.
 */
export const clusterMembers: V1Collector<ClusterMembersAnswer> = {
  name: 'cluster-members',
  endpoint: 'jobscheduler/cluster/members',
  enabled: () => true,
  fetch: (api, scope) => api.clusterMembers(scope.scheduler.id),
  toSamples(answer, scope) {
    const labels = baseLabels(scope);
    const seen = new Set<string>();
    return answer.masters.flatMap((master) => {
      const url = masterUrl(master);
      if (seen.has(url) || (master.jobschedulerId !== undefined && master.jobschedulerId !== scope.scheduler.id)) return [];
      seen.add(url);
      return oneHot(MASTER_STATE, { ...labels, url }, MASTER_STATE_TEXTS, master.state._text);
    });
  },
};
