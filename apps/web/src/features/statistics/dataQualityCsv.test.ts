import { describe, expect, it } from 'vitest';
import type { DataQualityRow } from '@tiaki/domain';
import { dataQualityCsv } from './dataQualityCsv.ts';

const row = (organisation: string): DataQualityRow => ({
  organisation,
  referrals: 3,
  withRegion: 3,
  withGender: 2,
  withEthnicity: 1,
  withForm: 3,
  withDateOfBirth: 2,
  withEstimatedAgeOnly: 1,
  medianDaysToReferral: 4,
  linkedToKnownChild: 0,
  genderUnknown: 1,
  ethnicityUnknown: 2,
  formOther: 0,
  citizenshipUnknown: 1,
});

describe('the data-quality CSV file', () => {
  it('never lets an organisation name (set by an administrator) run as a spreadsheet formula', () => {
    const names = [
      '=HYPERLINK("http://evil.example","x")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      ' =1+1',
      'Police, "North"',
    ];
    const lines = dataQualityCsv(names.map(row)).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]!.startsWith('organisation,referrals,withRegion')).toBe(true);
    const firstCells = lines.slice(1, -1).map((line) => /^("(?:[^"]|"")*"|[^,]*)/.exec(line)![0]);
    expect(firstCells).toEqual([
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      "' =1+1",
      '"Police, ""North"""',
    ]);
    expect(lines[2]).toBe("'+1+1,3,3,2,1,3,2,1,4,0,1,2,0,1");
  });
});
