import { CURRENT_TAXONOMY, REGIONS } from '@tiaki/domain';

/** The label of a taxonomy code; the code itself when it is not (or no longer) in the taxonomy. */
export function labelOf(list: readonly { code: string; label: string }[], code: string): string {
  return list.find((entry) => entry.code === code)?.label ?? code;
}

export function labelsOf(list: readonly { code: string; label: string }[], codes: readonly string[]): string {
  return codes.map((code) => labelOf(list, code)).join('; ');
}

export function regionName(code: string): string {
  return REGIONS.find((region) => region.code === code)?.name ?? code;
}

export function policeDistrictName(code: string): string {
  return CURRENT_TAXONOMY.policeDistricts.find((district) => district.code === code)?.name ?? code;
}

export function manifestationNames(codes: readonly string[]): string {
  return labelsOf(CURRENT_TAXONOMY.manifestations, codes);
}
