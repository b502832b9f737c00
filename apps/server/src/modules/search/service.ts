import {
  blockingKeys,
  normaliseName,
  type SearchMatch,
  type SearchResult,
  UNTRIAGED_STATUSES,
} from '@tiaki/domain';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { readableCase } from '../child-record/index.ts';

/** At most this many results: a search that finds more is told to be more precise. */
export const SEARCH_LIMIT = 50;

/** Which matches count most, when one record is found more than one way. */
const RANK: Record<SearchMatch, number> = { reference: 0, date_of_birth: 1, name: 2, sounds_like: 3 };

/** A date of birth typed as YYYY-MM-DD or DD/MM/YYYY (also with dots or dashes), or null. */
export function parseDateOfBirth(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const nz = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : nz
      ? [nz[3], nz[2]?.padStart(2, '0'), nz[1]?.padStart(2, '0')]
      : [];
  if (!year || !month || !day) return null;
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date ? null : date;
}

/**
 * One search for the records a person may see: by case or referral reference, by the child's name
 * (exact, through the keyed name index, or sounding alike, through the keyed blocking index), or by
 * date of birth (the keyed date index). Nothing is decrypted and no name is returned. Cases are
 * limited by the access gate (`readableCase`); referrals by the same rule as reading one: the
 * organisation that submitted it, and lead-agency triage while it is untriaged. The search is
 * audited with what kind of search it was and how many records it found, never the words.
 */
export async function search(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  text: string,
): Promise<{ results: SearchResult[]; truncated: boolean }> {
  const readsCases = auth.permissions.has('cases.read');
  const triages = auth.permissions.has('referrals.triage') && auth.organisation.kind === 'lead_agency';
  const readsOwn = auth.permissions.has('referrals.read_own');
  if (!readsCases && !triages && !readsOwn)
    throw new HttpError(403, 'forbidden', 'Your role does not let you search for children’s records.');

  const kinds: string[] = ['reference'];
  const references = [...new Set([text, text.toUpperCase()])];
  // Children matched by name or date of birth, with how.
  const childMatches: ReturnType<typeof sql>[] = [];
  const dateOfBirth = parseDateOfBirth(text);
  if (dateOfBirth) {
    kinds.push('date_of_birth');
    const key = ctx.keyring.blindIndex(dateOfBirth, 'child.dob');
    childMatches.push(
      sql`SELECT id AS child_id, 'date_of_birth' AS matched_on FROM child WHERE dob_index = ${key}`,
    );
  }
  const name = normaliseName(text);
  if (!dateOfBirth && /\p{L}/u.test(name)) {
    kinds.push('name');
    const exact = ctx.keyring.blindIndex(name, 'child.name');
    childMatches.push(
      sql`SELECT id AS child_id, 'name' AS matched_on FROM child WHERE name_index && ARRAY[${exact}]::text[]`,
    );
    // Sounding alike: every word of the search (of 3 letters or more) sounds like one of the
    // child's names or is a known other form of it.
    const words = name.split(' ').filter((word) => word.length >= 3);
    if (words.length > 0) {
      const conditions = words.map((word) => {
        const keys = blockingKeys({ givenNames: word }).map((key) =>
          ctx.keyring.blindIndex(key, 'child.block'),
        );
        return sql`block_index && ARRAY[${sql.join(keys)}]::text[]`;
      });
      childMatches.push(
        sql`SELECT id AS child_id, 'sounds_like' AS matched_on FROM child WHERE ${sql.join(conditions, sql` AND `)}`,
      );
    }
  }
  const matched = childMatches.length
    ? sql`(${sql.join(childMatches, sql` UNION ALL `)})`
    : sql`(SELECT NULL::uuid AS child_id, NULL::text AS matched_on WHERE false)`;

  const limit = SEARCH_LIMIT + 1;
  const caseResults = readsCases
    ? await sql<{
        id: string;
        reference: string;
        status: string;
        region: string;
        age_band: string | null;
        date: string;
        matched_on: SearchMatch;
      }>`
      SELECT k.id, k.reference, k.status, k.region, c.age_band, to_char(k.opened_at AT TIME ZONE 'Pacific/Auckland', 'YYYY-MM-DD') AS date, f.matched_on
      FROM (
        SELECT k.id AS case_id, 'reference' AS matched_on FROM case_record k WHERE k.reference IN (${sql.join(references)})
        UNION ALL
        SELECT r.case_id, 'reference' FROM referral r WHERE r.reference IN (${sql.join(references)}) AND r.case_id IS NOT NULL
        UNION ALL
        SELECT c.case_id, m.matched_on FROM ${matched} m JOIN child c ON c.id = m.child_id WHERE c.case_id IS NOT NULL
      ) f
      JOIN case_record k ON k.id = f.case_id
      JOIN child c ON c.id = k.child_id
      WHERE ${readableCase(auth, 'k.id')}
      ORDER BY k.opened_at DESC
      LIMIT ${limit * 4}`.execute(ctx.db)
    : { rows: [] };

  const referralVisible = sql.join(
    [
      ...(readsOwn ? [sql`r.organisation_id = ${auth.organisation.id}`] : []),
      ...(triages ? [sql`r.status IN (${sql.join([...UNTRIAGED_STATUSES])})`] : []),
    ],
    sql` OR `,
  );
  const referralResults =
    triages || readsOwn
      ? await sql<{
          id: string;
          reference: string;
          status: string;
          region: string;
          age_band: string | null;
          date: string;
          matched_on: SearchMatch;
        }>`
      SELECT r.id, r.reference, r.status, r.region, c.age_band, r.received_on::text AS date, f.matched_on
      FROM (
        SELECT r.id AS referral_id, 'reference' AS matched_on FROM referral r WHERE r.reference IN (${sql.join(references)})
        UNION ALL
        SELECT r.id, m.matched_on FROM ${matched} m JOIN referral r ON r.child_id = m.child_id
      ) f
      JOIN referral r ON r.id = f.referral_id
      JOIN child c ON c.id = r.child_id
      WHERE (${referralVisible})
      ORDER BY r.submitted_at DESC
      LIMIT ${limit * 4}`.execute(ctx.db)
      : { rows: [] };

  // One result per record, under its best match.
  const found = new Map<string, SearchResult>();
  for (const [kind, rows] of [
    ['case', caseResults.rows],
    ['referral', referralResults.rows],
  ] as const) {
    for (const row of rows) {
      const key = `${kind}:${row.id}`;
      const known = found.get(key);
      if (known && RANK[known.matchedOn] <= RANK[row.matched_on]) continue;
      found.set(key, {
        kind,
        id: row.id,
        reference: row.reference,
        status: row.status,
        region: row.region,
        ageBand: row.age_band,
        date: row.date,
        matchedOn: row.matched_on,
      });
    }
  }
  const all = [...found.values()].sort(
    (a, b) => RANK[a.matchedOn] - RANK[b.matchedOn] || b.date.localeCompare(a.date),
  );
  const results = all.slice(0, SEARCH_LIMIT);
  await recordAudit(ctx.db, actor, {
    action: 'search.performed',
    // What kind of search and how much it found: never the words searched for.
    details: {
      kinds,
      cases: results.filter((r) => r.kind === 'case').length,
      referrals: results.filter((r) => r.kind === 'referral').length,
      truncated: all.length > SEARCH_LIMIT,
    },
  });
  return { results, truncated: all.length > SEARCH_LIMIT };
}
