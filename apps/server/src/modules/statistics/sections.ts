import type { PublishedTable, PublishedValue } from '@tiaki/disclosure';
import { CURRENT_TAXONOMY, findByCode } from '@tiaki/domain';
import type { EquityMedians } from './equity.ts';
import { SEX_TRAFFICKING_FORM, TRAFFICKING_PROVISION } from './justice.ts';
import { categoryLabel } from './labels.ts';
import type { StatisticsReport } from './tables.ts';

/**
 * The Prosecutions and Equity sections of the bulletin and the OPSC / CRC pack. Every number in
 * their sentences is read from a cell of their own tables (or the report's medians), so text and
 * tables cannot disagree.
 */

interface SectionTable {
  name: string;
  title: string;
  table: PublishedTable;
}
interface Section {
  id: string;
  heading: string;
  paragraphs: string[];
  tables: SectionTable[];
}

function tablesOf(report: StatisticsReport, names: readonly string[]): SectionTable[] {
  return names.flatMap((name) => {
    const found = report.tables.find((t) => t.name === name);
    return found ? [{ name, title: found.title, table: found.table as PublishedTable }] : [];
  });
}

function say(v: PublishedValue | number | null | undefined): string {
  if (v === null || v === undefined) return 'none recorded';
  if (typeof v === 'number') return v.toLocaleString('en-NZ');
  return v.suppressed ? 'a suppressed number' : v.value.toLocaleString('en-NZ');
}

function cellOf(table: PublishedTable, row: string, column?: string): PublishedValue | null {
  const i = table.rows.categories.indexOf(row);
  if (i < 0) return null;
  if (column === undefined) return table.rowTotals?.[i] ?? table.body[i]?.[0] ?? null;
  const j = table.columns?.categories.indexOf(column) ?? -1;
  return j < 0 ? null : (table.body[i]?.[j] ?? null);
}

/** Which provisions charges were laid under, for which forms of exploitation, and how they ended. */
export function prosecutionsSection(report: StatisticsReport, heading = 'Prosecutions'): Section {
  const tables = tablesOf(report, ['charges_by_provision_and_form', 'charges_by_provision_and_outcome']);
  const byForm = tables[0]?.table;
  const provision = findByCode(CURRENT_TAXONOMY.lawProvisions, TRAFFICKING_PROVISION);
  const form = findByCode(CURRENT_TAXONOMY.manifestations, SEX_TRAFFICKING_FORM);
  const paragraphs = [
    'Charges laid against the people who exploited children, as recorded on the children’s cases by their case teams, counted on the date laid: by the offence provision and the form of exploitation, and by where each charge stands now. A child cannot consent to their own exploitation and is never the person charged.',
  ];
  if (byForm && provision && form) {
    paragraphs.push(
      `Charges laid in the period: ${say(byForm.total)}. Under ${provision.act} ${provision.section} (${provision.label.toLowerCase()}): ${say(cellOf(byForm, TRAFFICKING_PROVISION))}, of which for ${form.label.toLowerCase()}: ${say(cellOf(byForm, TRAFFICKING_PROVISION, SEX_TRAFFICKING_FORM))}. Section 98D requires deception or coercion; child sex trafficking is more often charged under the Prostitution Reform Act 2003 ss20–22, which the table shows beside it.`,
    );
  }
  return { id: 'prosecutions', heading, paragraphs, tables };
}

/** Outcomes for tamariki Māori beside Pacific and other children, with the medians in words. */
export function equitySection(
  report: StatisticsReport,
  heading = 'Equity and Te Tiriti o Waitangi',
): Section {
  const tables = tablesOf(report, [
    'equity_referrals_by_group',
    'equity_identification_by_group',
    'equity_service_referrals_by_group',
    'equity_unmet_needs_by_group',
  ]);
  const medians = (pick: (m: EquityMedians) => PublishedValue | number | null) =>
    report.equity
      .filter((m) => m.group !== 'not_recorded')
      .map((m) => `${categoryLabel('equity group', m.group)} ${sayDays(pick(m))}`)
      .join('; ');
  return {
    id: 'equity',
    heading,
    paragraphs: [
      'Outcomes for tamariki Māori beside Pacific children and children who are neither, so that differences in who is referred, how quickly and how they are identified, and whether services take them on can be seen and acted on. Each child is counted in one group: Māori if any ethnicity recorded for them is Māori, else Pacific, else other (prioritised ethnicity). Iwi-level figures are released only with the approval of the Māori data governance group and are not in this publication.',
      `Median days from referral to a reasonable-grounds decision: ${medians((m) => m.reasonableGroundsMedianDays)}.`,
      `Median days for a service to accept a referral: ${medians((m) => m.serviceWaitMedianDays)}.`,
      'Medians are shown only where 20 or more decisions or accepted service referrals contribute.',
    ],
    tables,
  };
}

function sayDays(v: PublishedValue | number | null): string {
  if (v === null) return 'none in the period';
  if (typeof v === 'number') return `${v}`;
  return v.suppressed ? 'suppressed (fewer than 20)' : `${v.value}`;
}
