import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { apiError, searchQuery, searchResults } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { search } from './service.ts';

/** One search for a child's records, limited to what the searcher may see. */
export function searchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/search', {
    // Record-level scoping in the service: cases through the access gate, referrals by who may read them.
    config: { access: 'signed-in' },
    schema: {
      summary: 'Find a case or referral by reference, child’s name or date of birth (audited)',
      operationId: 'searchRecords',
      description:
        "Finds the cases and referrals the signed-in person may see by case or referral reference, by the child's name (the same name, or one that sounds alike or is a known other form of it, matched through keyed indexes without decrypting anything) or by date of birth (YYYY-MM-DD or DD/MM/YYYY). Cases are those the access gate lets the person read; referrals those their organisation submitted, or untriaged ones for lead-agency triage staff. No names are returned. Every search is audited with its kind and the number found, never the words searched for. At most 50 results (`truncated` says there were more).",
      querystring: searchQuery,
      response: { 200: searchResults, 400: apiError, 401: apiError, 403: apiError },
    },
    handler: (request) => search(ctx, requireAuth(request), request.actor, request.query.q),
  });
}
