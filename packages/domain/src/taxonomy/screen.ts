import { CURRENT_TAXONOMY } from './registry.ts';
import type { Indicator, Taxonomy } from './types.ts';

export type ConcernLevel = 'none' | 'possible' | 'clear';

export interface IndicatorScreen {
  level: ConcernLevel;
  reasons: string[];
}

/** How many supporting indicators, from how many groups, make a clear concern without a strong one. */
export const SCREEN_SUPPORTING_THRESHOLD = { indicators: 3, groups: 2 } as const;

/** The screening rule in plain words, for people to read beside the result. */
export const SCREENING_RULE =
  'No indicators: no concern shown. Any strong indicator, or three or more supporting indicators ' +
  'from at least two different groups: clear concern. Otherwise, one or more supporting indicators: ' +
  'possible concern. The screen informs professional judgement; it never decides, and a child ' +
  'with no indicators recorded may still be at risk.';

/**
 * Indicator screen: a documented rule, no hidden score. It informs people and never decides.
 *
 * The rule (also in docs/taxonomy.md):
 * - no indicators → 'none';
 * - any strong indicator, or supporting indicators from at least two different groups totalling
 *   three or more → 'clear';
 * - otherwise (one or more supporting) → 'possible'.
 *
 * Codes are read against the given taxonomy (by default the current one; pass the version a referral
 * was recorded under). Duplicate codes count once. Unknown codes are ignored and reported as a reason.
 * `reasons` are plain-language sentences naming each indicator and the part of the rule that applied.
 */
export function screenIndicators(
  indicatorCodes: readonly string[],
  taxonomy: Taxonomy = CURRENT_TAXONOMY,
): IndicatorScreen {
  const known: Indicator[] = [];
  const unknown: string[] = [];
  for (const code of new Set(indicatorCodes)) {
    const indicator = taxonomy.indicators.find((i) => i.code === code);
    if (indicator) known.push(indicator);
    else unknown.push(code);
  }

  const groupLabel = (code: string) => taxonomy.indicatorGroups.find((g) => g.code === code)?.label ?? code;
  const strong = known.filter((i) => i.strength === 'strong');
  const supporting = known.filter((i) => i.strength === 'supporting');
  const supportingGroups = [...new Set(supporting.map((i) => i.group))];

  const reasons: string[] = [
    ...strong.map((i) => `Strong indicator: ${i.label}`),
    ...supporting.map((i) => `Supporting indicator (${groupLabel(i.group)}): ${i.label}`),
  ];

  let level: ConcernLevel;
  const supportingSummary =
    `${count(supporting.length, 'supporting indicator')} from ` +
    `${count(supportingGroups.length, 'group')} (${supportingGroups.map(groupLabel).join(', ')})`;
  if (strong.length > 0) {
    level = 'clear';
    reasons.push(
      `Clear concern: ${count(strong.length, 'strong indicator')} recorded; one strong indicator is enough.`,
    );
  } else if (
    supporting.length >= SCREEN_SUPPORTING_THRESHOLD.indicators &&
    supportingGroups.length >= SCREEN_SUPPORTING_THRESHOLD.groups
  ) {
    level = 'clear';
    reasons.push(
      `Clear concern: ${supportingSummary}; three or more supporting indicators from at least two groups make a clear concern.`,
    );
  } else if (supporting.length > 0) {
    level = 'possible';
    reasons.push(
      `Possible concern: ${supportingSummary}; a clear concern needs a strong indicator, or three or more supporting indicators from at least two groups.`,
    );
  } else {
    level = 'none';
    const what = unknown.length > 0 ? 'no known indicators recorded' : 'no indicators recorded';
    reasons.push(`No concern shown: ${what}. This does not mean the child is safe.`);
  }

  for (const code of unknown) {
    reasons.push(`Unknown indicator code "${code}" ignored: it is not in taxonomy ${taxonomy.version}.`);
  }
  return { level, reasons };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
