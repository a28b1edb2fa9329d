import type { WorkflowsSummary } from '../../joc/js7/api';
import type { WorkflowsAnswer } from '../../joc/js7/answers';
import { normaliseEnum } from '../../joc/enums';
import { WORKFLOW_SYNC_STATES, WORKFLOWS_SUMMARY_KEY_OF, WORKFLOWS_SUMMARY_KEYS } from '../../joc/js7/enums';
import { WORKFLOWS } from '../../metrics/families';
import { stateLabel } from '../labels';
import { baseLabels } from '../types';
import type { Js7Collector } from './collector';
import { currentVersions } from './workflows';

/**
 * The counts of `workflows/overview/snapshot` derived from a `workflows` list, for a JOC before
 * 2.7.3: each workflow's current version counted by its state, NOT_DEPLOYED and UNKNOWN not at all
 * (JS7-NOTES §2.6).
 */
export function summariseWorkflows(answer: WorkflowsAnswer): WorkflowsSummary {
  const summary = { synchronized: 0, notSynchronized: 0, suspended: 0, outstanding: 0 };
  for (const workflow of currentVersions(answer.workflows).values()) {
    const state = normaliseEnum(WORKFLOW_SYNC_STATES, workflow.state?._text ?? '');
    const key = state && WORKFLOWS_SUMMARY_KEY_OF[state];
    if (key) summary[key] += 1;
  }
  return summary;
}

/**
 * `jobscheduler_workflows{state}`: workflows by state (`synchronized`, `not_synchronized`,
 * `suspended`, `outstanding`), zeros included, from `workflows/overview/snapshot`, or on a JOC
 * before 2.7.3 from one compact `workflows` call (the same figures; logged once).
 */
export const workflowsOverview: Js7Collector<WorkflowsSummary> = {
  name: 'workflows-overview',
  endpoint: 'workflows/overview/snapshot',
  enabled: () => true,
  fetch: (api, scope) => api.workflowsSummary(scope.scheduler.id, summariseWorkflows),
  toSamples(summary, scope) {
    const labels = baseLabels(scope);
    return WORKFLOWS_SUMMARY_KEYS.map((key) => ({ family: WORKFLOWS, labels: { ...labels, state: stateLabel(key) }, value: summary[key] ?? 0 }));
  },
};
