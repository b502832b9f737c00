import { z } from 'zod';
import { CURRENT_TAXONOMY, hasCode, manifestationSubtypes, type Taxonomy } from '../taxonomy/index.ts';
import { email, rowVersion, text } from './common.ts';
import { REFERRAL_STATUSES } from '../workflow/vocabulary.ts';
import { newZealandToday } from '../workflow/dates.ts';

export const NARRATIVE_MAX = 20_000;

/** An ISO calendar date (YYYY-MM-DD) that is a real day. */
const isoDate = z.iso.date('Use the format YYYY-MM-DD');

/** Not after today anywhere in New Zealand, whatever the device's time zone. */
const notInFuture = (value: string) => value <= newZealandToday(new Date(), 'latest');

function codeIn(list: (t: Taxonomy) => readonly { code: string }[], what: string) {
  return z
    .string()
    .max(64)
    .refine((code) => hasCode(list(CURRENT_TAXONOMY), code), `Unknown ${what} code`);
}

function codes(list: (t: Taxonomy) => readonly { code: string }[], what: string, max: number) {
  return z
    .array(codeIn(list, what))
    .max(max, `At most ${max}`)
    .refine((values) => new Set(values).size === values.length, 'Each may be chosen once')
    .default([]);
}

export const CHILD_SAFETY = ['safe', 'unsafe', 'unknown'] as const;
export const CHILD_AWARE = ['yes', 'no', 'unknown'] as const;
export const EVIDENCE_AGENCIES = ['police', 'dia'] as const;

export const childInput = z
  .strictObject({
    /** False when the referrer cannot or may not identify the child yet; the referral still counts. */
    identified: z.boolean(),
    /**
     * For a child who is not identified: Bloom-filter encodings of the names and date of birth
     * made by the referring agency with the shared linkage secret (`tiaki link encode`). Tiaki
     * never sees the name, yet can tell whether two agencies are worried about the same child.
     */
    encoded: z
      .strictObject({
        clks: z
          .array(
            z
              .string()
              .regex(
                /^[A-Za-z0-9+/]{170}[AEIMQUYcgkosw048]=$/,
                'Each encoding is 1024 bits in base64 (172 characters)',
              ),
          )
          .min(1, 'At least one encoding')
          .max(11, 'At most 11 encodings (the name and up to 10 aliases)'),
        blocks: z
          .array(z.string().regex(/^[A-Za-z0-9+/=]{1,100}$/, 'A blocking key is base64'))
          .max(10)
          .default([]),
      })
      .optional(),
    givenNames: text(200).optional(),
    familyName: text(200).optional(),
    aliases: z.array(text(200)).max(10, 'At most 10 aliases').default([]),
    dateOfBirth: isoDate.refine(notInFuture, 'A date of birth cannot be in the future').optional(),
    estimatedAge: z
      .number()
      .int()
      .min(0, 'Age cannot be negative')
      .max(17, 'Tiaki is for children under 18')
      .optional(),
    ageBand: codeIn((t) => t.ageBands, 'age band').optional(),
    gender: codeIn((t) => t.genders, 'gender'),
    ethnicities: codes((t) => t.ethnicities, 'ethnicity', 6),
    iwi: codes((t) => t.iwi, 'iwi', 10),
    citizenship: codeIn((t) => t.citizenshipStatuses, 'citizenship or visa status').optional(),
    languages: z.array(text(60)).max(10).default([]),
    currentLocation: text(500).optional(),
    safety: z.enum(CHILD_SAFETY, 'Choose safe, unsafe or unknown'),
  })
  .superRefine((child, ctx) => {
    const identifying = ['givenNames', 'familyName', 'dateOfBirth', 'currentLocation'] as const;
    if (child.identified && child.encoded) {
      ctx.addIssue({
        code: 'custom',
        path: ['encoded'],
        message: 'Encodings are for a child who is not identified by name',
      });
    }
    if (child.identified) {
      if (!child.givenNames && !child.familyName && child.aliases.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['givenNames'],
          message: 'Give a name or an alias, or record the child as not identified',
        });
      }
    } else {
      for (const field of identifying) {
        if (child[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'Leave empty for a child who is not identified',
          });
        }
      }
      if (child.encoded && (child.givenNames || child.familyName)) {
        ctx.addIssue({
          code: 'custom',
          path: ['encoded'],
          message: 'Send encodings instead of names, not both',
        });
      }
      if (child.aliases.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['aliases'],
          message: 'Leave empty for a child who is not identified',
        });
      }
    }
    if (!child.dateOfBirth && child.estimatedAge === undefined && !child.ageBand) {
      ctx.addIssue({
        code: 'custom',
        path: ['estimatedAge'],
        message: 'Give a date of birth, an estimated age or an age band',
      });
    }
  });

/** The referral's fields, without the rules that join them: for checking one step of the form. */
export const referralFields = z.strictObject({
  referrer: z.strictObject({
    name: text(200),
    role: text(200).optional(),
    phone: z
      .string()
      .trim()
      .max(40)
      .regex(/^[+\d\s()-]*$/, 'Digits, spaces, +, ( ) and - only')
      .optional(),
    email: email.optional(),
  }),
  concern: z.strictObject({
    date: isoDate.refine(notInFuture, 'The date of the concern cannot be in the future'),
    region: codeIn((t) => t.regions, 'region'),
    policeDistrict: codeIn((t) => t.policeDistricts, 'Police district').optional(),
  }),
  child: childInput,
  manifestations: z
    .array(codeIn((t) => t.manifestations, 'form of exploitation'))
    .min(1, 'Choose at least one form of exploitation')
    .max(10),
  manifestationSubtypes: codes(manifestationSubtypes, 'form of exploitation (subtype)', 20),
  contexts: codes((t) => t.contexts, 'context', 30),
  indicators: codes((t) => t.indicators, 'indicator', 80),
  narrative: z
    .string()
    .trim()
    .min(1, 'Describe the concern')
    .max(NARRATIVE_MAX, `At most ${NARRATIVE_MAX.toLocaleString('en-NZ')} characters`),
  immediateRisk: z.boolean(),
  evidenceReferences: z
    .array(
      z.strictObject({
        agency: z.enum(EVIDENCE_AGENCIES, 'Evidence is referenced by Police or DIA number only'),
        reference: z
          .string()
          .trim()
          .regex(
            /^[A-Za-z0-9][A-Za-z0-9/-]{2,39}$/,
            'A reference number: letters, digits, / and -, 3 to 40 characters',
          ),
      }),
    )
    .max(20)
    .default([]),
  childViews: text(5000).optional(),
  childAware: z.enum(CHILD_AWARE, 'Choose yes, no or unknown'),
  lawfulBasis: codeIn((t) => t.lawfulBases, 'lawful basis'),
});

/** Whole years between a date of birth and a date. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by = 0, bm = 0, bd = 0] = dateOfBirth.split('-').map(Number);
  const [y = 0, m = 0, d = 0] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Why a date of birth cannot be a child's on the date of the concern, or null when it can. */
export function adultDateOfBirth(dateOfBirth: string, concernDate: string): string | null {
  const age = ageOn(dateOfBirth, concernDate);
  return age >= 18
    ? `Tiaki is for children under 18: this date of birth makes them ${age} on the date of the concern`
    : null;
}

/** A referral as submitted: its fields, and the rules across them. */
export const referralInput = referralFields.superRefine((referral, ctx) => {
  // Tiaki is for children: a date of birth is held to the same limit as an estimated age.
  const adult =
    referral.child.dateOfBirth && adultDateOfBirth(referral.child.dateOfBirth, referral.concern.date);
  if (adult) ctx.addIssue({ code: 'custom', path: ['child', 'dateOfBirth'], message: adult });
});

export type ReferralInput = z.input<typeof referralInput>;
export type ReferralData = z.output<typeof referralInput>;

/** What to do now when a child is at immediate risk, in order. */
export const URGENT_ACTIONS = [
  'call_111',
  'stay_with_child',
  'call_oranga_tamariki',
  'do_not_confront',
  'record_facts',
] as const;
export type UrgentAction = (typeof URGENT_ACTIONS)[number];

export const concernScreen = z.object({
  level: z.enum(['none', 'possible', 'clear']),
  reasons: z.array(z.string()),
});

/** What "my referrals" shows: no names, so listing it reveals no one. */
export const referralSummary = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.enum(REFERRAL_STATUSES),
  submittedAt: z.iso.datetime(),
  concernDate: z.string(),
  region: z.string(),
  manifestations: z.array(z.string()),
  urgent: z.boolean(),
  concernLevel: z.enum(['none', 'possible', 'clear']),
  childIdentified: z.boolean(),
});
export type ReferralSummary = z.infer<typeof referralSummary>;

export const referralAcknowledgement = referralSummary.extend({
  taxonomyVersion: z.string(),
  screen: concernScreen,
  /** Shown when the child is at immediate risk: what to do now (codes the web app words). */
  urgentActions: z.array(z.enum(URGENT_ACTIONS)),
});
export type ReferralAcknowledgement = z.infer<typeof referralAcknowledgement>;

/**
 * A referral's content as Tiaki shows it back, identity included: exactly these fields. The
 * response is built through this schema, so a field added to the stored referral is never shown
 * until it is named here.
 */
export const referralContent = z.object({
  referrer: z.object({
    name: z.string(),
    role: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
  }),
  concern: z.object({ date: z.string(), region: z.string(), policeDistrict: z.string().optional() }),
  child: z.object({
    identified: z.boolean(),
    givenNames: z.string().optional(),
    familyName: z.string().optional(),
    aliases: z.array(z.string()),
    dateOfBirth: z.string().optional(),
    currentLocation: z.string().optional(),
    languages: z.array(z.string()),
    ageBand: z.string().optional(),
    gender: z.string().nullable(),
    ethnicities: z.array(z.string()),
    iwi: z.array(z.string()),
    citizenship: z.string().optional(),
    safety: z.enum(CHILD_SAFETY),
  }),
  manifestations: z.array(z.string()),
  manifestationSubtypes: z.array(z.string()),
  contexts: z.array(z.string()),
  indicators: z.array(z.string()),
  narrative: z.string(),
  immediateRisk: z.boolean(),
  evidenceReferences: z.array(z.object({ agency: z.enum(EVIDENCE_AGENCIES), reference: z.string() })),
  childViews: z.string().optional(),
  childAware: z.enum(CHILD_AWARE),
  lawfulBasis: z.string(),
});
export type ReferralContent = z.infer<typeof referralContent>;

export const referralDetail = referralAcknowledgement.extend({
  organisationId: z.uuid(),
  referringOrganisation: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }),
  caseId: z.uuid().nullable().describe('The case the referral belongs to, once triaged'),
  version: z.number().int().describe('Send it back with a triage action: a stale version answers 409'),
  /** The referral as submitted, identity included: every read is audited. */
  data: referralContent,
});
export type ReferralDetail = z.infer<typeof referralDetail>;

export const draftInput = z.strictObject({
  step: z.number().int().min(0).max(20),
  /** Partial form content: validated only on submission. */
  content: z.record(z.string(), z.unknown()),
  version: rowVersion.optional(),
});
export const draft = z.object({
  id: z.uuid(),
  step: z.number().int(),
  content: z.record(z.string(), z.unknown()),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Draft = z.infer<typeof draft>;
