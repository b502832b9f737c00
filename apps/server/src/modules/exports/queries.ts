import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface ReferralFact {
  referral_id: string;
  received_on: string;
  concern_date: string;
  region: string;
  manifestations: string[];
  contexts: string[];
  status: string;
  referrer_kind: string;
  age_band: string;
  gender: string;
  citizenship: string;
  child_unit: string;
  lawful_basis: string;
}

export interface DecisionFact {
  child_unit: string;
  kind: string;
  outcome: string | null;
  decided_on: string | null;
  by_panel: boolean;
}

export interface CaseFact {
  child_unit: string;
  status: string;
  closure_reason: string | null;
}

export interface ServiceFact {
  child_unit: string;
  need_type: string;
  status: string;
}

/**
 * The facts the HTCDS export is made of, read in the caller's transaction as the role
 * tiaki_stats: referrals received in the period, and every decision, case and service referral.
 */
export async function htcdsFacts(trx: Db, period: { from: string; to: string }) {
  const referrals = await sql<ReferralFact>`
      SELECT referral_id, received_on, concern_date, region, manifestations, contexts, status,
        referrer_kind, age_band, gender, citizenship, child_unit, lawful_basis
      FROM fact_referral WHERE received_on BETWEEN ${period.from} AND ${period.to}`.execute(trx);
  const decisions = await sql<DecisionFact>`
      SELECT child_unit, kind, outcome, decided_on, by_panel FROM fact_decision`.execute(trx);
  const cases = await sql<CaseFact>`SELECT child_unit, status, closure_reason FROM fact_case`.execute(trx);
  const services = await sql<ServiceFact>`
      SELECT child_unit, need_type, status FROM fact_service_referral`.execute(trx);
  return {
    referrals: referrals.rows,
    decisions: decisions.rows,
    cases: cases.rows,
    services: services.rows,
  };
}

/** The active account with this email holding one of the roles, if any. */
export async function activeUserWithRoleIn(db: Db, email: string, roles: readonly string[]) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('role_assignment as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.organisation_id'])
    .where('u.email', '=', email)
    .where('u.is_active', '=', true)
    .where('r.role', 'in', roles)
    .executeTakeFirst();
}

/** The children of these child units (a case's id, or a child's own), oldest first, identity sealed. */
export async function childrenOfUnits(db: Db, units: readonly string[]) {
  return db
    .selectFrom('child')
    .select(['id', 'case_id', 'identity_enc', 'identified'])
    .where((eb) => eb.or([eb('case_id', 'in', units), eb('id', 'in', units)]))
    .orderBy('created_at')
    .execute();
}
