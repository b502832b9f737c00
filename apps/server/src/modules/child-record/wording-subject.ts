import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/errors.ts';
import { caseAccessFor, serviceReferralAccess } from './access.ts';
import { caseOfDecision, serviceReferralForAccess } from './queries.ts';

/**
 * The record a route writes about must exist, for the caller, before its wording is judged: a
 * missing (or unseen) case, decision or service referral answers 404 as it would without the
 * flagged words, never 400 `wording_check`. Checked only when the words would be refused.
 */
export async function requireWordingSubject(db: Db, request: FastifyRequest): Promise<void> {
  const url = request.routeOptions.url ?? '';
  const id = (request.params as { id?: unknown } | undefined)?.id;
  const auth = request.auth;
  if (typeof id !== 'string' || !auth) return;
  if (url.startsWith('/api/cases/:id')) {
    if (!(await caseAccessFor(db, auth, id))) throw notFound('The case');
  } else if (url.startsWith('/api/decisions/:id')) {
    const decision = await caseOfDecision(db, id);
    if (!decision || !(await caseAccessFor(db, auth, decision.case_id))) throw notFound('The decision');
  } else if (url.startsWith('/api/service-referrals/:id')) {
    const row = await serviceReferralForAccess(db, id);
    const access = row ? await serviceReferralAccess(db, auth, row) : null;
    if (!access || (!access.provider && !access.caseAccess)) throw notFound('The service referral');
  }
}
