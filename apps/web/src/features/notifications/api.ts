import { z } from 'zod';
import { notificationPage, ok } from '@tiaki/domain';
import { api, query } from '../../api/client.ts';

export const notificationsApi = {
  /** A page of my reminders (newest first unless sorted otherwise), with how many are unread. */
  list: (params: Record<string, string | number | undefined> = {}) =>
    api.get(`/api/notifications${query(params)}`, notificationPage),
  /** Marks all my unread reminders read; how many were marked. */
  markAllRead: () => api.post('/api/notifications/read-all', z.object({ marked: z.number() }), {}),
  markRead: (id: string) => api.post(`/api/notifications/${encodeURIComponent(id)}/read`, ok, {}),
};
