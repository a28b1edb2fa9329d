import type { ControllerConfig, Js7JocConfig } from '../../config/types';
import type { JocApiJs7 } from '../../joc/js7/api';
import type { Logger } from '../../logger';
import { runnable, type RunnableCollector } from '../types';
import { controllers } from './controllers';
import { jocMembers } from './joc-members';
import { ordersOverview } from './orders-overview';
import { workflowOrders } from './workflow-orders';
import { workflows } from './workflows';
import { workflowsOverview } from './workflows-overview';
import { js7Agents, js7DailyPlan, js7History } from './outcomes';

export { controllers, jocMembers, ordersOverview, workflowOrders, workflows, workflowsOverview };

/**
 * The collectors of one JS7 JOC Cockpit instance (CONTRACT §7.2), run for each Controller ID, one
 * request each at most: six per Controller ID and poll, whatever the number of workflows and
 * orders (joc-members only with the first). Called once per JOC, so a collector may keep state.
 */
export function createJs7Collectors(config: Js7JocConfig, logger: Logger): RunnableCollector<JocApiJs7, ControllerConfig>[] {
  return [
    runnable(ordersOverview),
    runnable(workflowOrders),
    runnable(workflows),
    runnable(workflowsOverview),
    runnable(controllers),
    runnable(jocMembers),
    // CONTRACT §8, counted apart: the history (a window and a look-up per kind), Agents, the plan
    runnable(js7History(config, logger)),
    runnable(js7Agents(config, logger)),
    runnable(js7DailyPlan(config, logger)),
  ];
}
