import type { Workflow, WorkflowsAnswer } from '../../joc/js7/answers';
import { WORKFLOW_SYNC_STATES } from '../../joc/js7/enums';
import { WORKFLOW_STATE } from '../../metrics/families';
import { oneHot } from '../labels';
import { baseLabels, missingPaths } from '../types';
import type { Js7Collector } from './collector';

/**
 * One entry per path: the current version, or, for a workflow whose current version is gone
 * while an old one still holds orders, the newest old one (JOC lists versions newest first).
 */
export function currentVersions(workflows: readonly Workflow[]): Map<string, Workflow> {
  const byPath = new Map<string, Workflow>();
  for (const workflow of workflows) {
    const seen = byPath.get(workflow.path);
    if (!seen || (seen.isCurrentVersion === false && workflow.isCurrentVersion !== false)) byPath.set(workflow.path, workflow);
  }
  return byPath;
}

/**
 * `jobscheduler_workflow_state{workflow, state}` for the configured workflows, from one compact
 * `workflows` call with their paths: one-hot over `in_sync`, `not_in_sync`, `not_deployed`,
 * `suspended`, `outstanding`, `unknown` (JOC reports a suspended workflow as SUSPENDED, and one
 * whose suspension some Agents have not confirmed as OUTSTANDING). JOC lists old versions that
 * still hold orders too; only the current version's state counts. A configured workflow the
 * answer does not list is one JOC does not know.
 */
export const workflows: Js7Collector<WorkflowsAnswer> = {
  name: 'workflows',
  endpoint: 'workflows',
  enabled: (scope) => scope.scheduler.workflows.length > 0,
  objects: 'workflow',
  fetch: (api, scope) => api.workflows(scope.scheduler.id, scope.scheduler.workflows),
  toSamples(answer, scope) {
    const labels = baseLabels(scope);
    const configured = new Set(scope.scheduler.workflows);
    return [...currentVersions(answer.workflows)]
      .filter(([path]) => configured.has(path))
      .flatMap(([path, workflow]) =>
        oneHot(WORKFLOW_STATE, { ...labels, workflow: path }, WORKFLOW_SYNC_STATES, workflow.state?._text ?? 'UNKNOWN'),
      );
  },
  missing: (answer, scope) =>
    missingPaths('workflow', scope.scheduler.workflows, answer.workflows.map((workflow) => workflow.path)),
};
