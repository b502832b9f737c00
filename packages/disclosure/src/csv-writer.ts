// The one CSV writer of Tiaki, free of any Node.js module so the web app writes its CSV files
// with it too (`@tiaki/disclosure/csv-writer`).

/**
 * The one CSV writer of Tiaki: every line the server writes goes through `csvLine` or `csvComment`.
 * A cell beginning with = + - @ (after any spaces), a tab or a carriage return would run as a formula
 * in a spreadsheet; a leading apostrophe makes it text.
 */
const FORMULA_START = /^(\s*[=+\-@]|[\t\r])/;

function inert(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvField(text: string): string {
  const safe = inert(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV record (no line ending). */
export function csvLine(cells: readonly string[]): string {
  return cells.map(csvField).join(',');
}

/**
 * A "# …" comment line, which R and pandas skip (`comment.char = "#"`, `comment = "#"`). It stays
 * unquoted so it still starts with "#", and on one line; a spreadsheet splits it at commas, so each
 * piece is made inert on its own (a piece starting with a quote would open a quoted cell).
 */
export function csvComment(text: string): string {
  return `# ${text.replace(/[\r\n]+/g, ' ')}`
    .split(',')
    .map((piece) => (/^\s*"/.test(piece) ? `'${piece}` : inert(piece)))
    .join(',');
}

/** Lines joined as a CSV file: CRLF after each (RFC 4180). */
export function csvDocument(lines: readonly string[]): string {
  return lines.map((line) => `${line}\r\n`).join('');
}
