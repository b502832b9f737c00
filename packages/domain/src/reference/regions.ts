import regionsData from '../../reference/regions.json' with { type: 'json' };

export interface Region {
  /** Stats NZ regional council code (REGC), e.g. "09"; "99" is the Chatham Islands. */
  code: string;
  name: string;
  nameMi: string | null;
  iso: string;
  /** The province whose anniversary day is a public holiday in this region. */
  anniversaryProvince: string;
}

export const REGIONS: readonly Region[] = regionsData;
export const REGION_CODES: readonly string[] = REGIONS.map((region) => region.code);
