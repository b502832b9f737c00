// A publication as a standalone HTML page (also printed to PDF) and as CSV tables.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { csvDocument, csvLine, toCsv, type PublishedTable, type PublishedValue } from '@tiaki/disclosure';
import { categoryLabel } from './labels.ts';
import { htmlToPdf } from './pdf.ts';
import { publicationTables, type KeyFact, type Publication, type PublicationTable } from './publications.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const LONG_DATE = new Intl.DateTimeFormat('en-NZ', { dateStyle: 'long', timeZone: 'UTC' });
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function cell(value: PublishedValue | undefined | null, markers: PublishedTable['rules']['markers']): string {
  if (!value) return '';
  if (value.suppressed) {
    const why =
      value.reason === 'primary' ? 'suppressed: fewer than 6' : 'suppressed to protect another figure';
    return `<abbr title="${why}">${markers[value.reason]}</abbr>`;
  }
  return value.value.toLocaleString('en-NZ');
}

function tableHtml(entry: PublicationTable, number: number): string {
  const { table } = entry;
  const { markers } = table.rules;
  const rowLabel = (i: number) => escape(categoryLabel(table.rows.name, table.rows.categories[i] ?? ''));
  const head = table.columns
    ? [
        capitalise(table.rows.name),
        ...table.columns.categories.map((code) => categoryLabel(table.columns?.name ?? '', code)),
        ...(table.rowTotals ? ['Total'] : []),
      ]
    : [capitalise(table.rows.name), 'Number'];
  const body = table.body.map((row, i) => {
    const values = row.map((v) => `<td>${cell(v, markers)}</td>`).join('');
    const total = table.rowTotals ? `<td class="total">${cell(table.rowTotals[i], markers)}</td>` : '';
    return `<tr><th scope="row">${rowLabel(i)}</th>${values}${total}</tr>`;
  });
  if (table.columns && table.columnTotals) {
    body.push(
      `<tr class="total"><th scope="row">Total</th>${table.columnTotals.map((v) => `<td>${cell(v, markers)}</td>`).join('')}<td>${cell(table.total, markers)}</td></tr>`,
    );
  } else if (!table.columns && table.total) {
    body.push(`<tr class="total"><th scope="row">Total</th><td>${cell(table.total, markers)}</td></tr>`);
  }
  return `<figure class="table" id="${escape(entry.name)}">
<table>
<caption>Table ${number}. ${escape(entry.title)}</caption>
<thead><tr>${head.map((h) => `<th scope="col">${escape(h)}</th>`).join('')}</tr></thead>
<tbody>${body.join('\n')}</tbody>
</table>
<figcaption>CSV: ${escape(csvFileName(entry, number))}</figcaption>
</figure>`;
}

function factHtml(fact: KeyFact): string {
  const value = fact.value;
  const shown =
    value === null
      ? 'Not available'
      : value.suppressed
        ? `Suppressed: ${fact.rule ?? 'fewer than 6'}`
        : `${value.value.toLocaleString('en-NZ')}${fact.unit === 'percent' ? '%' : fact.unit === 'days' ? ' days' : ''}`;
  const note = fact.note ? `<span class="note">${escape(fact.note)}</span>` : '';
  return `<li><span class="value">${escape(shown)}</span><span class="label">${escape(fact.label)}</span>${note}</li>`;
}

const STYLE = `
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1b1d1f; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1 { color: #0b4f4a; font-size: 1.8rem; margin-bottom: 0.25rem; }
h2 { color: #0b4f4a; border-bottom: 2px solid #0b4f4a; padding-bottom: 0.2rem; margin-top: 2rem; break-after: avoid; }
.meta { color: #4f5559; }
.provisional { background: #fff7dd; border-left: 6px solid #8a6100; padding: 0.5rem 1rem; }
.facts { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: 0.75rem; }
.facts li { background: #f3f5f6; border-top: 4px solid #0b4f4a; padding: 0.75rem; }
.facts .value { display: block; font-size: 1.6rem; font-weight: 700; }
.facts .label, .facts .note { display: block; }
.facts .note { color: #4f5559; font-size: 0.9rem; }
figure.table { margin: 1.5rem 0; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; font-weight: 700; margin-bottom: 0.4rem; }
th, td { border-bottom: 1px solid #c8cdd0; padding: 0.25rem 0.5rem; text-align: right; }
th[scope="row"], thead th:first-child { text-align: left; }
thead th { border-bottom: 2px solid #1b1d1f; vertical-align: bottom; }
tr.total, td.total { font-weight: 700; }
figcaption { color: #4f5559; font-size: 0.8rem; }
abbr { text-decoration: none; }
nav ol { columns: 2; }
@media print { body { margin: 0; max-width: none; } nav { display: none; } }
`;

/** The publication as one HTML file: no scripts, no external resources, printable. */
export function publicationHtml(publication: Publication): string {
  let number = 0;
  const sections = publication.sections
    .map((section) => {
      const tables = section.tables.map((t) => tableHtml(t, ++number)).join('\n');
      const text = section.paragraphs.map((p) => `<p>${escape(p)}</p>`).join('\n');
      return `<section id="${escape(section.id)}"><h2>${escape(section.heading)}</h2>\n${text}\n${tables}</section>`;
    })
    .join('\n');
  const contents = [
    ...publication.sections.map((s) => [s.id, s.heading]),
    ['methodology', 'Methodology'],
    ['confidentiality', 'Confidentiality'],
  ]
    .map(([id, heading]) => `<li><a href="#${escape(id ?? '')}">${escape(heading ?? '')}</a></li>`)
    .join('');
  const provisional = publication.provisional
    ? '<p class="provisional">Provisional: this period has not ended, so these figures will change.</p>'
    : '';
  const demo = publication.demo
    ? '<p class="provisional">Demonstration only: every figure here is made from synthetic data about invented children.</p>'
    : '';
  return `<!doctype html>
<html lang="en-NZ">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(publication.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escape(publication.title)}</h1>
<p class="meta">Published ${escape(LONG_DATE.format(new Date(`${publication.publishedOn}T00:00:00Z`)))} by Tiaki, the national referral mechanism for child victims of commercial sexual exploitation in Aotearoa New Zealand</p>
${demo}${provisional}
</header>
<main>
<section id="key-facts"><h2>Key facts</h2><ul class="facts">${publication.keyFacts.map(factHtml).join('')}</ul></section>
<nav aria-label="Contents"><h2>Contents</h2><ol>${contents}</ol></nav>
${sections}
<section id="methodology"><h2>Methodology</h2>${publication.methodology.map((p) => `<p>${escape(p)}</p>`).join('\n')}</section>
<section id="confidentiality"><h2>Confidentiality</h2>${publication.confidentiality.map((p) => `<p>${escape(p)}</p>`).join('\n')}</section>
</main>
</body>
</html>
`;
}

/** "03_referrals_by_region.csv": numbered in the order the tables appear. */
export function csvFileName(entry: PublicationTable, number: number): string {
  return `${String(number).padStart(2, '0')}_${entry.name}.csv`;
}

/** One table as CSV, categories in words, with the table's title and footnotes. */
export function publicationCsv(entry: PublicationTable): string {
  return `${csvDocument([csvLine([entry.title])])}${toCsv(entry.table, { label: categoryLabel, countHeader: 'Number' })}`;
}

export interface WrittenPublication {
  html: string;
  pdf: string | null;
  csv: string[];
}

/**
 * Writes the HTML page, the PDF (unless `pdf` is false) and one CSV per table into `dir`.
 * The HTML and CSV files are written first, so a missing Chromium loses nothing else.
 */
export async function writePublication(
  publication: Publication,
  dir: string,
  options: { pdf: boolean; chromiumPath: string },
): Promise<WrittenPublication> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, `tiaki-${publication.kind}-${publication.id}`);
  const html = publicationHtml(publication);
  await writeFile(`${base}.html`, html);
  const csv: string[] = [];
  for (const [i, entry] of publicationTables(publication).entries()) {
    const file = join(dir, csvFileName(entry, i + 1));
    await writeFile(file, publicationCsv(entry));
    csv.push(file);
  }
  let pdf: string | null = null;
  if (options.pdf) {
    pdf = `${base}.pdf`;
    await writeFile(pdf, await htmlToPdf(html, options.chromiumPath));
  }
  return { html: `${base}.html`, pdf, csv };
}
