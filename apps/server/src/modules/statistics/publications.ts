import {
  describeRules,
  protectSeries,
  protectTable,
  type PublishedTable,
  type PublishedValue,
} from '@tiaki/disclosure';
import type { AppContext } from '../../context.ts';
import { HttpError } from '../../http/errors.ts';
import { requireReportingPeriod } from './periods.ts';
import { iwiAnnex } from './iwi.ts';
import { equitySection, prosecutionsSection } from './sections.ts';
import { referralCube, type ReferralCube } from './release.ts';
import { withFacts, type Period } from './facts.ts';
import { referralsByQuarter } from './queries/series.ts';
import {
  cellLabels,
  countTables,
  disclosureOptions,
  isSmallYear,
  keySalt,
  OUTCOME_TABLES,
  statisticsReport,
  type StatisticsReport,
  type StatisticsTable,
} from './tables.ts';

export type PublicationKind = 'bulletin' | 'opsc';

export interface KeyFact {
  label: string;
  value: PublishedValue | null;
  unit: 'count' | 'percent' | 'days';
  /** A plain comparison, e.g. "12% more than the previous quarter (135)". */
  note?: string;
  /** Why it is suppressed, when that is not "fewer than 6": the rule that fired. */
  rule?: string;
}

export interface PublicationTable {
  name: string;
  title: string;
  table: PublishedTable;
}

export interface PublicationSection {
  id: string;
  heading: string;
  paragraphs: string[];
  tables: PublicationTable[];
}

/** A published output: every number in it rounded and suppressed, nothing about one child. */
export interface Publication {
  kind: PublicationKind;
  /** '2026Q3' for a bulletin; 'FROM_TO' for a reporting pack. Used in file names. */
  id: string;
  title: string;
  period: Period & { label: string };
  publishedOn: string;
  /** Set when the period has not ended, so the figures will still change. */
  provisional: boolean;
  /** Made from the synthetic demonstration data. */
  demo: boolean;
  keyFacts: KeyFact[];
  sections: PublicationSection[];
  methodology: string[];
  confidentiality: string[];
}

const QUARTER = /^(\d{4})Q([1-4])$/;
const MONTHS = new Intl.DateTimeFormat('en-NZ', { month: 'long', timeZone: 'UTC' });
const LONG_DATE = new Intl.DateTimeFormat('en-NZ', { dateStyle: 'long', timeZone: 'UTC' });
const monthOf = (iso: string) => MONTHS.format(new Date(`${iso}T00:00:00Z`));
const longDate = (iso: string) => LONG_DATE.format(new Date(`${iso}T00:00:00Z`));

/** '2026Q3' → 1 July to 30 September 2026; refuses anything else with a plain message. */
export function quarterPeriod(quarter: string): Period & { label: string } {
  const match = QUARTER.exec(quarter);
  if (!match) {
    throw new HttpError(400, 'bad_quarter', `A quarter is written like 2026Q3 (got "${quarter}").`);
  }
  const year = Number(match[1]);
  const q = Number(match[2]);
  const first = (q - 1) * 3 + 1;
  const from = `${year}-${String(first).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(year, first + 2, 0));
  const to = end.toISOString().slice(0, 10);
  return { from, to, label: `${monthOf(from)} to ${monthOf(to)} ${year}` };
}

/** The quarter `steps` quarters before (negative) or after `quarter`. */
export function shiftQuarter(quarter: string, steps: number): string {
  const match = QUARTER.exec(quarter);
  if (!match) throw new HttpError(400, 'bad_quarter', `A quarter is written like 2026Q3 (got "${quarter}").`);
  const index = Number(match[1]) * 4 + Number(match[2]) - 1 + steps;
  return `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
}

/** The latest quarter that has ended by `today`. */
export function lastCompleteQuarter(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return shiftQuarter(`${year}Q${Math.floor((month - 1) / 3) + 1}`, -1);
}

const valueOf = (v: PublishedValue | number | null): number | null =>
  v === null ? null : typeof v === 'number' ? v : v.suppressed ? null : v.value;

function published(v: PublishedValue | number | null): PublishedValue | null {
  return v === null ? null : typeof v === 'number' ? { suppressed: false, value: v } : v;
}

function formatCount(v: PublishedValue | number | null): string {
  const n = valueOf(v);
  return n === null ? 'a suppressed number of' : n.toLocaleString('en-NZ');
}

/** "12% more than …" from two published counts; nothing when either is suppressed or zero. */
function change(now: PublishedValue, before: PublishedValue, what: string): string | undefined {
  const a = valueOf(now);
  const b = valueOf(before);
  if (a === null || b === null || b === 0) return undefined;
  const pct = Math.round((100 * (a - b)) / b);
  const size = pct === 0 ? 'about the same as' : `${Math.abs(pct)}% ${pct > 0 ? 'more' : 'fewer'} than`;
  return `${size} ${what} (${b.toLocaleString('en-NZ')})`;
}

/** Referrals in each of the quarters given, as one published series. */
async function quarterlySeries(ctx: AppContext, quarters: readonly string[]): Promise<PublishedTable> {
  const first = quarterPeriod(quarters[0] ?? '');
  const last = quarterPeriod(quarters[quarters.length - 1] ?? '');
  const counts = await withFacts(ctx, async (trx) => {
    const found = await referralsByQuarter(trx, first.from, last.to, keySalt(ctx));
    return new Map(found.map((row) => [row.q, row]));
  });
  const series = protectSeries(
    {
      measure: 'referrals by quarter',
      dimension: 'quarter',
      fixed: { from: first.from, to: last.to, area: 'all' },
      points: quarters.map((q) => ({
        period: q,
        count: counts.get(q)?.n ?? 0,
        key: counts.get(q)?.k ?? 0,
      })),
    },
    { ...disclosureOptions(ctx), protectZerosBelow: 0 },
  );
  // An empty quarter of a year of fewer than 20 referrals is `*`, as on the dashboard (isSmallYear).
  const small = new Map<string, boolean>();
  await withFacts(ctx, async (trx) => {
    for (const year of new Set(quarters.map((q) => q.slice(0, 4))))
      small.set(year, await isSmallYear(trx, year, undefined));
  });
  // Each quarter as its year's referral cube decided it (release.ts), as on the dashboard.
  const cubes = new Map<string, ReferralCube>();
  for (const year of new Set(quarters.map((q) => q.slice(0, 4))))
    cubes.set(year, await referralCube(ctx, year));
  return {
    ...series,
    body: series.body.map((row, i) =>
      row.map((v) => {
        const q = quarters[i] ?? '';
        const decided = cubes.get(q.slice(0, 4))?.get(`${q}|all`);
        if (decided) return decided;
        return (counts.get(q)?.n ?? 0) === 0 && small.get(q.slice(0, 4)) === true
          ? { suppressed: true, reason: 'primary' as const }
          : v;
      }),
    ),
  };
}

const METHODOLOGY = [
  'Tiaki is the national referral mechanism for children and young people under 18 who are, or may be, sexually exploited for commercial purposes in Aotearoa New Zealand. Frontline agencies (Police, Oranga Tamariki, health services, schools, NGOs, kaupapa Māori and Pacific services) record each concern as a referral; the lead agency triages it and makes reasonable-grounds and conclusive-grounds identification decisions.',
  'A referral is counted on the date it was received. A child reported by several agencies is one child once those records have been linked by a person (or, where configured, by a match the linkage engine is very sure of); children not yet linked may be counted more than once, so "children" is a slight over-count early in a case.',
  'Ethnicity is shown two ways: total response, where a child is counted in each group recorded for them (so groups add to more than the total), and prioritised, where each child is counted once, in the first of Māori, Pacific peoples, Asian, Middle Eastern/Latin American/African, Other and European that applies, following Stats NZ practice.',
  'A referral may name several forms and contexts of exploitation, so those tables add to more than the number of referrals. Terminology follows the Terminology Guidelines for the Protection of Children from Sexual Exploitation and Sexual Abuse (Luxembourg Guidelines, 2016): a child cannot consent to their own exploitation.',
  'Reasonable-grounds decisions are due 5 working days after a referral is received (weekends, New Zealand public holidays and regional anniversary days do not count). Timeliness is the share of decisions made on or before their due date; medians are in calendar days and are shown only when 20 or more decisions or service referrals contribute.',
  'Figures come from the live system and may change as late referrals are recorded and records are linked; earlier periods are revised in later publications.',
];

const CONFIDENTIALITY = [
  'These statistics are produced from de-identified facts only: no name, date of birth, address, narrative or note is read to make them.',
  'Every count is randomly rounded to base 3 (RR3), with each figure rounded the same way in every release so that repeated releases cannot be averaged. Counts under 6 are suppressed, and other figures are suppressed where needed so that a suppressed count cannot be worked out by subtraction. Totals are rounded on their own and may not equal the sum of their parts.',
  'Do not attempt to identify any child or whānau from these statistics. If you believe a child could be identified from a published figure, tell the data steward of the lead agency at once so the figure can be withdrawn.',
];

function rulesParagraphs(tables: readonly PublicationTable[]): string[] {
  const first = tables[0];
  return first ? describeRules(first.table.rules).map((line) => line.replace(/^Note: /, '')) : [];
}

function pick(report: StatisticsReport, ...names: string[]): PublicationTable[] {
  return names.flatMap((name) => {
    const found: StatisticsTable | undefined = report.tables.find((t) => t.name === name);
    return found ? [{ name, title: found.title, table: found.table as PublishedTable }] : [];
  });
}

function timelinessFacts(report: StatisticsReport): KeyFact[] {
  return [
    {
      label: 'Reasonable-grounds decisions made on time',
      value: published(report.headline.reasonableGroundsOnTime),
      unit: 'percent',
      rule: 'fewer than 20 decisions',
    },
    {
      label: 'Median days from referral to reasonable-grounds decision',
      value: published(report.headline.reasonableGroundsMedianDays),
      unit: 'days',
      rule: 'fewer than 20 decisions',
    },
    {
      label: 'Median days for a service to accept a referral',
      value: published(report.headline.serviceWaitMedianDays),
      unit: 'days',
      rule: 'fewer than 20 accepted',
    },
  ];
}

/**
 * The quarterly bulletin, modelled on the UK National Referral Mechanism quarterly statistics:
 * key facts with comparisons, referrals over time and by source and place, the children, forms
 * of exploitation, identification decisions and support, then methodology and confidentiality.
 */
export async function quarterlyBulletin(ctx: AppContext, quarter: string): Promise<Publication> {
  const period = quarterPeriod(quarter);
  const report = await statisticsReport(ctx, { from: period.from, to: period.to }, false);
  const children = published(report.headline.distinctChildren) ?? { suppressed: false, value: 0 };
  const quarters = Array.from({ length: 8 }, (_, i) => shiftQuarter(quarter, i - 7));
  const series = await quarterlySeries(ctx, quarters);
  // The sentences read their numbers from Table 1's cells, so the text can never disagree with it
  // (and each is the same cell, with the same value, as the dashboard's headline for that quarter).
  const quarterCell = (q: string): PublishedValue =>
    series.body[series.rows.categories.indexOf(q)]?.[0] ?? { suppressed: false, value: 0 };
  const referrals = quarterCell(quarter);
  const before = quarterCell(shiftQuarter(quarter, -1));
  const yearBefore = quarterCell(shiftQuarter(quarter, -4));

  const comparisons = [
    change(referrals, before, 'the previous quarter'),
    change(referrals, yearBefore, `the same quarter of ${Number(quarter.slice(0, 4)) - 1}`),
  ].filter((x): x is string => x !== undefined);
  const opening = `In ${period.label}, Tiaki received ${formatCount(referrals)} referrals about ${formatCount(children)} children.`;
  const sections: PublicationSection[] = [
    {
      id: 'referrals',
      heading: 'Referrals',
      paragraphs: [
        comparisons.length ? `${opening} That is ${comparisons.join(', and ')}.` : opening,
        'The referrals came from the agencies and regions below. The Police district is where the concern arose, as recorded by the referrer.',
      ],
      tables: [
        {
          name: 'referrals_by_quarter',
          title: 'Referrals received, by quarter (last two years)',
          table: series,
        },
        {
          name: 'referrals_by_month',
          title: 'Referrals received, by month of the quarter',
          table: report.referralsByMonth as PublishedTable,
        },
        ...pick(report, 'referrals_by_referrer', 'referrals_by_region', 'referrals_by_police_district'),
      ],
    },
    {
      id: 'children',
      heading: 'Children referred',
      paragraphs: [
        'Each child is counted once in each table, however many referrals were made about them. Ethnicity is shown as total response and prioritised (see methodology).',
      ],
      tables: pick(
        report,
        'children_by_age_and_gender',
        'children_by_ethnicity',
        'children_by_prioritised_ethnicity',
      ),
    },
    {
      id: 'exploitation',
      heading: 'Forms and contexts of exploitation',
      paragraphs: [
        'Forms of exploitation are recorded with the Tiaki taxonomy, which follows the Luxembourg Guidelines. A referral may name more than one.',
      ],
      tables: pick(report, 'referrals_by_manifestation', 'referrals_by_context'),
    },
    {
      id: 'decisions',
      heading: 'Identification decisions',
      paragraphs: [
        'A reasonable-grounds decision is made within 5 working days of a referral; a conclusive-grounds decision follows no sooner than 30 days after a positive reasonable-grounds decision.',
      ],
      tables: pick(report, 'decisions_by_kind_and_outcome'),
    },
    {
      id: 'support',
      heading: 'Support and unmet needs',
      paragraphs: [
        'Service referrals are counted in the quarter they were made, by where they now stand. An unmet need is help a child needed that no service could give, by region.',
      ],
      tables: pick(report, 'service_referrals_by_need_and_status', 'unmet_needs_by_need_and_region'),
    },
    prosecutionsSection(report),
    equitySection(report),
  ];
  // Iwi figures only with the Māori data governance group's approval for this quarter.
  const annex = await iwiAnnex(ctx, quarter);
  if (annex) sections.push(annex);
  return {
    kind: 'bulletin',
    id: quarter,
    title: `Tiaki quarterly statistics: ${period.label}`,
    period,
    publishedOn: ctx.today(),
    provisional: period.to >= ctx.today(),
    demo: ctx.config.demoMode,
    keyFacts: [
      {
        label: 'Referrals received',
        value: referrals,
        unit: 'count',
        ...(comparisons[0] ? { note: comparisons[0] } : {}),
      },
      { label: 'Children referred', value: children, unit: 'count' },
      ...timelinessFacts(report),
    ],
    sections,
    methodology: [...METHODOLOGY, ...rulesParagraphs(publicationTables({ sections }))],
    confidentiality: CONFIDENTIALITY,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The tables the UN Committee on the Rights of the Child asks for in reporting under the Optional
 * Protocol on the sale of children, child prostitution and child pornography (OPSC): children by
 * form of exploitation, age, gender, ethnicity and region; outcomes; services received.
 */
export async function opscPack(ctx: AppContext, period: Period): Promise<Publication> {
  if (!DATE.test(period.from) || !DATE.test(period.to) || period.from > period.to) {
    throw new HttpError(
      400,
      'bad_period',
      'Give the reporting period as two dates, YYYY-MM-DD, the first not after the second.',
    );
  }
  requireReportingPeriod(period);
  const report = await statisticsReport(ctx, period, false);
  const outcomes = await withFacts(ctx, (trx) =>
    countTables(
      trx,
      OUTCOME_TABLES,
      period,
      (input) => protectTable(input, disclosureOptions(ctx)),
      { ...cellLabels(period) },
      keySalt(ctx),
    ),
  );
  const label = `${longDate(period.from)} to ${longDate(period.to)}`;
  const asPublished = (tables: StatisticsTable[]) =>
    tables.map((t) => ({ name: t.name, title: t.title, table: t.table as PublishedTable }));
  const sections: PublicationSection[] = [
    {
      id: 'children',
      heading: 'Child victims and children at risk referred',
      paragraphs: [
        `From ${label}, Tiaki received ${formatCount(report.headline.referrals)} referrals about ${formatCount(report.headline.distinctChildren)} children under 18.`,
      ],
      tables: pick(
        report,
        'children_by_age_and_gender',
        'children_by_ethnicity',
        'children_by_prioritised_ethnicity',
        'referrals_by_region',
      ),
    },
    {
      id: 'forms',
      heading: 'Forms of exploitation (OPSC articles 2 and 3)',
      paragraphs: [
        'The Optional Protocol speaks of the sale of children, child prostitution and child pornography; Tiaki records these as the sale of children, exploitation of children in prostitution and child sexual abuse material, with the other forms of sexual exploitation named in the Luxembourg Guidelines.',
      ],
      tables: pick(report, 'referrals_by_manifestation', 'referrals_by_context'),
    },
    {
      id: 'outcomes',
      heading: 'Identification and outcomes (article 8)',
      paragraphs: ['Identification decisions made in the period, and the reasons cases were closed.'],
      tables: [...pick(report, 'decisions_by_kind_and_outcome'), ...asPublished(outcomes.slice(0, 1))],
    },
    {
      id: 'services',
      heading: 'Recovery and reintegration services received (article 9)',
      paragraphs: [
        'Children who engaged with or completed a specialist service, by the help given, and help that was needed but that no service could give.',
      ],
      tables: [
        ...asPublished(outcomes.slice(1)),
        ...pick(report, 'service_referrals_by_need_and_status', 'unmet_needs_by_need_and_region'),
      ],
    },
    prosecutionsSection(report, 'Prosecutions (article 3)'),
    equitySection(report),
  ];
  return {
    kind: 'opsc',
    id: `${period.from}_${period.to}`,
    title: `Tiaki reporting pack for the UN Committee on the Rights of the Child (OPSC): ${label}`,
    period: { ...period, label },
    publishedOn: ctx.today(),
    provisional: period.to >= ctx.today(),
    demo: ctx.config.demoMode,
    keyFacts: [
      { label: 'Referrals received', value: published(report.headline.referrals), unit: 'count' },
      { label: 'Children referred', value: published(report.headline.distinctChildren), unit: 'count' },
      ...timelinessFacts(report),
    ],
    sections,
    methodology: [...METHODOLOGY, ...rulesParagraphs(publicationTables({ sections }))],
    confidentiality: CONFIDENTIALITY,
  };
}

/** Every table of a publication, in order. */
export function publicationTables({ sections }: Pick<Publication, 'sections'>): PublicationTable[] {
  return sections.flatMap((section) => section.tables);
}
