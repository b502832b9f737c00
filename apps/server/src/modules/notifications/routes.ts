import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, emptyBody, idParams, notificationItem, ok } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { listNotifications, markRead } from './service.ts';

export function notificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];

  r.get('/api/notifications', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'My reminders, newest first',
      response: { 200: z.object({ notifications: z.array(notificationItem) }), 401: apiError },
    },
    handler: async (request) => ({ notifications: await listNotifications(ctx, requireAuth(request)) }),
  });

  r.post('/api/notifications/:id/read', {
    config: { access: 'signed-in' },
    schema: {
      tags,
      summary: 'Mark one of my reminders as read',
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
