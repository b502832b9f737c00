import { CURRENT_TAXONOMY } from '@tiaki/domain';
import type { TFunction } from 'i18next';
import { provisionName } from '../cases/JusticeSection.tsx';
import { labelOf, policeDistrictName, regionName } from '../referrals/labels.ts';

const MONTH = new Intl.DateTimeFormat('en-NZ', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** 'YYYY-MM' as "Jul 2026". */
export function monthName(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : MONTH.format(date);
}

const LONG_MONTH = new Intl.DateTimeFormat('en-NZ', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** 'YYYY-MM' as "July 2026", for sentences. */
export function monthLongName(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : LONG_MONTH.format(date);
}

/** A category code of a statistics table, in words: the same labels the rest of Tiaki shows. */
export function categoryName(t: TFunction, dimension: string, code: string): string {
  const known = (key: string) => t(key, { defaultValue: code });
  if (code === 'not_recorded') return t('statistics.notRecorded');
  switch (dimension) {
    case 'manifestation':
      return labelOf(CURRENT_TAXONOMY.manifestations, code);
    case 'age band':
      return labelOf(CURRENT_TAXONOMY.ageBands, code);
    case 'gender':
      return labelOf(CURRENT_TAXONOMY.genders, code);
    case 'ethnicity':
      return labelOf(CURRENT_TAXONOMY.ethnicities, code);
    case 'iwi':
      return labelOf(CURRENT_TAXONOMY.iwi, code);
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
    case 'context':
      return labelOf(CURRENT_TAXONOMY.contexts, code);
    case 'police district':
      return policeDistrictName(code);
    case 'closure reason':
      return known(`cases.closure.reasons.${code}`);
    case 'measure':
      return known(`statistics.byMonth.${code}`);
    case 'quarter':
      return code.replace(/^(\d{4})Q([1-4])$/, 'Q$2 $1');
    case 'provision':
      return provisionName(code);
    case 'charge outcome':
      return known(`cases.justice.outcomes.${code}`);
    case 'equity group':
      return known(`statistics.equity.groups.${code}`);
    case 'identification':
      return known(`statistics.equity.identification.${code}`);
    case 'service response':
      return known(`statistics.equity.responses.${code}`);
    default:
      return code;
  }
}
