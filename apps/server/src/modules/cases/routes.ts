import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { apiError, caseDetail, caseListQuery, caseSummary, idParams, pageOf } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import * as cases from './service.ts';

/** Cases: the list of cases a person works on, and the whole case record (need to know). */
export function caseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };

  r.get('/api/cases', {
    config: { access: 'cases.read' },
    schema: {
      summary: 'Cases your organisation works on (no names)',
      operationId: 'listCases',
      description:
        "The cases the signed-in person may see (their organisation is on the case team, or they are on it), one page at a time (`page`, `pageSize` up to 100), newest first or sorted by `sort` (opened, due, reference, region, status) and `dir`; filtered by status, `mine` (I am on the team or a pending decision is mine), `overdue` and `dueThisWeek` (the next decision's due date, New Zealand date) and part of a reference (`q`). Each row has its reference, status, region, age band, manifestations, next decision deadline and identification stage; `total` counts every matching row. No child's name is included.",
      querystring: caseListQuery,
      response: { 200: pageOf(caseSummary), 400: apiError, ...denied },
    },
    handler: (request) => cases.listCases(ctx, requireAuth(request), request.query),
  });

  r.get('/api/cases/:id', {
    // Record-level check only: whoever may not see the case is told it does not exist.
    config: { access: 'signed-in' },
    schema: {
      summary: 'The whole case with the child’s details (need to know; every read is audited)',
      operationId: 'getCase',
      description:
        "The whole case: the child's identity and referrals, team, plan, notes, conferences, decisions with their deadlines, service referrals, disclosures and timeline, decrypted only for those with a need to know (the case team's organisations, lead-agency team members and decision makers, or a live break-glass grant). Every read is audited. Answers 404 both when there is no such case and when you may not see it.",
      params: idParams,
      response: { 200: caseDetail, 404: apiError, ...denied },
    },
    handler: (request) => cases.readCase(ctx, requireAuth(request), request.actor, request.params.id),
  });
}
