import { describe, expect, it } from 'vitest';
import { CsvError, febrlHeader, febrlRow, parseRecords, tiakiHeader, tiakiRow } from './csv.ts';

const lines = (...rows: string[]) => rows.join('\n');

const HEADER =
  'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id';

describe('CSV', () => {
  it('reads FEBRL rows, with dates as YYYY-MM-DD', () => {
    const [r] = [
      ...parseRecords(
        lines(HEADER, 'rec-1-org, mere, ngata, 7, wallaby place, , cleveland, 2119, sa, 19560409, 1804974'),
        'febrl',
      ),
    ];
    expect(r).toMatchObject({
      id: 'rec-1-org',
      givenNames: ['mere'],
      familyNames: ['ngata'],
      dateOfBirth: '1956-04-09',
      postcode: '2119',
    });
    expect(r?.address2).toBeUndefined();
  });

  it('names the line of a row with the wrong number of fields', () => {
    expect(() => [
      ...parseRecords(
        lines(HEADER, 'rec-1-org, a, b, 1, x, y, z, 1, sa, 19560409, 1', 'rec-2-org, a, b'),
        'febrl',
        'f.csv',
      ),
    ]).toThrow('f.csv, line 3: expected 11 fields, found 3.');
  });

  it('names the line of a bad date and of an unclosed quote', () => {
    expect(() => [
      ...parseRecords(lines(HEADER, 'rec-1-org, a, b, 1, x, y, z, 1, sa, 1956-04, 1'), 'febrl'),
    ]).toThrow(/line 2: date_of_birth/);
    expect(() => [...parseRecords(lines(HEADER, '"rec-1-org, a'), 'febrl')]).toThrow(CsvError);
  });

  it('says which columns a header lacks', () => {
    expect(() => [...parseRecords('id,name', 'febrl')]).toThrow(/line 1: header lacks rec_id/);
    expect(() => [...parseRecords('', 'tiaki')]).toThrow(/empty/);
  });

  it('round-trips Tiaki rows with aliases, macrons and estimated ages', () => {
    const record = {
      id: 'rec-5-dup-0',
      givenNames: ['Tāne', 'Hēmi'],
      familyNames: ['Te Ao', 'Smith'],
      aliases: [{ family: 'Walker' }, { given: 'Tom' }],
      estimatedAge: { min: 13, max: 15, atDate: '2024-06-01' },
      region: "Hawke's Bay",
    };
    const [back] = [...parseRecords(lines(tiakiHeader(), tiakiRow(record)), 'tiaki')];
    expect(back).toEqual(record);
  });

  it('reads quoted fields holding commas, quotes and a line break, and counts lines past it', () => {
    const text = lines(
      HEADER,
      'rec-1-org,"Te Ao, Hēmi","O""Brien",7,"Flat 2',
      'Kauri Street",,Ōtara,2023,02,20110409,',
      'rec-2-org, a, b',
    );
    expect(() => parseRecords(text, 'febrl', 'f.csv')).toThrow('f.csv, line 4: expected 11 fields, found 3.');
    const [r] = parseRecords(text.split('\n').slice(0, 3).join('\n'), 'febrl');
    expect(r).toMatchObject({
      givenNames: ['Te Ao, Hēmi'],
      familyNames: ['O"Brien'],
      address1: 'Flat 2\nKauri Street',
    });
  });

  it('writes FEBRL rows that read back the same', () => {
    const record = {
      id: 'rec-9-dup-0',
      givenNames: ["Fa'afetai"],
      familyNames: ['Tu, ipulotu'],
      dateOfBirth: '2012-07-01',
      suburb: 'Ōtara',
      postcode: '2023',
    };
    expect(parseRecords(lines(febrlHeader(), febrlRow(record)), 'febrl')).toEqual([record]);
  });
});
