import type { HistoryEntry, HistorySource } from '../../history';
import type { JocApiV1 } from '../../joc/v1/api';
import { parseJocTimestamp } from '../../joc/timestamp';
import type { OrderHistoryChild, OrderHistoryItem, TaskHistoryItem } from '../../joc/v1/history-answers';
import { timed, windowDates } from '../history-request';

/**
 * The JOC 1.13 adapters of the history engine (V1-HISTORY-NOTES §1.8): the windows of
 * history-request.ts, look-ups by `taskIds` / `historyIds`.
 */

function isFailed(state: { _text: string }): boolean {
  return state._text.toUpperCase() === 'FAILED';
}

function taskEntry(item: TaskHistoryItem): HistoryEntry {
  const end = item.endTime === undefined ? null : parseJocTimestamp(item.endTime);
  return {
    id: item.taskId,
    series: item.job,
    labels: { job_path: item.job },
    start: parseJocTimestamp(item.startTime),
    end,
    failed: end !== null && isFailed(item.state),
    exitCode: end === null ? null : (item.exitCode ?? null),
  };
}

/** Tasks of one JobScheduler id (`tasks/history`). */
export function v1TaskSource(api: JocApiV1, jobschedulerId: string): HistorySource {
  return {
    async window(query) {
      const { answer, jocTime } = await timed(() => api.tasksHistory(jobschedulerId, windowDates(query)));
      return { entries: answer.history.map(taskEntry), jocTime };
    },
    async byIds(ids) {
      const answer = await api.tasksHistory(jobschedulerId, { ids: ids.map(Number) });
      return answer.history.map(taskEntry);
    },
  };
}

function orderEntry(item: OrderHistoryChild): HistoryEntry {
  const end = item.endTime === undefined ? null : parseJocTimestamp(item.endTime);
  return {
    id: item.historyId,
    series: item.jobChain,
    labels: { job_chain: item.jobChain },
    start: parseJocTimestamp(item.startTime),
    end,
    failed: end !== null && isFailed(item.state),
    exitCode: null,
  };
}

/**
 * Orders of one JobScheduler id (`orders/history`), children flattened. JOC returns a child only
 * nested in its parent, so a look-up by id asks for the parents of the children too.
 */
export function v1OrderSource(api: JocApiV1, jobschedulerId: string): HistorySource {
  const flatten = (items: readonly OrderHistoryItem[]): HistoryEntry[] =>
    items.flatMap((item) => [orderEntry(item), ...(item.children ?? []).map(orderEntry)]);
  /** Parent history id per child id seen running (forgotten once it ended). */
  const parents = new Map<string, string>();
  const learn = (items: readonly OrderHistoryItem[]): void => {
    for (const item of items) {
      for (const child of item.children ?? []) {
        if (child.endTime === undefined) parents.set(child.historyId, item.historyId);
        else parents.delete(child.historyId);
      }
    }
  };
  return {
    async window(query) {
      const { answer, jocTime } = await timed(() => api.ordersHistory(jobschedulerId, windowDates(query)));
      learn(answer.history);
      return { entries: flatten(answer.history), jocTime };
    },
    async byIds(ids) {
      const asked = new Set(ids);
      for (const id of ids) {
        const parent = parents.get(id);
        if (parent) asked.add(parent);
      }
      const answer = await api.ordersHistory(jobschedulerId, { ids: [...asked].map(Number) });
      learn(answer.history);
      return flatten(answer.history);
    },
  };
}
