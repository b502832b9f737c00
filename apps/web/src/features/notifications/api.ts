import { notificationItem, ok } from '@tiaki/domain';
import { api, listOf } from '../../api/client.ts';

export const notificationsApi = {
  list: () => api.get('/api/notifications', listOf('notifications', notificationItem)),
  markRead: (id: string) => api.post(`/api/notifications/${encodeURIComponent(id)}/read`, ok, {}),
};
