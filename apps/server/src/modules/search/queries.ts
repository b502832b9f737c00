import { sql, type RawBuilder } from 'kysely';
import { UNTRIAGED_STATUSES, type SearchMatch } from '@tiaki/domain';
import type { Db } from '../../db/database.ts';

/** How a child is looked for: through one of its keyed (blind) indexes, never by decrypting. */
export type ChildKey =
  | { matchedOn: 'date_of_birth'; dobKey: string }
  | { matchedOn: 'name'; nameKey: string }
  /** Every word sounds like one of the child's names: one set of blocking keys per word. */
  | { matchedOn: 'sounds_like'; blockKeysPerWord: string[][] };

export interface FoundChild {
  child_id: string;
  case_id: string | null;
  matched_on: SearchMatch;
}

/**
 * The children the keys find, each with its case and how it was found (a child found two ways
 * comes once per way), and the cases of the referrals whose reference was typed. Each branch is one
 * index look-up (`child_dob_index_idx`, the GIN indexes on `name_index` and `block_index`,
 * `referral_reference_key`), so the later queries start from a known, short list of ids.
 */
export async function findChildren(
  db: Db,
  keys: readonly ChildKey[],
  references: readonly string[],
): Promise<{ children: FoundChild[]; referencedCaseIds: string[] }> {
  const branches = keys.map((key) => {
    switch (key.matchedOn) {
      case 'date_of_birth':
        return sql`SELECT id AS child_id, case_id, 'date_of_birth' AS matched_on FROM child WHERE dob_index = ${key.dobKey}`;
      case 'name':
        return sql`SELECT id AS child_id, case_id, 'name' AS matched_on FROM child WHERE name_index && ARRAY[${key.nameKey}]::text[]`;
      case 'sounds_like':
        return sql`SELECT id AS child_id, case_id, 'sounds_like' AS matched_on FROM child WHERE ${sql.join(
          key.blockKeysPerWord.map((words) => sql`block_index && ARRAY[${sql.join(words)}]::text[]`),
          sql` AND `,
        )}`;
    }
  });
  branches.push(
    sql`SELECT NULL::uuid AS child_id, r.case_id, 'reference' AS matched_on FROM referral r
      WHERE r.reference IN (${sql.join(references)}) AND r.case_id IS NOT NULL`,
  );
  const { rows } = await sql<{ child_id: string | null; case_id: string | null; matched_on: SearchMatch }>`
    ${sql.join(branches, sql` UNION ALL `)}`.execute(db);
  return {
    children: rows.flatMap((row) =>
      row.child_id ? [{ child_id: row.child_id, case_id: row.case_id, matched_on: row.matched_on }] : [],
    ),
    referencedCaseIds: rows.flatMap((row) => (row.child_id === null && row.case_id ? [row.case_id] : [])),
  };
}

export interface FoundRecord {
  id: string;
  reference: string;
  status: string;
  region: string;
  age_band: string | null;
  date: string;
  /** The case's or referral's child (for how it was found). */
  child_id: string;
}

/**
 * The cases with these ids or references that the access gate (`readable`, on `k.id`) lets the
 * searcher read, newest first: two index look-ups (primary key, reference) and the gate per row.
 */
export async function casesFound(
  db: Db,
  scope: { caseIds: readonly string[]; references: readonly string[]; readable: RawBuilder<boolean> },
  limit: number,
): Promise<FoundRecord[]> {
  const { rows } = await sql<FoundRecord>`
    SELECT k.id, k.reference, k.status, k.region, c.age_band, k.child_id,
      to_char(k.opened_at AT TIME ZONE 'Pacific/Auckland', 'YYYY-MM-DD') AS date
    FROM case_record k
    JOIN child c ON c.id = k.child_id
    WHERE (k.id = ANY(${[...new Set(scope.caseIds)]}::uuid[]) OR k.reference IN (${sql.join(scope.references)}))
      AND ${scope.readable}
    ORDER BY k.opened_at DESC
    LIMIT ${limit}`.execute(db);
  return rows;
}

/**
 * The referrals about these children or with these references that the searcher may read, newest
 * first: the organisation that submitted them (`ownOrganisationId`), and untriaged ones for
 * lead-agency triage (`triage`).
 */
export async function referralsFound(
  db: Db,
  scope: {
    childIds: readonly string[];
    references: readonly string[];
    ownOrganisationId: string | null;
    triage: boolean;
  },
  limit: number,
): Promise<FoundRecord[]> {
  const visible = [
    ...(scope.ownOrganisationId ? [sql`r.organisation_id = ${scope.ownOrganisationId}`] : []),
    ...(scope.triage ? [sql`r.status IN (${sql.join([...UNTRIAGED_STATUSES])})`] : []),
  ];
  if (visible.length === 0) return [];
  const { rows } = await sql<FoundRecord>`
    SELECT r.id, r.reference, r.status, r.region, c.age_band, r.child_id, r.received_on::text AS date
    FROM referral r
    JOIN child c ON c.id = r.child_id
    WHERE (r.child_id = ANY(${[...new Set(scope.childIds)]}::uuid[]) OR r.reference IN (${sql.join(scope.references)}))
      AND (${sql.join(visible, sql` OR `)})
    ORDER BY r.submitted_at DESC
    LIMIT ${limit}`.execute(db);
  return rows;
}
