import { blockingKeys, normaliseName, type SearchMatch, type SearchResult } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { readableCase } from '../child-record/index.ts';
import { casesFound, type ChildKey, findChildren, referralsFound } from './queries.ts';

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
  // How children are looked for: each through a keyed index, nothing decrypted.
  const keys: ChildKey[] = [];
  const dateOfBirth = parseDateOfBirth(text);
  if (dateOfBirth) {
    kinds.push('date_of_birth');
    keys.push({ matchedOn: 'date_of_birth', dobKey: ctx.keyring.blindIndex(dateOfBirth, 'child.dob') });
  }
  const name = normaliseName(text);
  if (!dateOfBirth && /\p{L}/u.test(name)) {
    kinds.push('name');
    keys.push({ matchedOn: 'name', nameKey: ctx.keyring.blindIndex(name, 'child.name') });
    // Sounding alike: every word of the search (of 3 letters or more) sounds like one of the
    // child's names or is a known other form of it.
    const words = name.split(' ').filter((word) => word.length >= 3);
    if (words.length > 0)
      keys.push({
        matchedOn: 'sounds_like',
        blockKeysPerWord: words.map((word) =>
          blockingKeys({ givenNames: word }).map((key) => ctx.keyring.blindIndex(key, 'child.block')),
        ),
      });
  }

  // First the children the indexes find (and the cases of referrals by reference), then, side by
  // side, the cases and referrals among them the searcher may see: each query starts from a short
  // list of ids, so none reads a table through (nor starts parallel workers to do so).
  const { children, referencedCaseIds } = await findChildren(ctx.db, keys, references);
  const best = new Map<string, SearchMatch>();
  const better = (id: string, match: SearchMatch) => {
    const known = best.get(id);
    if (!known || RANK[match] < RANK[known]) best.set(id, match);
  };
  for (const child of children) {
    better(`child:${child.child_id}`, child.matched_on);
    if (child.case_id) better(`case:${child.case_id}`, child.matched_on);
  }
  for (const caseId of referencedCaseIds) better(`case:${caseId}`, 'reference');

  // Newest first, then ranked by how each was found: room for the better matches of older records.
  const limit = (SEARCH_LIMIT + 1) * 4;
  const [caseRows, referralRows] = await Promise.all([
    readsCases
      ? casesFound(
          ctx.db,
          {
            caseIds: [...children.flatMap((c) => (c.case_id ? [c.case_id] : [])), ...referencedCaseIds],
            references,
            readable: readableCase(auth, 'k.id'),
          },
          limit,
        )
      : [],
    triages || readsOwn
      ? referralsFound(
          ctx.db,
          {
            childIds: children.map((c) => c.child_id),
            references,
            ownOrganisationId: readsOwn ? auth.organisation.id : null,
            triage: triages,
          },
          limit,
        )
      : [],
  ]);

  // One result per record, under its best match.
  const found: SearchResult[] = [];
  for (const [kind, rows] of [
    ['case', caseRows],
    ['referral', referralRows],
  ] as const) {
    for (const row of rows) {
      const matchedOn = references.includes(row.reference)
        ? 'reference'
        : kind === 'case'
          ? best.get(`case:${row.id}`)
          : best.get(`child:${row.child_id}`);
      if (!matchedOn) continue;
      found.push({
        kind,
        id: row.id,
        reference: row.reference,
        status: row.status,
        region: row.region,
        ageBand: row.age_band,
        date: row.date,
        matchedOn,
      });
    }
  }
  const all = found.sort((a, b) => RANK[a.matchedOn] - RANK[b.matchedOn] || b.date.localeCompare(a.date));
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
