import { z } from 'zod';

export const uuid = z.uuid();

/**
 * The version of a row as the client last read it: versions start at 1 and are stored as
 * PostgreSQL integers, so anything outside 1…2147483647 is refused here, not by the database.
 */
export const rowVersion = z.number().int().min(1).max(2_147_483_647);

/** Trimmed, non-empty, bounded text: the default for short free-text inputs. */
export function text(max: number) {
  return z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
}

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'At most 254 characters')
  .pipe(z.email('Enter a valid email address'));

/** The body of every 4xx and 5xx answer. */
export const apiError = z.object({
  code: z.string().describe('Machine-readable error code'),
  message: z.string().describe('Plain-language message for people'),
  fields: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('Each failing field with the rule it broke'),
  requestId: z.string().optional(),
  currentVersion: z.number().int().optional().describe('With version_conflict: the version now stored'),
  lockedUntil: z.string().optional().describe('With account_locked: when the lock ends'),
  stage: z.string().optional().describe('With sign_in_incomplete: the step still needed'),
  demoMode: z.boolean().optional().describe('With not_signed_in: whether this is a demo installation'),
});
export type ApiError = z.infer<typeof apiError>;

export const ok = z.object({ ok: z.literal(true) });

/** For actions that take no input: no body, or an empty JSON object. */
export const emptyBody = z.strictObject({}).optional();

export const idParams = z.strictObject({ id: z.uuid('Not a valid id') });
