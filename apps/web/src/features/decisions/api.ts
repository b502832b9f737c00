import { deadlineItem, pageOf } from '@tiaki/domain';
import { api, query } from '../../api/client.ts';

export type BoardView = 'all' | 'due_soon' | 'overdue';

export const decisionsApi = {
  /** One page of pending decisions, sorted and filtered by the server. */
  board: (params: Record<string, string | number | undefined>) =>
    api.get(`/api/decisions/board${query(params)}`, pageOf(deadlineItem)),
};
