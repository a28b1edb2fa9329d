import { ORDERS_SUMMARY_KEYS } from '../../joc/v1/enums';
import type { OrdersSnapshotAnswer } from '../../joc/v1/answers';
import { ORDERS } from '../../metrics/families';
import { countSamples } from '../labels';
import { baseLabels } from '../types';
import type { V1Collector } from './collector';

/**
 * `jobscheduler_orders{state}` from `orders/overview/snapshot`: all six states, zeros included
 * (JOC omits zero counts, and omits `orders` entirely when folder permissions leave nothing).
 * Its success decides `jobscheduler_up`.
 */
export const ordersOverview: V1Collector<OrdersSnapshotAnswer> = {
  name: 'orders-overview',
  endpoint: 'orders/overview/snapshot',
  enabled: () => true,
  fetch: (api, scope) => api.ordersSnapshot(scope.scheduler.id),
  toSamples: (answer, scope) => countSamples(ORDERS, baseLabels(scope), ORDERS_SUMMARY_KEYS, answer.orders),
};
