import { REGIONS, type Region } from '@tiaki/domain';
import type { TFunction } from 'i18next';

const byCode = new Map(REGIONS.map((region) => [region.code, region]));

/** A region's English name, with its Māori name marked as te reo Māori for screen readers. */
export function RegionName({ region }: { region: Region }) {
  return (
    <>
      {region.name}
      {region.nameMi && region.nameMi !== region.name ? (
        <>
          {' '}
          (<span lang="mi">{region.nameMi}</span>)
        </>
      ) : null}
    </>
  );
}

export const regionOptions = REGIONS.map((region) => ({
  value: region.code,
  label: <RegionName region={region} />,
}));

/** "All regions", or the regions' names in the usual order. */
export function describeRegions(t: TFunction, codes: readonly string[]): string {
  if (codes.length === 0) return t('organisations.noRegions');
  if (REGIONS.every((region) => codes.includes(region.code))) return t('organisations.allRegions');
  return REGIONS.filter((region) => codes.includes(region.code))
    .map((region) => region.name)
    .concat(codes.filter((code) => !byCode.has(code)))
    .join(', ');
}
