import type { Transaction } from 'kysely';
import { protectMedian, type PublishedValue } from '@tiaki/disclosure';
import type { Schema } from '../../db/schema.ts';
import {
  decisionDaysByGroup,
  equityIdentificationByGroup,
  equityReferralsByGroup,
  equityServiceReferralsByGroup,
  equityUnmetNeedsByGroup,
  serviceWaitDaysByGroup,
} from './queries/equity.ts';
import type { StatisticsQuery, TableSpec } from './tables.ts';

/**
 * Equity and Te Tiriti o Waitangi reporting: outcomes for tamariki Māori beside Pacific children
 * and children who are neither, so that differences in access, timeliness and outcome show.
 * Groups are prioritised (Stats NZ practice): Māori if any ethnicity recorded for the child is
 * Māori, else Pacific if any is Pacific, else other; a child with no ethnicity recorded is
 * "not recorded". Each child is in one group, so groups add up to the total; "non-Māori" is
 * Pacific, other and not recorded together. Iwi-level tables are not published here (they need
 * the Māori data governance group's approval: see docs/statistics.md).
 */

export const EQUITY_GROUPS = ['maori', 'pacific', 'other', 'not_recorded'] as const;

const SERVICE_RESPONSES = ['accepted', 'declined', 'waiting', 'withdrawn'] as const;

export const EQUITY_TABLES: readonly TableSpec[] = [
  {
    name: 'equity_referrals_by_group',
    title: 'Referrals received, tamariki Māori beside Pacific and other children',
    rows: { name: 'equity group', categories: EQUITY_GROUPS },
    query: equityReferralsByGroup,
  },
  {
    name: 'equity_identification_by_group',
    title: 'Identification decisions made, by outcome: tamariki Māori beside Pacific and other children',
    rows: { name: 'equity group', categories: EQUITY_GROUPS },
    columns: {
      name: 'identification',
      categories: ['rg_positive', 'rg_negative', 'cg_positive', 'cg_negative'],
    },
    query: equityIdentificationByGroup,
  },
  {
    name: 'equity_service_referrals_by_group',
    title: 'Service referrals made, by response: tamariki Māori beside Pacific and other children',
    rows: { name: 'equity group', categories: EQUITY_GROUPS },
    columns: { name: 'service response', categories: SERVICE_RESPONSES },
    query: equityServiceReferralsByGroup,
  },
  {
    name: 'equity_unmet_needs_by_group',
    title: 'Unmet needs recorded: tamariki Māori beside Pacific and other children',
    rows: { name: 'equity group', categories: EQUITY_GROUPS },
    query: equityUnmetNeedsByGroup,
  },
];

/** Medians of one group: days to a reasonable-grounds decision, days for a service to accept. */
export interface EquityMedians {
  group: (typeof EQUITY_GROUPS)[number];
  reasonableGroundsMedianDays: PublishedValue | number | null;
  serviceWaitMedianDays: PublishedValue | number | null;
}

/**
 * Medians by group, suppressed below 20 contributing decisions or referrals (a median of few
 * values is one child's own value); exact for authorised staff. Run inside withFacts.
 */
export async function equityMedians(
  trx: Transaction<Schema>,
  q: StatisticsQuery,
  exact: boolean,
): Promise<EquityMedians[]> {
  const byGroup = (rows: { g: string; m: number; n: number }[]) => new Map(rows.map((r) => [r.g, r]));
  const decisions = byGroup(await decisionDaysByGroup(trx, q));
  const accepted = byGroup(await serviceWaitDaysByGroup(trx, q));
  const median = (found: { m: number; n: number } | undefined) =>
    found === undefined ? null : exact ? found.m : protectMedian(found.m, found.n);
  return EQUITY_GROUPS.map((group) => ({
    group,
    reasonableGroundsMedianDays: median(decisions.get(group)),
    serviceWaitMedianDays: median(accepted.get(group)),
  }));
}
