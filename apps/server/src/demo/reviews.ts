// Synthetic triage reviews for the demo (issue 16, learning from reviewers): enough "same child"
// and "not the same child" decisions for the data steward's matching model screen to be useful.
// Made from the engine's NZ-style generator (invented names) with twins, siblings and namesakes
// added, scored by the built-in model as triage would see them, and labelled by the truth the
// generator knows. Kept exactly as triage decisions are: levels and weights only, encrypted.
import { randomUUID } from 'node:crypto';
import { addCalendarDays } from '@tiaki/domain';
import { defaultChildModel, entityOf, generateRecords, LinkageIndex, type LinkRecord } from '@tiaki/linkage';
import type { AppContext } from '../context.ts';
import { BUILT_IN_NAME, recordReviewLabels } from '../modules/linkage/learning.ts';
import { storedExplanation } from '../modules/linkage/scoring.ts';

/** How many decisions of each kind the demo holds. */
export const DEMO_REVIEWS = { confirmed: 90, rejected: 70 } as const;

/** Invented children, with a twin, a sibling or a namesake of some of them. */
function demoRecords(): LinkRecord[] {
  const base = [...generateRecords({ count: 1200, seed: 16 })];
  const out: LinkRecord[] = [];
  base.forEach((r, k) => {
    out.push(r);
    if (!r.id.endsWith('-org') || !r.dateOfBirth) return;
    const other = base[(k * 7 + 13) % base.length] ?? r;
    const [y = '2010', m = '01', d = '01'] = r.dateOfBirth.split('-');
    // A twin: one family, home and birthday, another given name.
    if (k % 6 === 0) out.push({ ...r, id: `twin-${k}`, givenNames: other.givenNames, aliases: [] });
    // An older brother or sister.
    if (k % 9 === 0)
      out.push({
        ...r,
        id: `sibling-${k}`,
        givenNames: other.givenNames,
        aliases: [],
        dateOfBirth: `${Number(y) - 1 - (k % 3)}-${m}-${d}`,
      });
    // A namesake (a cousin named after the same tupuna), born days apart elsewhere.
    if (k % 11 === 0) {
      const day = String(((Number(d) + 3) % 28) + 1).padStart(2, '0');
      out.push({
        ...r,
        id: `namesake-${k}`,
        aliases: [],
        dateOfBirth: `${y}-${m}-${day}`,
        ...(other.region ? { region: other.region } : {}),
      });
    }
  });
  return out;
}

/** Records the demo's triage decisions, spread over the last few months; how many of each. */
export async function seedDemoReviews(
  ctx: AppContext,
  triageUserId: string,
): Promise<{ confirmed: number; rejected: number }> {
  const model = defaultChildModel();
  const index = new LinkageIndex(model);
  const links: Record<'match' | 'non_match', { id: string; explanation: unknown; model: string }[]> = {
    match: [],
    non_match: [],
  };
  for (const record of demoRecords()) {
    for (const c of index.search(record, { minProbability: 0.1, limit: 3 })) {
      const label = entityOf(c.id) === entityOf(record.id) ? 'match' : 'non_match';
      links[label].push({
        id: randomUUID(),
        explanation: storedExplanation(c.explanation, BUILT_IN_NAME),
        model: BUILT_IN_NAME,
      });
    }
    index.add(record);
  }
  const kept = { confirmed: 0, rejected: 0 };
  const wanted = { match: DEMO_REVIEWS.confirmed, non_match: DEMO_REVIEWS.rejected };
  for (const label of ['match', 'non_match'] as const) {
    const chosen = links[label].slice(0, wanted[label]);
    for (const [k, link] of chosen.entries()) {
      const day = addCalendarDays(ctx.today(), -1 - ((k * 7) % 120));
      await recordReviewLabels(
        ctx.db,
        ctx.keyring,
        [link],
        label,
        triageUserId,
        new Date(`${day}T02:00:00Z`),
      );
    }
    kept[label === 'match' ? 'confirmed' : 'rejected'] = chosen.length;
  }
  return kept;
}
