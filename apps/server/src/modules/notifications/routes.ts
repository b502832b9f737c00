import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, emptyBody, idParams, notificationListQuery, notificationPage, ok } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { listNotifications, markAllRead, markRead } from './service.ts';

export function notificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/notifications', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listNotifications',
      summary: 'My reminders, newest first, a page at a time',
      description:
        "The signed-in person's own in-app notifications (deadline reminders, assignments), newest first unless sorted otherwise, read or not (or only unread), one page at a time, with how many are unread. A notification names a case reference, never a child.",
      querystring: notificationListQuery,
      response: { 200: notificationPage, 400: apiError, 401: apiError },
    },
    handler: async (request) => listNotifications(ctx, requireAuth(request), request.query),
  });

  r.post('/api/notifications/read-all', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'markAllNotificationsRead',
      summary: 'Mark all my reminders as read',
      description:
        "Marks every unread notification of the signed-in person as read, and answers how many were marked. Nobody else's notifications are touched.",
      body: emptyBody,
      response: { 200: z.object({ marked: z.number().int() }), 401: apiError },
    },
    handler: async (request) => ({ marked: await markAllRead(ctx, requireAuth(request)) }),
  });

  r.post('/api/notifications/:id/read', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'markNotificationRead',
      summary: 'Mark one of my reminders as read',
      description:
        "Marks one of the signed-in person's own notifications as read. Someone else's notification answers 404.",
      params: idParams,
      body: emptyBody,
      response: { 200: ok, 401: apiError, 404: apiError },
    },
    handler: async (request) => {
      await markRead(ctx, requireAuth(request), request.params.id);
      return { ok: true as const };
    },
  });
}
