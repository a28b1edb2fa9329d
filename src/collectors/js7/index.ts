import type { ControllerConfig } from '../../config/types';
import type { JocApiJs7 } from '../../joc/js7/api';
import { runnable, type RunnableCollector } from '../types';
import { controllers } from './controllers';
import { jocMembers } from './joc-members';
import { ordersOverview } from './orders-overview';
import { workflowOrders } from './workflow-orders';
import { workflows } from './workflows';
import { workflowsOverview } from './workflows-overview';

export { controllers, jocMembers, ordersOverview, workflowOrders, workflows, workflowsOverview };

/**
 * The collectors of one JS7 JOC Cockpit instance (CONTRACT §7.2), run for each Controller ID, one
 * request each at most: six per Controller ID and poll, whatever the number of workflows and
 * orders (joc-members only with the first). Called once per JOC, so a collector may keep state.
 */
export function createJs7Collectors(): RunnableCollector<JocApiJs7, ControllerConfig>[] {
  return [
    runnable(ordersOverview),
    runnable(workflowOrders),
    runnable(workflows),
    runnable(workflowsOverview),
    runnable(controllers),
    runnable(jocMembers),
  ];
}
