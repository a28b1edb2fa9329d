import type { ComponentsAnswer } from '../../joc/js7/answers';
import {
  CLUSTER_NODE_STATES,
  CLUSTER_STATE_PREFIX,
  CLUSTER_STATE_TYPES,
  COMPONENT_STATES,
  CONNECTION_STATES,
} from '../../joc/js7/enums';
import {
  CONTROLLER_CLUSTER_NODE_STATE,
  CONTROLLER_CLUSTER_STATE,
  CONTROLLER_COMPONENT_STATE,
  CONTROLLER_CONNECTION_STATE,
  type Sample,
} from '../../metrics/families';
import { oneHot, stateLabel } from '../labels';
import { baseLabels } from '../types';
import type { Js7Collector } from './collector';

/** A cluster state's type without JOC's `Cluster` prefix: `ClusterNodeLossToBeConfirmed` → `NodeLossToBeConfirmed`. */
export function clusterStateType(text: string): string {
  return text.startsWith(CLUSTER_STATE_PREFIX) ? text.slice(CLUSTER_STATE_PREFIX.length) : text;
}

/**
 * From one `controller/components` call of a Controller ID: per Controller instance (`url`,
 * `role`) `jobscheduler_controller_component_state` and `..._connection_state`, and for the
 * instances of a cluster `..._cluster_node_state` and the cluster's
 * `jobscheduler_controller_cluster_state`. A Controller that JOC cannot reach is still a 200
 * answer, with `unreachable` and `unknown` states (JS7-NOTES §2.2). A standalone Controller has no
 * cluster series: JOC reports `ClusterUnknown` for it, which would read as a broken cluster.
 */
export const controllers: Js7Collector<ComponentsAnswer> = {
  name: 'controllers',
  endpoint: 'controller/components',
  enabled: () => true,
  fetch: (api, scope) => api.components(scope.scheduler.id),
  toSamples(answer, scope) {
    const labels = baseLabels(scope);
    const samples: Sample[] = [];
    const seen = new Set<string>();
    const own = answer.controllers.filter((c) => c.controllerId === scope.scheduler.id);
    const cluster = own.length > 0 && own.every((c) => stateLabel(c.role) !== 'standalone');
    for (const controller of own) {
      if (seen.has(controller.url)) continue;
      seen.add(controller.url);
      const instance = { ...labels, url: controller.url, role: stateLabel(controller.role) };
      samples.push(...oneHot(CONTROLLER_COMPONENT_STATE, instance, COMPONENT_STATES, controller.componentState?._text ?? 'unknown'));
      samples.push(...oneHot(CONTROLLER_CONNECTION_STATE, instance, CONNECTION_STATES, controller.connectionState?._text ?? 'unknown'));
      if (cluster) {
        samples.push(...oneHot(CONTROLLER_CLUSTER_NODE_STATE, instance, CLUSTER_NODE_STATES, controller.clusterNodeState?._text ?? 'unknown'));
      }
    }
    if (cluster) {
      const type = clusterStateType(answer.clusterState?._text ?? 'ClusterUnknown');
      samples.push(...oneHot(CONTROLLER_CLUSTER_STATE, labels, CLUSTER_STATE_TYPES, type));
    }
    return samples;
  },
};
