import type { Cockpit } from '../../joc/js7/answers';
import { JOC_MEMBER_STATES } from '../../joc/js7/enums';
import { JOC_MEMBER_STATE } from '../../metrics/families';
import { oneHot } from '../labels';
import type { Js7Collector } from './collector';

/**
 * A member's state: `unknown` when JOC has lost its heartbeat (connection `unknown`), else its
 * `clusterNodeState` (`active` or `inactive`), which JOC omits when it runs without a cluster:
 * then its one member is `active`.
 */
export function memberState(member: Cockpit, clustered: boolean): string {
  if (member.connectionState?._text.toLowerCase() === 'unknown') return 'unknown';
  if (member.clusterNodeState) return member.clusterNodeState._text;
  return clustered ? 'unknown' : 'active';
}

/**
 * `jobscheduler_joc_member_state{member, url, state}` per JOC Cockpit cluster member (`member` =
 * its `memberId`), from `jocs`, or on a JOC before 2.5.4 from the `jocs` list of
 * `controller/components` (the same objects; logged once). API server instances take no part in
 * the cluster and are left out. Asked once per poll, not per Controller ID.
 */
export const jocMembers: Js7Collector<readonly Cockpit[]> = {
  name: 'joc-members',
  endpoint: 'jocs',
  enabled: () => true,
  perJoc: true,
  fetch: (api, scope) => api.jocMembers(scope.scheduler.id),
  toSamples(answer, scope) {
    const members = answer.filter((m) => m.isApiServer !== true);
    const clustered = members.length > 1 || members.some((m) => m.clusterNodeState !== undefined);
    const seen = new Set<string>();
    return members.flatMap((member) => {
      if (seen.has(member.memberId)) return [];
      seen.add(member.memberId);
      const labels = { joc: scope.joc, member: member.memberId, url: member.url ?? '' };
      return oneHot(JOC_MEMBER_STATE, labels, JOC_MEMBER_STATES, memberState(member, clustered));
    });
  },
};
