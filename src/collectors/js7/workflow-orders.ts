import type { Js7OrdersAnswer } from '../../joc/js7/answers';
import { normaliseEnum } from '../../joc/enums';
import { JS7_ORDER_STATE_FILTER_OF, JS7_ORDER_STATE_TEXTS, type Js7OrderStateFilter } from '../../joc/js7/enums';
import { WORKFLOW_ORDERS, type Sample } from '../../metrics/families';
import { stateLabel } from '../labels';
import { baseLabels } from '../types';
import type { Js7Collector } from './collector';

/** The `orderStates` filter value an order's `state._text` counts under, if any. */
export function js7OrderFilterOf(text: string): Js7OrderStateFilter | undefined {
  const known = normaliseEnum(JS7_ORDER_STATE_TEXTS, text);
  return known ? JS7_ORDER_STATE_FILTER_OF[known] : undefined;
}

/**
 * `jobscheduler_workflow_orders{workflow, state}`: one compact `orders` call filtered by the
 * configured `orderStates`, counted per `workflowId.path` and state. The path is the workflow's
 * inventory path whatever the version the order runs in (JOC maps every version to it), so the
 * orders of old versions still running are summed under the one path. The configured workflows
 * are always present with zeros (the poller drops those JOC does not know); other workflows
 * appear while they hold such orders.
 */
export const workflowOrders: Js7Collector<Js7OrdersAnswer> = {
  name: 'workflow-orders',
  endpoint: 'orders',
  enabled: (scope) => scope.scheduler.orderStates.length > 0,
  fetch: (api, scope) => api.orders(scope.scheduler.id, scope.scheduler.orderStates),
  toSamples(answer, scope) {
    const states = scope.scheduler.orderStates;
    const counts = new Map<string, Map<Js7OrderStateFilter, number>>();
    for (const workflow of scope.scheduler.workflows) counts.set(workflow, new Map());
    // A handful of distinct state texts over tens of thousands of orders: each is looked up once.
    const filters = new Map<string, Js7OrderStateFilter | null>();
    for (const order of answer.orders) {
      const text = order.state._text;
      let filter = filters.get(text);
      if (filter === undefined) {
        const found = js7OrderFilterOf(text);
        filter = found && states.includes(found) ? found : null;
        filters.set(text, filter);
      }
      if (filter === null) continue;
      const path = order.workflowId.path;
      let perWorkflow = counts.get(path);
      if (!perWorkflow) {
        perWorkflow = new Map();
        counts.set(path, perWorkflow);
      }
      perWorkflow.set(filter, (perWorkflow.get(filter) ?? 0) + 1);
    }
    const labels = baseLabels(scope);
    const samples: Sample[] = [];
    for (const [workflow, perWorkflow] of counts) {
      for (const state of states) {
        samples.push({ family: WORKFLOW_ORDERS, labels: { ...labels, workflow, state: stateLabel(state) }, value: perWorkflow.get(state) ?? 0 });
      }
    }
    return samples;
  },
};
