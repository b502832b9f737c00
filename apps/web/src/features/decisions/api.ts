import { deadlineItem } from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';

export type BoardView = 'all' | 'due_soon' | 'overdue';

export const decisionsApi = {
  board: (view: BoardView, assignee?: 'me' | 'unassigned') =>
    api.get(`/api/decisions/board${query({ view, assignee })}`, listOf('decisions', deadlineItem)),
};
