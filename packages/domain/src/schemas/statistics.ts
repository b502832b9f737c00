import { z } from 'zod';
import { REGION_CODES } from '../reference/regions.ts';
import { listText, pageOf, pageQueryFields, queryFlag } from './lists.ts';

const isoDate = z.iso.date('Use the format YYYY-MM-DD');

export const statisticsQuery = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    region: z
      .string()
      .refine((code) => REGION_CODES.includes(code), 'Unknown region code')
      .optional(),
    exact: z
      .enum(['true', 'false'])
      .default('false')
      .describe('Exact numbers: authorised staff only, never published'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'The end of the period is before its start' });

/** A published number: rounded (random rounding to base 3) or suppressed. */
export const publishedValue = z.union([
  z.object({ suppressed: z.literal(false), value: z.number() }),
  z.object({ suppressed: z.literal(true), reason: z.enum(['primary', 'secondary']) }),
]);

const tableShape = z
  .object({
    measure: z.string(),
    rows: z.object({ name: z.string(), categories: z.array(z.string()) }),
    columns: z.object({ name: z.string(), categories: z.array(z.string()) }).nullable(),
    body: z.array(z.array(z.union([publishedValue, z.number()]))),
    rowTotals: z.array(z.union([publishedValue, z.number()])).nullable(),
    columnTotals: z.array(z.union([publishedValue, z.number()])).nullable(),
    total: z.union([publishedValue, z.number()]).nullable(),
    rules: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('Rows × columns with totals; each value rounded or suppressed unless exact');

const quarter = z
  .string()
  .regex(/^\d{4}Q[1-4]$/, 'Write the quarter like 2026Q3')
  .optional()
  .describe('Default: the last quarter that has ended');
const reportingPeriod = { from: isoDate, to: isoDate };
const inOrder = (q: { from: string; to: string }) => q.from <= q.to;
const periodMessage = { path: ['to'], message: 'The end of the period is before its start' };

/** The quarterly bulletin of a quarter. */
export const bulletinQuery = z.strictObject({ quarter });
/** The OPSC / CRC reporting pack for a reporting period. */
export const opscQuery = z.strictObject(reportingPeriod).refine(inOrder, periodMessage);

export const publicationFormats = ['html', 'pdf', 'csv'] as const;
const download = {
  format: z.enum(publicationFormats).describe('html, pdf, or csv (one table: give its name)'),
  table: z.string().max(64).optional().describe('The table, for format=csv'),
};
export const bulletinDownloadQuery = z.strictObject({ quarter, ...download });
export const opscDownloadQuery = z
  .strictObject({ ...reportingPeriod, ...download })
  .refine(inOrder, periodMessage);

export const publicationView = z.object({
  kind: z.enum(['bulletin', 'opsc']),
  id: z.string(),
  title: z.string(),
  period: z.object({ from: z.string(), to: z.string(), label: z.string() }),
  publishedOn: z.string(),
  provisional: z.boolean(),
  demo: z.boolean(),
  keyFacts: z.array(
    z.object({
      label: z.string(),
      value: publishedValue.nullable(),
      unit: z.enum(['count', 'percent', 'days']),
      note: z.string().optional(),
      /** The rule that suppresses this figure when not "fewer than 6", e.g. "fewer than 20 accepted". */
      rule: z.string().optional(),
    }),
  ),
  sections: z.array(
    z.object({
      id: z.string(),
      heading: z.string(),
      paragraphs: z.array(z.string()),
      tables: z.array(z.object({ name: z.string(), title: z.string(), table: tableShape })),
    }),
  ),
  methodology: z.array(z.string()),
  confidentiality: z.array(z.string()),
});
export type PublicationView = z.infer<typeof publicationView>;

export const statisticsReport = z.object({
  period: z.object({ from: isoDate, to: isoDate, region: z.string().optional() }),
  exact: z.boolean(),
  headline: z.object({
    referrals: z.union([publishedValue, z.number()]),
    distinctChildren: z.union([publishedValue, z.number()]),
    reasonableGroundsOnTime: z
      .union([publishedValue, z.number()])
      .nullable()
      .describe('% of reasonable-grounds decisions made by their due date; suppressed under 20 decisions'),
    reasonableGroundsMedianDays: z
      .union([publishedValue, z.number()])
      .nullable()
      .describe('Median calendar days from receipt to a reasonable-grounds decision; suppressed under 20'),
    serviceWaitMedianDays: z
      .union([publishedValue, z.number()])
      .nullable()
      .describe('Median calendar days from a service referral to its acceptance; suppressed under 20'),
  }),
  referralsByMonth: tableShape,
  childrenByMonth: tableShape.describe('Distinct children referred each month (linked records count once)'),
  tables: z.array(z.object({ name: z.string(), title: z.string(), table: tableShape })),
  equity: z
    .array(
      z.object({
        group: z.string(),
        reasonableGroundsMedianDays: z.union([publishedValue, z.number()]).nullable(),
        serviceWaitMedianDays: z.union([publishedValue, z.number()]).nullable(),
      }),
    )
    .describe('Medians for tamariki Māori beside Pacific and other children; suppressed under 20'),
});
export type StatisticsReportView = z.infer<typeof statisticsReport>;

export const trendsReport = z.object({
  exact: z.boolean(),
  points: z.array(
    z.object({
      period: z.string().describe('YYYY-MM'),
      value: z.union([publishedValue, z.number()]),
      baseline: z.number().nullable().describe('Mean of the same month in earlier years (at least two)'),
      unusual: z.boolean().describe('At least 1.5 times the baseline and 6 more'),
    }),
  ),
  overlays: z.object({
    schoolHolidays: z.array(z.object({ start: isoDate, end: isoDate })),
    publicHolidays: z.array(z.object({ date: isoDate, name: z.string() })),
    events: z.array(z.object({ id: z.uuid(), name: z.string(), start: isoDate, end: isoDate })),
    external: z.array(
      z.object({ series: z.string(), points: z.array(z.object({ period: isoDate, value: z.number() })) }),
    ),
  }),
});

export const weeklyTrendsReport = z.object({
  exact: z.boolean(),
  threshold: z.number().int().describe('Weekly counts under this are suppressed'),
  points: z.array(
    z.object({
      week: z.string().describe('ISO week, e.g. 2026-W05'),
      start: isoDate.describe('Monday'),
      end: isoDate.describe('Sunday'),
      value: z.union([publishedValue, z.number()]),
    }),
  ),
});

/** Iwi-level statistics: for the Māori data governance group and the people it approves. */
export const iwiQuery = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'The end of the period is before its start' });

export const iwiReport = z.object({
  from: isoDate,
  to: isoDate,
  childrenWithIwi: publishedValue,
  tables: z.array(z.object({ name: z.string(), title: z.string(), table: tableShape })),
});

export const iwiAccess = z.object({
  govern: z.boolean().describe('The Māori data governance group: approves who sees iwi-level statistics'),
  view: z.boolean().describe('May see iwi-level statistics today'),
  until: isoDate.nullable().describe('The last day of the approval in force, for an approved person'),
});

export const iwiGrants = z.object({
  grants: z.array(
    z.object({
      id: z.uuid(),
      userId: z.uuid(),
      person: z.string(),
      organisation: z.string(),
      purpose: z.string(),
      expiresOn: isoDate,
      grantedBy: z.string(),
      grantedAt: z.string(),
      revokedAt: z.string().nullable(),
      active: z.boolean(),
      views: z.number().int().describe('Views of iwi statistics by this person since the approval'),
    }),
  ),
  eligible: z.array(z.object({ userId: z.uuid(), person: z.string(), organisation: z.string() })),
});

/** The iwi annex of a quarterly bulletin: released only with the governance group's approval. */
export const iwiAnnexInput = z.strictObject({
  quarter: z
    .string()
    .regex(/^\d{4}Q[1-4]$/, 'Written like 2026Q3')
    .describe('The quarter whose bulletin carries the iwi annex, e.g. 2026Q3'),
});

export const iwiAnnexes = z.object({
  annexes: z.array(
    z.object({
      id: z.uuid(),
      quarter: z.string(),
      approvedBy: z.string(),
      approvedAt: z.string(),
      withdrawnAt: z.string().nullable(),
      active: z.boolean().describe('In force: the bulletin of that quarter carries the iwi annex'),
    }),
  ),
});

export const iwiGrantInput = z.strictObject({
  userId: z.uuid(),
  purpose: z.string().trim().min(1, 'Required').max(500).describe('What the figures are for'),
  expiresOn: isoDate.describe('The last day the approval is in force (at most a year ahead)'),
});

export const statisticsEventInput = z
  .strictObject({ name: z.string().trim().min(1, 'Required').max(200), startsOn: isoDate, endsOn: isoDate })
  .refine((e) => e.startsOn <= e.endsOn, { path: ['endsOn'], message: 'The event ends before it starts' });

export const seriesImportInput = z.strictObject({
  series: z
    .string()
    .trim()
    .min(1, 'Required')
    .max(100)
    .describe('e.g. "DIA filter: blocked access attempts (weekly)"'),
  csv: z
    .string()
    .max(2_000_000, 'At most 2 MB')
    .describe('Lines of YYYY-MM-DD,value; a header line is allowed'),
});

// Research extracts (docs/extracts.md): de-identified, k-anonymous record-level data, one row per
// child, approved by the data steward and, for Māori or iwi-level data, the Māori data governance group.

/** The only variables an extract may hold. Never names, dates of birth, narrative or ids. */
export const EXTRACT_VARIABLES = [
  'received_month',
  'region',
  'police_district',
  'age_band',
  'gender',
  'ethnicities',
  'iwi',
  'citizenship',
  'manifestations',
  'contexts',
  'urgent',
  'concern_level',
  'referrer_kind',
  'identification_outcome',
  'service_needs',
] as const;
export type ExtractVariable = (typeof EXTRACT_VARIABLES)[number];

/** Variables that make a request touch Māori or iwi-level data. */
export const MAORI_DATA_VARIABLES: readonly ExtractVariable[] = ['ethnicities', 'iwi'];

const shortText = (max: number, what: string) =>
  z.string().trim().min(1, `Give the ${what}`).max(max, `At most ${max} characters`);

export const extractRequestInput = z
  .strictObject({
    purpose: shortText(2000, 'purpose of the research'),
    variables: z
      .array(z.enum(EXTRACT_VARIABLES, 'Not a variable an extract may include'))
      .min(1, 'Choose at least one variable')
      .max(EXTRACT_VARIABLES.length)
      .refine((vs) => new Set(vs).size === vs.length, 'A variable is listed twice'),
    from: isoDate,
    to: isoDate,
    ethicsApproval: z.strictObject(
      {
        committee: shortText(200, 'ethics committee'),
        reference: shortText(100, 'ethics approval reference'),
        approvedOn: isoDate,
      },
      'Research extracts need an ethics approval',
    ),
    needsUntil: isoDate.optional().describe('The extract expires no later than this date'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'The end of the period is before its start' });
export type ExtractRequestInput = z.infer<typeof extractRequestInput>;

export const extractApproveInput = z.strictObject({
  note: z.string().trim().max(2000, 'At most 2000 characters').optional(),
});

export const extractDeclineInput = z.strictObject({
  reason: shortText(2000, 'reason for declining'),
});

const extractApproval = z.object({
  kind: z.enum(['steward', 'maori']),
  approvedBy: z.object({ id: z.uuid(), displayName: z.string() }),
  approvedAt: z.iso.datetime({ offset: true }),
  note: z.string().nullable(),
});

export const extractView = z.object({
  id: z.uuid(),
  status: z.enum(['awaiting_approvals', 'declined', 'produced', 'expired']),
  purpose: z.string(),
  variables: z.array(z.enum(EXTRACT_VARIABLES)),
  period: z.object({ from: isoDate, to: isoDate }),
  ethicsApproval: z.object({ committee: z.string(), reference: z.string(), approvedOn: isoDate }),
  needsUntil: isoDate.nullable(),
  requestedBy: z.object({ id: z.uuid(), displayName: z.string() }),
  requestedAt: z.iso.datetime({ offset: true }),
  approvalsRequired: z.array(z.enum(['steward', 'maori'])),
  approvals: z.array(extractApproval),
  declined: z
    .object({ by: z.object({ id: z.uuid(), displayName: z.string() }), at: z.string(), reason: z.string() })
    .nullable(),
  file: z
    .object({
      rowCount: z.number().int(),
      producedAt: z.iso.datetime({ offset: true }),
      expiresOn: isoDate,
      available: z.boolean(),
      k: z.number().int(),
      generalisation: z.record(z.string(), z.string()),
      rowsSuppressed: z.number().int(),
    })
    .nullable(),
});
export type ExtractView = z.infer<typeof extractView>;

/** How the extracts list can be sorted (`requested` by default, newest first). */
export const EXTRACT_SORTS = ['requested', 'status', 'purpose'] as const;
export type ExtractSort = (typeof EXTRACT_SORTS)[number];
export const extractListQuery = z.strictObject({
  ...pageQueryFields(EXTRACT_SORTS),
  q: listText.describe('Part of the purpose, or of the ethics reference'),
  mine: queryFlag.describe('Only the requests I made'),
  waiting: queryFlag.describe('Only requests waiting for an approval I may give (never my own)'),
  status: z
    .enum(['awaiting_approvals', 'declined', 'produced', 'expired'], {
      error: 'Choose a status from the list',
    })
    .optional(),
});
export type ExtractListQuery = z.infer<typeof extractListQuery>;
export type ExtractListRequest = z.input<typeof extractListQuery>;
export const extractPage = pageOf(extractView);

/** The de-identified HTCDS v2 export: children referred in the period (default: all). */
export const htcdsExportQuery = z
  .strictObject({ from: isoDate.optional(), to: isoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, periodMessage);

/** A standard period by name: a month (2026-07), a quarter (2026Q3) or a calendar year (2026). */
export const dataQualityQuery = z.strictObject({
  period: z
    .string()
    .regex(
      /^(19|20)\d{2}(-(0[1-9]|1[0-2])|Q[1-4])?$/,
      'Write a month like 2026-07, a quarter like 2026Q3 or a year like 2026 (1900 to 2099)',
    )
    .describe('A month (2026-07), a quarter (2026Q3) or a calendar year (2026)'),
});

const count = z.number().int().nonnegative();

/** Data quality of one submitting organisation's referrals in a period: exact counts (data stewards only). */
export const dataQualityRow = z.object({
  organisation: z.string().describe('The submitting organisation, by name'),
  referrals: count.describe('Referrals received in the period'),
  withRegion: count,
  withGender: count,
  withEthnicity: count,
  withForm: count.describe('With at least one form of exploitation recorded'),
  withDateOfBirth: count,
  withEstimatedAgeOnly: count.describe('An estimated age or age band, no date of birth'),
  medianDaysToReferral: z
    .number()
    .nullable()
    .describe('Median days from the date of the concern to the day the referral was received'),
  linkedToKnownChild: count.describe(
    'Attached to a child or case already known from an earlier referral, or confirmed as a match by linkage',
  ),
  genderUnknown: count.describe('Gender recorded as not known or prefers not to say'),
  ethnicityUnknown: count.describe(
    "Ethnicity recorded only as a residual category (don't know, not stated, …)",
  ),
  formOther: count.describe('Form of exploitation recorded as "other sexual exploitation"'),
  citizenshipUnknown: count.describe('Citizenship or visa status recorded as not known'),
});
export const dataQualityReport = z.object({
  period: z.object({ name: z.string(), from: isoDate, to: isoDate }),
  exact: z.literal(true),
  organisations: z.array(dataQualityRow),
});
export type DataQualityRow = z.infer<typeof dataQualityRow>;
export type DataQualityReport = z.infer<typeof dataQualityReport>;
