import { z } from 'zod';
import { REQUEST_STATUSES } from './admin.ts';
import { text } from './common.ts';

/**
 * A Privacy Act 2020 IPP 6 request for everything held about one child (issue 19, finding 2).
 * A reference alone is guessable, so the officer also gives the child's date of birth or family
 * name as the record holds it; the reason is required; a second privacy officer or an auditor
 * approves before the file can be downloaded.
 */
export const privacyRequestInput = z
  .strictObject({
    reference: z.string().trim().min(1, 'Give a referral or case reference').max(40),
    dateOfBirth: z.iso.date('Use the format YYYY-MM-DD').optional(),
    familyName: text(200).optional(),
    reason: text(2000)
      .refine((value) => value.length >= 20, 'Say who asked and why, in at least 20 characters')
      .describe('Who asked for the file and under which request (stored encrypted)'),
  })
  .refine((value) => value.dateOfBirth !== undefined || value.familyName !== undefined, {
    message: "Give the child's date of birth or family name, as the person asking gave it",
    path: ['dateOfBirth'],
  });

const personRef = z.object({ id: z.uuid(), displayName: z.string() });

export const privacyRequest = z.object({
  id: z.uuid(),
  reference: z.string(),
  reason: z.string(),
  requestedBy: personRef,
  requestedAt: z.iso.datetime(),
  expiresAt: z.iso
    .datetime()
    .describe('Pending: approve by then. Approved: the file can be downloaded until then'),
  status: z.enum(REQUEST_STATUSES),
  decidedBy: personRef.nullable(),
  decidedAt: z.iso.datetime().nullable(),
  downloads: z.number().int(),
});
export type PrivacyRequest = z.infer<typeof privacyRequest>;
