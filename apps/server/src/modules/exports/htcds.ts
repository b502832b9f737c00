import { csvDocument, csvLine } from '@tiaki/disclosure';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { REGIONS, type ClosureReason, type NeedType, type OrganisationKind } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { decryptIdentity } from '../child-record/index.ts';
import { withFacts } from '../statistics/index.ts';
import {
  CITIZENSHIP_TO_HTCDS,
  CLOSURE_REASON_TO_STATUS,
  EXPORT_LAWFUL_BASES,
  GENDER_TO_HTCDS,
  HTCDS_FIELDS,
  IDENTITY_AUTHORISER_ROLES,
  IDENTITY_FIELDS,
  MANIFESTATION_TO_HTCDS,
  MULTI_SEPARATOR,
  NEED_TYPE_TO_HTCDS,
  ORGANISATION_KIND_TO_HTCDS,
  PSEUDONYM_COLUMN,
  SERVICE_RECEIVED_STATUSES,
  type HtcdsField,
} from './htcds-mapping.ts';
import {
  activeUserWithRoleIn,
  childrenOfUnits,
  htcdsFacts,
  type DecisionFact,
  type ReferralFact,
} from './queries.ts';

export interface HtcdsExportOptions {
  /** The CSV file to write. */
  out: string;
  /** Children with a referral received in this period (inclusive, YYYY-MM-DD); default: all. */
  from?: string | undefined;
  to?: string | undefined;
  /** Write names and date of birth: needs the email of an active data steward or privacy officer. */
  includeIdentity?: { authorisedBy: string } | undefined;
}

export interface UnmappedValue {
  field: string;
  code: string;
  /** Children (rows) in which the value occurred. */
  count: number;
}

export interface HtcdsExportReport {
  out: string;
  rows: number;
  /** Children left out because none of their referrals has a lawful basis allowing export. */
  leftOutLawfulBasis: number;
  /** Children left out because every referral about them was screened out at triage. */
  leftOutScreenedOut: number;
  includeIdentity: boolean;
  unmapped: UnmappedValue[];
}

const ALL_TIME = { from: '1900-01-01', to: '9999-12-31' };
const KIND_ORDER: Record<string, number> = {
  reasonable_grounds: 0,
  conclusive_grounds: 1,
  reconsideration: 2,
};

/** `YYYY-MM-DD` of any date-ish value the drivers return. */
const isoDate = (value: unknown): string =>
  value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);

/** Dates leave at month precision: the first of the month. */
const monthOf = (date: string): string => `${date.slice(0, 7)}-01`;

/**
 * The child's pseudonym: HMAC-SHA256 of the counting unit under a key derived from
 * TIAKI_STATS_SECRET, so the same child has the same key in every release of one installation,
 * and the key reveals nothing of Tiaki's ids.
 */
export function caseKey(statisticsSecret: string, childUnit: string): string {
  const key = createHmac('sha256', statisticsSecret).update('htcds export case key v1').digest();
  return createHmac('sha256', key).update(childUnit).digest('hex').slice(0, 32);
}

/**
 * HTCDS trafficking status from the decisions, taken in the order they were made: a positive
 * reasonable-grounds decision makes a possible victim, a positive conclusive-grounds decision an
 * actual one, a negative one "not a victim"; a positive reconsideration restores the status the
 * negative decision it overturned would have given.
 */
export function traffickingStatus(decisions: readonly DecisionFact[]): {
  status: string | null;
  byPanel: boolean;
} {
  const decided = decisions
    .filter((d) => d.outcome !== null && d.decided_on !== null)
    .sort(
      (a, b) =>
        isoDate(a.decided_on).localeCompare(isoDate(b.decided_on)) ||
        (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9),
    );
  let status: string | null = null;
  let byPanel = false;
  let lastNegativeKind: string | null = null;
  for (const d of decided) {
    const positive = d.outcome === 'positive';
    if (d.kind === 'reconsideration') {
      if (positive) {
        status =
          lastNegativeKind === 'conclusive_grounds'
            ? 'ActualVictimOfTrafficking'
            : 'PossibleVictimOfTrafficking';
      }
    } else if (positive) {
      status = d.kind === 'conclusive_grounds' ? 'ActualVictimOfTrafficking' : 'PossibleVictimOfTrafficking';
    } else {
      status = 'NotAVictimOfTrafficking';
      lastNegativeKind = d.kind;
    }
    byPanel = d.by_panel;
  }
  return { status, byPanel };
}

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

async function authoriser(ctx: AppContext, email: string): Promise<{ id: string; organisationId: string }> {
  const found = await activeUserWithRoleIn(ctx.db, email.trim().toLowerCase(), IDENTITY_AUTHORISER_ROLES);
  if (!found) {
    throw new HttpError(
      403,
      'identity_not_authorised',
      `Identity may be exported only with the authority of an active data steward or privacy officer; ${email} is not one.`,
    );
  }
  return { id: found.id, organisationId: found.organisation_id };
}

/**
 * Writes one row per child (a case, or a child whose referrals are not yet triaged) under the
 * HTCDS v2.0 field names and picklist values, for children with at least one referral whose
 * lawful basis allows export (EXPORT_LAWFUL_BASES). Facts come from the fact views as the role
 * tiaki_stats; only the lawful-basis codes are read from the referral table. Audited.
 */
export async function exportHtcds(
  ctx: AppContext,
  actor: Actor,
  options: HtcdsExportOptions,
): Promise<HtcdsExportReport> {
  return htcdsExport(ctx, actor, options, options.out, (csv) => {
    writeFileSync(options.out, csv, { mode: 0o600 });
  });
}

/**
 * The de-identified export as text, for a data steward's download: identity is never included
 * this way (that needs the CLI and a named authoriser). Audited as the file export is.
 */
export async function htcdsCsv(
  ctx: AppContext,
  actor: Actor,
  period: { from?: string | undefined; to?: string | undefined },
): Promise<{ csv: string; report: HtcdsExportReport }> {
  let csv = '';
  const report = await htcdsExport(ctx, actor, period, 'download', (text) => {
    csv = text;
  });
  return { csv, report };
}

async function htcdsExport(
  ctx: AppContext,
  actor: Actor,
  options: Omit<HtcdsExportOptions, 'out'>,
  out: string,
  write: (csv: string) => void,
): Promise<HtcdsExportReport> {
  const period = { from: options.from ?? ALL_TIME.from, to: options.to ?? ALL_TIME.to };
  const authorisedBy = options.includeIdentity
    ? await authoriser(ctx, options.includeIdentity.authorisedBy)
    : null;

  const facts = await withFacts(ctx, (trx) => htcdsFacts(trx, period));

  const bases = new Map(facts.referrals.map((r) => [r.referral_id, r.lawful_basis]));

  const byUnit = new Map<string, ReferralFact[]>();
  for (const r of facts.referrals) {
    const list = byUnit.get(r.child_unit) ?? [];
    list.push(r);
    byUnit.set(r.child_unit, list);
  }
  const groupBy = <T extends { child_unit: string }>(rows: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) map.set(row.child_unit, [...(map.get(row.child_unit) ?? []), row]);
    return map;
  };
  const decisionsByUnit = groupBy(facts.decisions);
  const servicesByUnit = groupBy(facts.services);
  const caseByUnit = new Map(facts.cases.map((c) => [c.child_unit, c]));
  const regionName = new Map(REGIONS.map((r) => [r.code, r.name]));

  const unmapped = new Map<string, UnmappedValue>();
  const reportUnmapped = (field: string, codes: Iterable<string>) => {
    for (const code of new Set(codes)) {
      const key = `${field}\u0000${code}`;
      const entry = unmapped.get(key) ?? { field, code, count: 0 };
      entry.count += 1;
      unmapped.set(key, entry);
    }
  };

  let leftOutLawfulBasis = 0;
  let leftOutScreenedOut = 0;
  const rows: { key: string; unit: string; values: Partial<Record<HtcdsField, string>> }[] = [];
  for (const [unit, all] of byUnit) {
    const live = all.filter((r) => r.status !== 'screened_out');
    if (live.length === 0) {
      leftOutScreenedOut += 1;
      continue;
    }
    const allowed = live
      .filter((r) => EXPORT_LAWFUL_BASES.includes(bases.get(r.referral_id) ?? ''))
      .sort(
        (a, b) =>
          isoDate(a.received_on).localeCompare(isoDate(b.received_on)) ||
          a.referral_id.localeCompare(b.referral_id),
      );
    const first = allowed[0];
    const latest = allowed[allowed.length - 1];
    if (!first || !latest) {
      leftOutLawfulBasis += 1;
      continue;
    }
    const values: Partial<Record<HtcdsField, string>> = {};
    const multi = (field: HtcdsField, list: Iterable<string>) => {
      const joined = sortedUnique(list).join(MULTI_SEPARATOR);
      if (joined) values[field] = joined;
    };

    const gender = GENDER_TO_HTCDS[latest.gender] ?? null;
    if (gender) values.prs_Gender = gender;
    else reportUnmapped('gender', [latest.gender]);

    const citizenship = CITIZENSHIP_TO_HTCDS[latest.citizenship] ?? null;
    if (citizenship) values.prs_Citizenship = citizenship;
    else reportUnmapped('citizenship', [latest.citizenship]);

    // No HTCDS field holds an age band (vic_AgeWhenTrafficked wants whole years).
    reportUnmapped('age_band', [latest.age_band]);

    const manifestations = allowed.flatMap((r) => r.manifestations);
    const types: string[] = [];
    const sexTypes: string[] = [];
    for (const code of manifestations) {
      const mapped = MANIFESTATION_TO_HTCDS[code] ?? null;
      if (!mapped) continue;
      types.push(mapped.exploitationType);
      sexTypes.push(...mapped.sexExploitationTypes);
    }
    reportUnmapped(
      'manifestation',
      manifestations.filter((code) => !MANIFESTATION_TO_HTCDS[code]),
    );
    multi('vic_TypeOfExploitation', types);
    multi('vic_TypeOfSexExploitation', sexTypes);
    // Contexts (family violence, gangs, state care…) have no HTCDS field outside the deprecated
    // vic_Vulnerabilities.
    reportUnmapped(
      'context',
      allowed.flatMap((r) => r.contexts),
    );

    const orgType = ORGANISATION_KIND_TO_HTCDS[first.referrer_kind as OrganisationKind] ?? null;
    if (orgType) values.org_Type = orgType;
    else reportUnmapped('referrer_kind', [first.referrer_kind]);

    const decision = traffickingStatus(decisionsByUnit.get(unit) ?? []);
    if (decision.status) {
      values.vic_TraffickingStatus = decision.status;
      values.vic_TraffickingStatusDecisionMakingOrg = decision.byPanel
        ? 'Other'
        : 'NonPoliceGovernmentalOrganization';
    }

    const kase = caseByUnit.get(unit);
    if (kase) {
      if (kase.status === 'open') values.cas_Status = 'Active';
      else if (kase.closure_reason) {
        values.cas_Status = CLOSURE_REASON_TO_STATUS[kase.closure_reason as ClosureReason];
        values.cas_ReasonForCaseClosure = kase.closure_reason;
      } else values.cas_Status = 'Closed';
    }
    values.cas_IncomingReferralDate = monthOf(isoDate(first.received_on));

    values.hte_Type = 'Exploitation';
    values.hte_Country = 'NZ';
    const region = regionName.get(first.region);
    if (region) values.hte_State = region;
    else reportUnmapped('region', [first.region]);
    const concernDates = allowed.map((r) => isoDate(r.concern_date)).sort();
    if (concernDates[0]) values.hte_Date = monthOf(concernDates[0]);

    const received = (servicesByUnit.get(unit) ?? []).filter((s) =>
      SERVICE_RECEIVED_STATUSES.includes(s.status),
    );
    const planTypes: string[] = [];
    const unmappedNeeds: string[] = [];
    for (const s of received) {
      const mapped = NEED_TYPE_TO_HTCDS[s.need_type as NeedType] ?? null;
      if (mapped) planTypes.push(mapped);
      else unmappedNeeds.push(s.need_type);
    }
    multi('spl_Type', planTypes);
    reportUnmapped('need_type', unmappedNeeds);

    rows.push({ key: caseKey(ctx.config.statisticsSecret, unit), unit, values });
  }
  rows.sort((a, b) => a.key.localeCompare(b.key));

  if (authorisedBy) {
    const units = rows.map((r) => r.unit);
    const identities = new Map<string, { givenNames?: string; familyName?: string; dateOfBirth?: string }>();
    for (let i = 0; i < units.length; i += 1000) {
      const batch = units.slice(i, i + 1000);
      const children = await childrenOfUnits(ctx.db, batch);
      for (const child of children) {
        if (!child.identified) continue;
        const unit = child.case_id ?? child.id;
        const identity = decryptIdentity(ctx.keyring, child.id, child.identity_enc);
        const current = identities.get(unit) ?? {};
        identities.set(unit, {
          givenNames: current.givenNames ?? identity.givenNames,
          familyName: current.familyName ?? identity.familyName,
          dateOfBirth: current.dateOfBirth ?? identity.dateOfBirth,
        });
      }
    }
    for (const row of rows) {
      const identity = identities.get(row.unit);
      if (identity?.givenNames) row.values.prs_FirstName = identity.givenNames;
      if (identity?.familyName) row.values.prs_SecondName = identity.familyName;
      if (identity?.dateOfBirth) row.values.prs_Birthdate = identity.dateOfBirth;
    }
  }

  const columns: string[] = [
    PSEUDONYM_COLUMN,
    ...HTCDS_FIELDS.filter((f) => authorisedBy !== null || !IDENTITY_FIELDS.includes(f)),
  ];
  const lines = [csvLine(columns)];
  for (const row of rows) {
    lines.push(csvLine([row.key, ...columns.slice(1).map((f) => row.values[f as HtcdsField] ?? '')]));
  }

  const report: HtcdsExportReport = {
    out,
    rows: rows.length,
    leftOutLawfulBasis,
    leftOutScreenedOut,
    includeIdentity: authorisedBy !== null,
    unmapped: [...unmapped.values()].sort(
      (a, b) => a.field.localeCompare(b.field) || a.code.localeCompare(b.code),
    ),
  };
  await ctx.db.transaction().execute(async (trx) => {
    write(csvDocument(lines));
    await recordAudit(
      trx,
      authorisedBy
        ? { ...actor, userId: authorisedBy.id, organisationId: authorisedBy.organisationId }
        : actor,
      {
        action: 'export.htcds',
        details: {
          rows: report.rows,
          leftOut: leftOutLawfulBasis + leftOutScreenedOut,
          leftOutLawfulBasis,
          leftOutScreenedOut,
          includeIdentity: report.includeIdentity,
          from: period.from,
          to: period.to,
        },
      },
    );
  });
  return report;
}

/** The report printed after an export: counts and every unmapped local value. */
export function formatHtcdsReport(report: HtcdsExportReport): string {
  const lines = [
    `Wrote ${report.rows} HTCDS v2.0 row(s) to ${report.out}${report.includeIdentity ? ' WITH IDENTITY (authorised, audited)' : ' (identity omitted)'}.`,
    `Left out: ${report.leftOutLawfulBasis} child(ren) with no referral whose lawful basis allows export; ${report.leftOutScreenedOut} screened out at triage.`,
  ];
  if (report.unmapped.length === 0) lines.push('Unmapped local values: none.');
  else {
    lines.push(`Unmapped local values (no HTCDS field or value; count = rows in which they occurred):`);
    for (const u of report.unmapped) lines.push(`  ${u.field} ${u.code}: ${u.count}`);
  }
  return lines.join('\n');
}
