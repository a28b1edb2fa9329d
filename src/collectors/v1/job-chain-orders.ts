import type { OrdersAnswer } from '../../joc/v1/answers';
import { normaliseEnum } from '../../joc/enums';
import { ORDER_STATE_CATEGORY, ORDER_STATE_FILTERS, ORDER_STATE_TEXTS, type OrderStateFilter } from '../../joc/v1/enums';
import { JOB_CHAIN_ORDERS, type Sample } from '../../metrics/families';
import { stateLabel } from '../labels';
import { baseLabels } from '../types';
import type { V1Collector } from './collector';

/**
 * The filter category of an order's `processingState._text` (NOTES §5.1): `WAITING_FOR_LOCK`
 * counts as WAITINGFORRESOURCE, and so on. A category name itself is accepted too.
 */
export function orderCategory(text: string): OrderStateFilter | undefined {
  const known = normaliseEnum(ORDER_STATE_TEXTS, text);
  return known ? ORDER_STATE_CATEGORY[known] : normaliseEnum(ORDER_STATE_FILTERS, text);
}

/**
 * `jobscheduler_job_chain_orders{job_chain, state}`: one `/orders` call filtered by the
 * configured `orderStates`, counted per job chain and category. The configured job chains are
 * always present with zeros; other job chains appear while they hold such orders.
 */
export const jobChainOrders: V1Collector<OrdersAnswer> = {
  name: 'job-chain-orders',
  endpoint: 'orders',
  enabled: (scope) => scope.scheduler.orderStates.length > 0,
  fetch: (api, scope) => api.orders(scope.scheduler.id, scope.scheduler.orderStates),
  toSamples(answer, scope) {
    const states = scope.scheduler.orderStates;
    const counts = new Map<string, Map<OrderStateFilter, number>>();
    for (const chain of scope.scheduler.jobChains) counts.set(chain, new Map());
    // A handful of distinct state texts over up to 100,000 orders: each is looked up once.
    const categories = new Map<string, OrderStateFilter | null>();
    for (const order of answer.orders) {
      const text = order.processingState._text;
      let category = categories.get(text);
      if (category === undefined) {
        const found = orderCategory(text);
        category = found && states.includes(found) ? found : null;
        categories.set(text, category);
      }
      if (category === null) continue;
      const perChain = counts.get(order.jobChain) ?? new Map<OrderStateFilter, number>();
      counts.set(order.jobChain, perChain);
      perChain.set(category, (perChain.get(category) ?? 0) + 1);
    }
    const labels = baseLabels(scope);
    const samples: Sample[] = [];
    for (const [chain, perChain] of counts) {
      for (const state of states) {
        samples.push({
          family: JOB_CHAIN_ORDERS,
          labels: { ...labels, job_chain: chain, state: stateLabel(state) },
          value: perChain.get(state) ?? 0,
        });
      }
    }
    return samples;
  },
};
