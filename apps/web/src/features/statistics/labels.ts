import { CURRENT_TAXONOMY } from '@tiaki/domain';
import type { TFunction } from 'i18next';
import { labelOf, regionName } from '../referrals/labels.ts';

const MONTH = new Intl.DateTimeFormat('en-NZ', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** 'YYYY-MM' as "Jul 2026". */
export function monthName(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : MONTH.format(date);
}

/** A category code of a statistics table, in words: the same labels the rest of Tiaki shows. */
export function categoryName(t: TFunction, dimension: string, code: string): string {
  const known = (key: string) => t(key, { defaultValue: code });
  switch (dimension) {
    case 'manifestation':
      return labelOf(CURRENT_TAXONOMY.manifestations, code);
    case 'age band':
      return labelOf(CURRENT_TAXONOMY.ageBands, code);
    case 'gender':
      return labelOf(CURRENT_TAXONOMY.genders, code);
    case 'ethnicity':
      return labelOf(CURRENT_TAXONOMY.ethnicities, code);
    case 'region':
      return regionName(code);
    case 'referrer':
      return known(`organisationKinds.${code}`);
    case 'decision':
      return known(`decisions.kinds.${code}`);
    case 'outcome':
      return known(`statistics.outcomes.${code}`);
    case 'need':
      return known(`services.needTypes.${code}`);
    case 'status':
      return known(`serviceReferrals.statuses.${code}`);
    case 'period':
      return monthName(code);
    default:
      return code;
  }
}
