import { CURRENT_TAXONOMY } from '@tiaki/domain';
import { labelOf } from '../referrals/labels.ts';

export function ageBandName(code: string | null): string | null {
  return code ? labelOf(CURRENT_TAXONOMY.ageBands, code) : null;
}

export function genderName(code: string | null | undefined): string | null {
  return code ? labelOf(CURRENT_TAXONOMY.genders, code) : null;
}
