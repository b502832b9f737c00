import { z } from 'zod';
import { CURRENT_TAXONOMY, hasCode } from '../taxonomy/index.ts';
import { keepWording, rowVersion, text } from './common.ts';

/**
 * Justice outcomes of a case: charges laid against the people who exploited the child, by the
 * offence provision (the taxonomy's law provisions) and the form of exploitation it concerns.
 * A child cannot consent to their own exploitation and is never the person charged.
 */

/** Where a charge stands: laid and not yet decided, or its outcome. */
export const CHARGE_OUTCOMES = ['charged', 'withdrawn', 'convicted', 'acquitted'] as const;
export type ChargeOutcome = (typeof CHARGE_OUTCOMES)[number];

export const CHARGE_OUTCOME_LABELS: Readonly<Record<ChargeOutcome, string>> = {
  charged: 'Charged (not yet decided)',
  withdrawn: 'Withdrawn',
  convicted: 'Convicted',
  acquitted: 'Acquitted',
};

const isoDate = z.iso.date('Use the format YYYY-MM-DD');
const provision = z
  .string()
  .max(64)
  .refine(
    (code) => hasCode(CURRENT_TAXONOMY.lawProvisions, code),
    'Choose an offence provision from the list',
  );
const manifestation = z
  .string()
  .max(64)
  .refine((code) => hasCode(CURRENT_TAXONOMY.manifestations, code), 'Choose a form of exploitation');
const note = text(2000)
  .optional()
  .describe('A court or file reference, or what the team needs to know (encrypted; case team only)');

export const chargeInput = z.strictObject({
  provision: provision.describe(
    'The offence provision the charge is laid under (taxonomy law provision code)',
  ),
  manifestation: manifestation.describe('The form of exploitation the charge concerns'),
  laidOn: isoDate.describe('The date the charge was laid'),
  note,
  keepWording,
});
export type ChargeInput = z.input<typeof chargeInput>;

export const chargeUpdateInput = z
  .strictObject({
    outcome: z.enum(CHARGE_OUTCOMES, 'Choose where the charge stands'),
    outcomeOn: isoDate.optional().describe('The date of the outcome; required unless the charge stands'),
    version: rowVersion.describe('The version you last saw: a stale version answers 409'),
  })
  .refine((u) => u.outcome === 'charged' || u.outcomeOn !== undefined, {
    path: ['outcomeOn'],
    message: 'Give the date of the outcome',
  });
export type ChargeUpdateInput = z.input<typeof chargeUpdateInput>;

export const charge = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  provision: z.string(),
  manifestation: z.string(),
  laidOn: z.string(),
  outcome: z.enum(CHARGE_OUTCOMES),
  outcomeOn: z.string().nullable(),
  note: z.string().nullable().describe('Case team only'),
  recordedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Charge = z.infer<typeof charge>;
