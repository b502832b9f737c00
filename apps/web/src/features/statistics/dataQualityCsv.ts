// The data-quality table as a CSV file, written in the browser through the one guarded CSV writer.
import { csvDocument, csvLine } from '@tiaki/disclosure/csv-writer';
import type { DataQualityRow } from '@tiaki/domain';

export type Share = Exclude<keyof DataQualityRow, 'organisation' | 'referrals' | 'medianDaysToReferral'>;
export const COMPLETENESS: readonly Share[] = [
  'withRegion',
  'withGender',
  'withEthnicity',
  'withForm',
  'withDateOfBirth',
  'withEstimatedAgeOnly',
];
export const OTHER: readonly Share[] = [
  'linkedToKnownChild',
  'genderUnknown',
  'ethnicityUnknown',
  'formOther',
  'citizenshipUnknown',
];

/**
 * The whole table as CSV, counts only, through the one guarded CSV writer: an organisation's name
 * starting with = + - @ is made inert, so a spreadsheet never runs it as a formula.
 */
export function dataQualityCsv(rows: readonly DataQualityRow[]): string {
  const keys = [
    'organisation',
    'referrals',
    ...COMPLETENESS,
    'medianDaysToReferral',
    ...OTHER,
  ] as const satisfies readonly (keyof DataQualityRow)[];
  return csvDocument([
    csvLine(keys),
    ...rows.map((row) =>
      csvLine(keys.map((k) => (k === 'organisation' ? row.organisation : String(row[k] ?? '')))),
    ),
  ]);
}
