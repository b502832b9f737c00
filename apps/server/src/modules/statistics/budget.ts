import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { knownShapes, recordShape, shapesUsed } from './queries/budget.ts';

/**
 * Distinct published-statistics queries one person may ask in a day: STATS_DAILY_QUERY_BUDGET,
 * by default 250 (docs/statistics.md). A
 * query's shape is what it asks for (the output, the period, the area), never what it answered;
 * asking the same thing again is free. Browsing every month of a year for every region is 204
 * shapes; a working day of analysis is a few dozen. Probing (sweeping periods and areas to find
 * where a few children are) needs many more: past the budget the answer is 429, and the auditor
 * sees a statistics.probing_alert entry once a day for that person.
 */

/** Marks, among a person's shapes of a day, that the alert has been recorded (not a query). */
const ALERTED = '!alerted';

export const budgetMessage = (budget: number) =>
  `You have asked for ${budget} different statistics today, the daily limit for published figures. The limit protects children from being singled out by many overlapping queries; it resets tomorrow. Figures you have already opened today can still be opened. If your work needs more, ask a data steward.`;

/**
 * Counts a published-statistics query against the person's daily budget; refuses (429) a new
 * shape past it. People who may see exact figures are not counted.
 */
export async function spendQueryBudget(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  shape: string,
): Promise<void> {
  if (auth.permissions.has('statistics.exact')) return;
  const day = ctx.today();
  const budget = ctx.config.statsDailyQueryBudget;
  const allowed = await ctx.db.transaction().execute(async (trx) => {
    const known = await knownShapes(trx, auth.userId, day, [shape, ALERTED]);
    if (known.some((k) => k.shape === shape)) return true;
    if ((await shapesUsed(trx, auth.userId, day, ALERTED)) < budget) {
      await recordShape(trx, auth.userId, day, shape.slice(0, 200));
      return true;
    }
    if (!known.some((k) => k.shape === ALERTED)) {
      await recordShape(trx, auth.userId, day, ALERTED);
      await recordAudit(trx, actor, {
        action: 'statistics.probing_alert',
        subjectType: 'user',
        subjectId: auth.userId,
        details: { day, budget },
      });
    }
    return false;
  });
  if (!allowed) throw new HttpError(429, 'statistics_budget_exceeded', budgetMessage(budget));
}
