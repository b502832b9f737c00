import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { addCalendarDays, type ChargeOutcome } from '@tiaki/domain';
import type { AppContext } from '../context.ts';
import { pick, random } from './history.ts';

/**
 * Synthetic charges for the demo history, with the pattern the source documents describe: child
 * sex trafficking is charged under the Prostitution Reform Act or as dealing in children (s98AA),
 * never under Crimes Act s98D; online exploitation under the grooming and indecent communication
 * sections; child sexual abuse material under the Films, Videos, and Publications Classification
 * Act. Drawn with a random stream of their own, so the rest of the history is unchanged.
 */
const PROVISIONS_BY_FORM: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  exploitation_in_prostitution: [
    ['pra_22', 55],
    ['pra_20', 25],
    ['pra_21', 10],
    ['crimes_134', 10],
  ],
  trafficking_sexual_purposes: [
    ['pra_20', 50],
    ['crimes_98aa', 30],
    ['pra_21', 20],
  ],
  online_sexual_exploitation: [
    ['crimes_131b', 40],
    ['crimes_124a', 35],
    ['crimes_131ab', 25],
  ],
  child_sexual_abuse_material: [
    ['fvpca_124', 45],
    ['fvpca_131a', 35],
    ['fvpca_127', 20],
  ],
};
const OUTCOMES: readonly (readonly [ChargeOutcome, number])[] = [
  ['charged', 35],
  ['convicted', 40],
  ['withdrawn', 18],
  ['acquitted', 7],
];

/** Charges on about a third of the cases with a positive reasonable-grounds decision. */
export async function seedDemoCharges(ctx: AppContext, seed: number, to: string): Promise<number> {
  const rand = random(seed + 98);
  const cases = (
    await sql<{ case_id: string; decided_on: string; manifestations: string[] }>`
      SELECT d.case_id, d.decided_on::text AS decided_on, r.manifestations
      FROM decision d JOIN referral r ON r.case_id = d.case_id
      WHERE d.kind = 'reasonable_grounds' AND d.status = 'made' AND d.outcome = 'positive'
      ORDER BY d.decided_on, d.case_id`.execute(ctx.db)
  ).rows;
  let added = 0;
  for (const c of cases) {
    if (rand() > 0.35) continue;
    const form = c.manifestations.find((m) => m in PROVISIONS_BY_FORM);
    const weights = form ? PROVISIONS_BY_FORM[form] : undefined;
    if (!form || !weights) continue;
    const laidOn = addCalendarDays(c.decided_on, 10 + Math.floor(rand() * 60));
    if (laidOn > to) continue;
    const outcome = pick(rand, OUTCOMES);
    const outcomeOn = outcome === 'charged' ? null : addCalendarDays(laidOn, 30 + Math.floor(rand() * 150));
    const settled = outcomeOn !== null && outcomeOn <= to;
    await ctx.db
      .insertInto('charge')
      .values({
        id: randomUUID(),
        case_id: c.case_id,
        provision: pick(rand, weights),
        manifestation: form,
        laid_on: laidOn,
        outcome: settled ? outcome : 'charged',
        outcome_on: settled ? outcomeOn : null,
      })
      .execute();
    added += 1;
  }
  return added;
}
