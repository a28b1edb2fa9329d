import type { HistoryEntry, HistorySource } from '../../history';
import type { JocApiJs7 } from '../../joc/js7/api';
import type { OrderHistoryItem, TaskHistoryItem } from '../../joc/js7/answers';
import { parseJocTimestamp } from '../../joc/timestamp';
import { timed, windowDates } from '../history-request';

/**
 * The JS7 adapters of the history engine (JS7-NOTES §2.7): `tasks/history` and `orders/history`
 * with the same start-time windows as 1.x (history-request.ts), look-ups by `taskIds` /
 * `historyIds` (numbers here). Orders are the main orders (the top-level items; their children
 * are not counted, CONTRACT §8.1).
 */

function ended(state: { _text: string }, endTime: string | undefined): { end: number | null; failed: boolean } {
  const end = endTime === undefined ? null : parseJocTimestamp(endTime);
  return { end, failed: end !== null && state._text.toUpperCase() === 'FAILED' };
}

function taskEntry(item: TaskHistoryItem): HistoryEntry {
  const { end, failed } = ended(item.state, item.endTime);
  return {
    id: String(item.taskId),
    series: `${item.workflow}\u0000${item.job}`,
    labels: { workflow: item.workflow, job_name: item.job },
    start: parseJocTimestamp(item.startTime),
    end,
    failed,
    exitCode: end === null ? null : (item.exitCode ?? null),
  };
}

function orderEntry(item: OrderHistoryItem): HistoryEntry {
  const { end, failed } = ended(item.state, item.endTime);
  return {
    id: String(item.historyId),
    series: item.workflow,
    labels: { workflow: item.workflow },
    start: parseJocTimestamp(item.startTime),
    end,
    failed,
    exitCode: null,
  };
}

/** Tasks of one Controller ID. */
export function js7TaskSource(api: JocApiJs7, controllerId: string): HistorySource {
  return {
    async window(query) {
      const { answer, jocTime } = await timed(() => api.tasksHistory({ controllerId, ...windowDates(query) }));
      return { entries: answer.history.map(taskEntry), jocTime };
    },
    async byIds(ids) {
      const answer = await api.tasksHistory({ controllerId, taskIds: ids.map(Number), limit: -1 });
      return answer.history.map(taskEntry);
    },
  };
}

/** Main orders of one Controller ID. */
export function js7OrderSource(api: JocApiJs7, controllerId: string): HistorySource {
  return {
    async window(query) {
      const { answer, jocTime } = await timed(() => api.ordersHistory({ controllerId, ...windowDates(query) }));
      return { entries: answer.history.map(orderEntry), jocTime };
    },
    async byIds(ids) {
      const answer = await api.ordersHistory({ controllerId, historyIds: ids.map(Number), limit: -1 });
      return answer.history.map(orderEntry);
    },
  };
}
