/**
 * Reads the HTCDS v2.0 field standard (packages/domain/reference/htcds/, a CSV converted from
 * IOM's .ods) into fields and their picklist value names. Used by the tests that check Tiaki's
 * mappings and exports against the standard; pure, so the caller reads the file.
 */
/** Where the standard's CSV is kept (not exported from the package index: the web app never loads it). */
export const HTCDS_STANDARD_CSV = new URL(
  '../../reference/htcds/htcds-field-standards-2.0.csv',
  import.meta.url,
);

export interface HtcdsField {
  type: string;
  /** Picklist value names; ['ISO3166'] for fields that take ISO 3166 country codes. */
  values: string[];
}

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function parseHtcdsStandard(csv: string): Map<string, HtcdsField> {
  const [header = [], ...rows] = parseCsv(csv);
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`The HTCDS CSV has no column "${name}"`);
    return index;
  };
  const nameAt = column('Field Name including Prefix');
  const typeAt = column('Field Type');
  const valuesAt = column('Value Names (if picklist)');
  const fields = new Map<string, HtcdsField>();
  for (const row of rows) {
    const name = row[nameAt]?.trim();
    if (!name || name === 'N/A') continue;
    const raw = (row[valuesAt] ?? '').trim();
    const values = raw.startsWith('Use ISO 3166')
      ? ['ISO3166']
      : raw
          .split('\n')
          .map((v) => v.trim())
          .filter(Boolean);
    fields.set(name, { type: row[typeAt] ?? '', values });
  }
  return fields;
}
