import type { Js7OrdersSnapshotAnswer } from '../../joc/js7/answers';
import { JS7_ORDERS_SUMMARY_KEYS } from '../../joc/js7/enums';
import { ORDERS } from '../../metrics/families';
import { countSamples } from '../labels';
import { baseLabels } from '../types';
import type { Js7Collector } from './collector';

/**
 * `jobscheduler_orders{state}` from `orders/overview/snapshot`: JS7's ten buckets (`pending`,
 * `scheduled`, `in_progress`, `running`, `prompting`, `suspended`, `waiting`, `blocked`, `failed`,
 * `terminated`), zeros included since JOC omits null counts. Its success decides `jobscheduler_up`:
 * a Controller that JOC cannot reach fails this request (420 JOC-402 or 434).
 */
export const ordersOverview: Js7Collector<Js7OrdersSnapshotAnswer> = {
  name: 'orders-overview',
  endpoint: 'orders/overview/snapshot',
  enabled: () => true,
  fetch: (api, scope) => api.ordersSnapshot(scope.scheduler.id),
  toSamples: (answer, scope) => countSamples(ORDERS, baseLabels(scope), JS7_ORDERS_SUMMARY_KEYS, answer.orders),
};
