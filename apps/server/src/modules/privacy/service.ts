import type { AppContext } from '../../context.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import {
  decryptIdentity,
  organisationsById,
  peopleById,
  refOf,
  unknownOrganisation,
  unknownPerson,
  referralProtectedContext,
  unseal,
  CHILD_SUB_RECORD_TABLES,
  type ChildSubRecordTable,
} from '../child-record/index.ts';
import { ENCRYPTED_COLUMNS } from '../../security/rotation.ts';
import { CURRENT_TAXONOMY } from '@tiaki/domain';
import {
  ageBandWords,
  COLUMN_WORDS,
  humanise,
  labels,
  listWords,
  needWords,
  nzDate,
  nzDateTime,
  regionWords,
  taxonomyOf,
  words,
  wordsOf,
  type WordList,
} from './words.ts';
import {
  auditEntriesAbout,
  caseRecordsForExport,
  caseReferencesOf,
  casesOfChild,
  childIdByReference,
  childRowOrThrow,
  referralsOfChild,
  subRecordRowsOfCases,
} from './queries.ts';

/**
 * Where each table of a child's record appears in the file: a section written for it (`section`),
 * a section drawn from its rows (`rows`, with a heading), or left out with the reason. The map is
 * exhaustive over the declared record, so a new table cannot be forgotten here.
 */
const PRIVACY_COVERAGE: Readonly<
  Record<ChildSubRecordTable, { section: string } | { rows: string } | { leftOut: string }>
> = {
  child: { section: 'Identity' },
  referral: { section: 'Referrals' },
  referral_fact: { leftOut: 'a copy of the referrals’ facts kept for statistics; the referrals are shown' },
  decision_fact: { leftOut: 'a copy of the decisions’ facts kept for statistics; the decisions are shown' },
  service_referral_fact: {
    leftOut: 'a copy of the service referrals’ facts kept for statistics; the service referrals are shown',
  },
  case_record: { section: 'Case' },
  case_organisation: { rows: 'Organisations on the case team' },
  case_member: { rows: 'People on the case team' },
  case_event: { rows: 'What happened, in order (the case timeline)' },
  disclosure: { section: 'Disclosures log' },
  decision: { section: 'Decisions' },
  panel_member: { rows: 'Views of decision panel members' },
  case_goal: { section: 'Goals and conferences' },
  case_note: { section: 'Notes' },
  conference_action: { rows: 'Actions agreed at conferences' },
  conference: { section: 'Goals and conferences' },
  service_referral: { section: 'Service referrals' },
  service_referral_event: { rows: 'Steps of service referrals' },
  service_referral_note: { section: 'Notes' },
  unmet_need: { rows: 'Needs no service could meet' },
  charge: { rows: 'Charges laid against the people who exploited the child' },
  break_glass: { rows: 'Emergency (break-glass) access to the case' },
  child_link: { rows: 'Possible matches with other records of children' },
  case_merge: { rows: 'Cases merged into one' },
};

/** Columns that mean nothing to the child or whānau reading the file. */
const INTERNAL_COLUMN = /(^id$|_index$|^version$|^singleton$|_enc$|^explanation$|^model$|^probability$)/;

/** Names for the people, organisations and cases a row refers to by id. */
interface Names {
  person: (id: string | null) => string;
  org: (id: string | null) => string;
  caseRef: (id: string | null) => string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[a-z][a-z0-9]*([._][a-z0-9]+)+$/;

/**
 * One stored value in words: a date or time in New Zealand, a list joined, a code humanised, a
 * nested record as "what: value" pairs; ids are left out (they mean nothing to the reader).
 */
function valueWords(value: unknown, names: Names, list?: WordList): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return nzDateTime(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') {
    if (UUID.test(value)) return '';
    if (DATE_ONLY.test(value)) return nzDate(value);
    if (list) return words(list, value);
    return CODE.test(value) ? humanise(value) : value;
  }
  if (Array.isArray(value))
    return listWords(value.map((item) => valueWords(item, names, list)).filter(Boolean));
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => {
        const shown = key.endsWith('OrganisationId')
          ? names.org(typeof inner === 'string' ? inner : null)
          : key.endsWith('Id') || key.endsWith('Ids')
            ? ''
            : detailWords(key, inner, names);
        const label = humanise(
          key
            .replace(/OrganisationId$/, 'Organisation')
            .replaceAll(/([a-z])([A-Z])/g, '$1 $2')
            .toLowerCase(),
        );
        return shown ? `${label}: ${shown}` : '';
      })
      .filter(Boolean)
      .join('; ');
  }
  return '';
}

/** A value inside a timeline entry's details, by what its key says it is. */
function detailWords(key: string, value: unknown, names: Names): string {
  const list = DETAIL_WORDS[key];
  if (key === 'lawfulBasis' && typeof value === 'string')
    return labels.one(CURRENT_TAXONOMY.lawfulBases, value);
  if (key === 'needType' && typeof value === 'string') return needWords(value);
  return valueWords(value, names, list);
}

const DETAIL_WORDS: Readonly<Record<string, WordList>> = {
  kind: 'decisionKind',
  outcome: 'outcome',
  fields: 'sharedField',
  reason: 'closure',
  teamRole: 'teamRole',
  status: 'serviceStatus',
};

/** The rows of one table of the record, with every column in words and encrypted text decrypted. */
async function rowsSection(
  ctx: AppContext,
  table: ChildSubRecordTable,
  title: string,
  caseIds: readonly string[],
): Promise<Section> {
  const found = { rows: await subRecordRowsOfCases(ctx.db, table, caseIds) };
  const sealed = ENCRYPTED_COLUMNS.filter((c) => c.table === table);
  const ids = (pattern: RegExp) =>
    found.rows.flatMap((row) =>
      Object.entries(row)
        .filter(([column, value]) => pattern.test(column) && typeof value === 'string')
        .map(([, value]) => value as string),
    );
  const people = await peopleById(ctx.db, ids(/user_id$/));
  const detailOrgs = found.rows.flatMap((row) =>
    Object.values(row).flatMap((value) =>
      value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
        ? Object.entries(value as Record<string, unknown>)
            .filter(([key, id]) => key.endsWith('OrganisationId') && typeof id === 'string')
            .map(([, id]) => id as string)
        : [],
    ),
  );
  const orgs = await organisationsById(ctx.db, [...ids(/organisation_id$/), ...detailOrgs]);
  const caseRefs = await caseReferencesOf(ctx.db, ids(/case_id$/));
  const names: Names = {
    person: (id) => refOf(people, id, unknownPerson)?.displayName ?? '',
    org: (id) => refOf(orgs, id, unknownOrganisation)?.name ?? '',
    caseRef: (id) => (id ? (caseRefs.get(id) ?? '') : ''),
  };
  const label = (column: string) =>
    humanise(
      column
        .replace(/_enc$/, '')
        .replace(/_user_id$|_id$/, '')
        .replace(/_at$/, ' (when)')
        .replace(/_on$/, ' (date)'),
    );
  return {
    title,
    empty: 'None.',
    records: found.rows.map((row) => {
      const record: Row = {};
      for (const [column, value] of Object.entries(row)) {
        if (INTERNAL_COLUMN.test(column) || value === null || value === undefined) continue;
        const shown = /user_id$/.test(column)
          ? names.person(value as string)
          : /organisation_id$/.test(column)
            ? names.org(value as string)
            : /case_id$/.test(column)
              ? names.caseRef(value as string)
              : column === 'need_type'
                ? needWords(typeof value === 'string' ? value : '')
                : column === 'region'
                  ? regionWords(value as string)
                  : column === 'age_band'
                    ? ageBandWords(value as string)
                    : valueWords(value, names, COLUMN_WORDS[`${table}.${column}`]);
        if (shown) record[label(column)] = shown;
      }
      for (const { column, context } of sealed) {
        const value = row[column];
        if (typeof value === 'string' && typeof row.id === 'string')
          record[label(column)] = ctx.keyring.decrypt(value, context(row.id));
      }
      return record;
    }),
  };
}

/**
 * Privacy Act 2020, IPP 6: everything Tiaki holds about one child, in one readable, self-contained
 * HTML page. The child is named by a referral or case reference; the export is audited
 * (`privacy.export`) with ids and counts only.
 */
export interface PrivacyExport {
  html: string;
  childId: string;
  /** How many records of each section the page holds (for the audit entry and the CLI). */
  counts: Record<string, number>;
}

type Row = Record<string, string>;
interface Section {
  title: string;
  /** Each record as label → value pairs. */
  records: Row[];
  empty: string;
}

const esc = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const when = nzDateTime;
const list = listWords;

/** Finds the child behind a referral or case reference. */
async function childOf(ctx: AppContext, reference: string): Promise<string> {
  const ref = reference.trim();
  const childId = await childIdByReference(ctx.db, ref);
  if (childId) return childId;
  throw notFound('The referral or case');
}

/**
 * The operator's path (`tiaki privacy export`, run on the server with its keys): by reference,
 * with what the audit entry should also record (the request it answers, or that the operator ran it).
 */
export async function exportChild(
  ctx: AppContext,
  actor: Actor,
  reference: string,
  auditDetails: Record<string, unknown> = {},
): Promise<PrivacyExport> {
  if (!reference.trim()) throw new HttpError(400, 'bad_reference', 'Give a referral or case reference.');
  return exportChildById(ctx, actor, await childOf(ctx, reference), auditDetails);
}

/** Finds the child behind a reference (null when there is none). */
export async function findChildOf(ctx: AppContext, reference: string): Promise<string | null> {
  try {
    return await childOf(ctx, reference);
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 404) return null;
    throw error;
  }
}

export async function exportChildById(
  ctx: AppContext,
  actor: Actor,
  childId: string,
  auditDetails: Record<string, unknown>,
): Promise<PrivacyExport> {
  const child = await childRowOrThrow(ctx.db, childId);
  const { keyring } = ctx;

  // Every case the child is part of: their own, and one their record was merged into.
  const cases = await casesOfChild(ctx.db, childId, child.case_id);
  const caseIds = cases.map((c) => c.id);

  const referrals = await referralsOfChild(ctx.db, childId, caseIds);
  const { decisions, serviceReferrals, caseNotes, serviceNotes, goals, conferences, disclosures } =
    await caseRecordsForExport(ctx.db, caseIds);
  const serviceReferralIds = serviceReferrals.map((s) => s.id);
  const subjectIds = [
    childId,
    ...caseIds,
    ...referrals.map((r) => r.id),
    ...decisions.map((d) => d.id),
    ...serviceReferralIds,
  ];
  const audit = await auditEntriesAbout(ctx.db, subjectIds, childId);

  const people = await peopleById(ctx.db, [
    ...referrals.flatMap((r) => [r.submitted_by_user_id, r.triaged_by_user_id]),
    ...decisions.map((d) => d.decided_by_user_id),
    ...caseNotes.map((n) => n.author_user_id),
    ...serviceNotes.map((n) => n.author_user_id),
    ...disclosures.map((d) => d.made_by_user_id),
    ...audit.map((a) => a.actor_user_id),
  ]);
  const orgs = await organisationsById(ctx.db, [
    ...referrals.map((r) => r.organisation_id),
    ...cases.map((c) => c.owner_organisation_id),
    ...serviceReferrals.map((s) => s.provider_organisation_id),
    ...caseNotes.map((n) => n.organisation_id),
    ...serviceNotes.map((n) => n.organisation_id),
    ...disclosures.flatMap((d) => [d.from_organisation_id, d.to_organisation_id]),
    ...audit.map((a) => a.actor_organisation_id),
  ]);
  const person = (id: string | null) => refOf(people, id, unknownPerson)?.displayName ?? '';
  const org = (id: string | null) => refOf(orgs, id, unknownOrganisation)?.name ?? '';

  const identity = decryptIdentity(keyring, childId, child.identity_enc);
  const sections: Section[] = [
    {
      title: 'Identity',
      empty: '',
      records: [
        {
          'Given names': identity.givenNames ?? '',
          'Family name': identity.familyName ?? '',
          'Other names': list(identity.aliases),
          'Date of birth': nzDate(identity.dateOfBirth),
          'Where they were living': identity.currentLocation ?? '',
          Languages: list(identity.languages),
          'Age group': ageBandWords(child.age_band),
          Gender: labels.one(CURRENT_TAXONOMY.genders, child.gender),
          Ethnicities: labels.of(CURRENT_TAXONOMY.ethnicities, child.ethnicities),
          Iwi: labels.of(CURRENT_TAXONOMY.iwi, child.iwi),
          Citizenship: labels.one(CURRENT_TAXONOMY.citizenshipStatuses, child.citizenship),
          'Named when referred': child.identified ? 'Yes' : 'No',
          'Identity removed under retention': when(child.purged_at),
        },
      ],
    },
    {
      title: 'Referrals',
      empty: 'No referrals.',
      records: referrals.map((r) => {
        const p = JSON.parse(keyring.decrypt(r.protected_enc, referralProtectedContext(r.id))) as {
          referrer?: { name?: string; role?: string };
          narrative?: string;
          childViews?: string;
          evidenceReferences?: { agency?: string; reference?: string }[];
        };
        const taxonomy = taxonomyOf(r.taxonomy_version);
        return {
          Reference: r.reference,
          'Received on': nzDate(r.received_on),
          Sent: when(r.submitted_at),
          'From organisation': org(r.organisation_id),
          'Referred by': [p.referrer?.name, p.referrer?.role].filter(Boolean).join(', '),
          'Date of the concern': nzDate(r.concern_date),
          Region: regionWords(r.region),
          'Forms of exploitation': labels.of(taxonomy.manifestations, r.manifestations),
          'Where it happened': labels.of(taxonomy.contexts, r.contexts),
          'Signs noticed': labels.of(taxonomy.indicators, r.indicators),
          'How clear the concern was': words('concernLevel', r.concern_level),
          'What was reported': p.narrative ?? '',
          "The child's views": p.childViews ?? '',
          'Evidence references': list(
            (p.evidenceReferences ?? []).map((e) =>
              [e.agency === 'dia' ? 'Department of Internal Affairs' : 'Police', e.reference]
                .filter(Boolean)
                .join(': '),
            ),
          ),
          'What happened to it': words('referralStatus', r.status),
          'Why no case was opened': words('screenOut', r.screen_out_reason),
          'Triaged by': person(r.triaged_by_user_id),
          'Narrative removed under retention': when(r.purged_at),
        };
      }),
    },
    {
      title: 'Case',
      empty: 'No case.',
      records: cases.map((c) => ({
        Reference: c.reference,
        'Led by': org(c.owner_organisation_id),
        Region: regionWords(c.region),
        Status: words('caseStatus', c.status),
        Opened: when(c.opened_at),
        Closed: when(c.closed_at),
        'Why it was closed': words('closure', c.closure_reason),
        'Closure detail':
          unseal(keyring, 'case_record', 'closure_detail_enc', c.id, c.closure_detail_enc) ?? '',
      })),
    },
    {
      title: 'Goals and conferences',
      empty: 'No goals or conferences.',
      records: [
        ...goals.map((g) => ({
          Goal: unseal(keyring, 'case_goal', 'description_enc', g.id, g.description_enc),
          Status: humanise(g.status),
          Due: nzDate(g.due_on),
        })),
        ...conferences.map((c) => ({
          'Meeting held on': nzDate(c.held_on),
          'What was decided': unseal(keyring, 'conference', 'decisions_enc', c.id, c.decisions_enc),
        })),
      ],
    },
    {
      title: 'Decisions',
      empty: 'No decisions.',
      records: decisions.map((d) => ({
        Decision: words('decisionKind', d.kind),
        Status: words('decisionStatus', d.status),
        Outcome: words('outcome', d.outcome),
        'Decided on': nzDate(d.decided_on),
        'Decided by': person(d.decided_by_user_id),
        Grounds: unseal(keyring, 'decision', 'grounds_enc', d.id, d.grounds_enc) ?? '',
        Rationale: unseal(keyring, 'decision', 'rationale_enc', d.id, d.rationale_enc) ?? '',
        Evidence: unseal(keyring, 'decision', 'evidence_enc', d.id, d.evidence_enc) ?? '',
      })),
    },
    {
      title: 'Service referrals',
      empty: 'No service referrals.',
      records: serviceReferrals.map((s) => ({
        Provider: org(s.provider_organisation_id),
        Need: needWords(s.need_type),
        Status: words('serviceStatus', s.status),
        'Information shared': wordsOf('sharedField', s.shared_fields),
        'Needs summary':
          unseal(keyring, 'service_referral', 'needs_summary_enc', s.id, s.needs_summary_enc) ?? '',
        'Declined because': [
          words('declineReason', s.decline_reason),
          unseal(keyring, 'service_referral', 'decline_detail_enc', s.id, s.decline_detail_enc) ?? '',
        ]
          .filter(Boolean)
          .join(': '),
        Outcome: unseal(keyring, 'service_referral', 'outcome_enc', s.id, s.outcome_enc) ?? '',
        Made: when(s.created_at),
      })),
    },
    {
      title: 'Notes',
      empty: 'No notes.',
      records: [
        ...caseNotes.map((n) => ({
          Written: when(n.created_at),
          By: `${person(n.author_user_id)} (${org(n.organisation_id)})`,
          Note: unseal(keyring, 'case_note', 'body_enc', n.id, n.body_enc),
        })),
        ...serviceNotes.map((n) => ({
          Written: when(n.created_at),
          By: `${person(n.author_user_id)} (${org(n.organisation_id)})`,
          'Service referral note': unseal(keyring, 'service_referral_note', 'body_enc', n.id, n.body_enc),
        })),
      ],
    },
    {
      title: 'Disclosures log',
      empty: 'No information was disclosed to another organisation.',
      records: disclosures.map((d) => ({
        When: when(d.made_at),
        From: org(d.from_organisation_id),
        To: org(d.to_organisation_id),
        'Lawful basis': labels.one(CURRENT_TAXONOMY.lawfulBases, d.lawful_basis),
        Purpose: unseal(keyring, 'disclosure', 'purpose_enc', d.id, d.purpose_enc),
        'Information disclosed': wordsOf('sharedField', d.fields),
        'Was the child asked': words('childConsulted', d.child_consulted),
        "The child's view": unseal(keyring, 'disclosure', 'child_view_enc', d.id, d.child_view_enc) ?? '',
        'Made by': person(d.made_by_user_id),
      })),
    },
    {
      title: 'Who viewed or changed the record (audit log)',
      empty: 'No entries.',
      records: audit.map((a) => ({
        When: when(a.occurred_at),
        Who: a.actor_user_id ? person(a.actor_user_id) : 'the system',
        Organisation: a.actor_organisation_id ? org(a.actor_organisation_id) : '',
        What: words('audit', a.action),
        Record: words('recordKind', a.subject_type),
      })),
    },
  ];
  // Every other table of the child's record, drawn from its rows, before the audit log.
  for (const table of CHILD_SUB_RECORD_TABLES) {
    const coverage = PRIVACY_COVERAGE[table];
    if ('rows' in coverage)
      sections.splice(sections.length - 1, 0, await rowsSection(ctx, table, coverage.rows, caseIds));
  }
  const counts = Object.fromEntries(sections.map((s) => [s.title, s.records.length]));
  await recordAudit(ctx.db, actor, {
    action: 'privacy.export',
    subjectType: 'child',
    subjectId: childId,
    details: { childId, caseIds, referralIds: referrals.map((r) => r.id), counts, ...auditDetails },
  });
  return { html: render(sections, ctx.today()), childId, counts };
}

function render(sections: Section[], today: string): string {
  const body = sections
    .map((s) => {
      const records = s.records.map(
        (r) =>
          `<dl>${Object.entries(r)
            .filter(([, v]) => v !== '')
            .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
            .join('')}</dl>`,
      );
      return `<section><h2>${esc(s.title)}</h2>${records.length ? records.join('\n') : `<p>${esc(s.empty)}</p>`}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en-NZ"><head><meta charset="utf-8"><title>Information held by Tiaki</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.6rem}h2{border-bottom:2px solid #1a1a1a;margin-top:2rem}
dl{display:grid;grid-template-columns:14rem 1fr;gap:.25rem 1rem;border:1px solid #ccc;padding:.75rem;margin:0 0 1rem}
dt{font-weight:600}dd{margin:0;white-space:pre-wrap}</style></head>
<body><h1>Information held by Tiaki about one child</h1>
<p>Prepared on ${esc(nzDate(today))} in answer to a request under information privacy principle 6 of the Privacy Act 2020.
It holds every record Tiaki keeps about the child, including the referrals, the case, decisions, notes, what was
shared with whom, and who looked at the record. Times are New Zealand time. Check it for information about
other people before release.</p>
${body}
</body></html>
`;
}
