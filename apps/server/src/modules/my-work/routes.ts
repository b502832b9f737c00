import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { apiError, myWork } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { myWork as myWorkOf } from './service.ts';

export function myWorkRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/my-work', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'myWork',
      summary: 'My work queue',
      description:
        "The signed-in person's own work, overdue first: referrals assigned to them for triage, identification decisions assigned to them and panels waiting for their view, goals due on cases whose team they are on, conference actions given to them, service referrals they sent that await an answer, and (for a service provider) referrals sent to their organisation to answer. Only records the access gate lets them see; references and New Zealand dates, never a child's name or narrative. Also the number of unread reminders and, for decision makers, of pending decisions assigned to nobody.",
      response: { 200: myWork, 401: apiError },
    },
    handler: async (request) => myWorkOf(ctx, requireAuth(request)),
  });
}
