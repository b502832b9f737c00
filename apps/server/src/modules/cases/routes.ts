import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { triageRoutes } from './triage-routes.ts';

/** The national referral mechanism's workflow: triage, cases and identification decisions. */
export function caseRoutes(app: FastifyInstance, ctx: AppContext): void {
  triageRoutes(app, ctx);
}
