import { z } from 'zod';
import { REGION_CODES } from '../reference/regions.ts';

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
  }),
  referralsByMonth: tableShape,
  tables: z.array(z.object({ name: z.string(), title: z.string(), table: tableShape })),
});
export type StatisticsReportView = z.infer<typeof statisticsReport>;
