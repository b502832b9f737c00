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

/**
 * On a form with free text about a child: save the words as written although the terminology
 * guard flagged them (the person has read the guidance). Without it, flagged words are refused
 * with 400 `wording_check` and nothing is saved.
 */
export const keepWording = z
  .boolean()
  .optional()
  .describe('Save the words as written though the wording check flagged them (400 wording_check otherwise)');

/** The body of every 4xx and 5xx answer. */
/**
 * Every machine code an error answer can carry: the server raises only these (HttpError is typed
 * by them) and clients can branch on them without guessing.
 */
export const ERROR_CODES = [
  'account_locked',
  'already_approved',
  'already_decided',
  'already_on_team',
  'already_requested',
  'already_recorded',
  'already_triaged',
  'already_unmerged',
  'approval_not_required',
  'bad_content_length',
  'bad_date',
  'bad_format',
  'bad_idempotency_key',
  'bad_kind',
  'bad_mode',
  'bad_period',
  'bad_quarter',
  'bad_reference',
  'bad_request',
  'bad_series_line',
  'body_too_large',
  'cannot_change_own_access',
  'case_closed',
  'case_open',
  'csrf_failed',
  'email_taken',
  'empty_series',
  'extract_expired',
  'extract_not_ready',
  'forbidden',
  'idempotency_key_reused',
  'identity_not_authorised',
  'import_failed',
  'internal_error',
  'invalid_api_key',
  'invalid_assignee',
  'invalid_code',
  'invalid_credentials',
  'invalid_panel',
  'malformed_json',
  'name_taken',
  'no_drafts_for_api_keys',
  'no_enrolment',
  'nonstandard_period',
  'statistics_budget_exceeded',
  'not_approved',
  'not_awaiting_approval',
  'not_enough_reviews',
  'not_found',
  'not_on_team',
  'not_privacy_officer',
  'not_reconsiderable',
  'not_signed_in',
  'note_not_allowed',
  'own_request',
  'panel_incomplete',
  'pdf_unavailable',
  'reconsideration_window_closed',
  'request_expired',
  'route_not_found',
  'same_case',
  'same_decision_maker',
  'service_inactive',
  'session_expired',
  'sign_in_incomplete',
  'starting',
  'step_not_allowed',
  'too_deeply_nested',
  'too_early',
  'too_many_attempts',
  'unknown_organisation',
  'unknown_service',
  'unsupported_media_type',
  'validation_failed',
  'version_conflict',
  'wording_check',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const apiError = z.object({
  code: z.enum(ERROR_CODES).describe('Machine-readable error code'),
  message: z.string().describe('Plain-language message for people'),
  fields: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('Each failing field with the rule it broke'),
  requestId: z.string().optional(),
  currentVersion: z.number().int().optional().describe('With version_conflict: the version now stored'),
  wording: z
    .array(
      z.object({
        path: z.string(),
        text: z.string(),
        ruleId: z.string(),
        preferred: z.array(z.string()),
      }),
    )
    .optional()
    .describe('With wording_check: each flagged phrase, the field it is in and the words to use instead'),
  lockedUntil: z.string().optional().describe('With account_locked: when the lock ends'),
  stage: z.string().optional().describe('With sign_in_incomplete: the step still needed'),
  demoMode: z.boolean().optional().describe('With not_signed_in: whether this is a demo installation'),
});
export type ApiError = z.infer<typeof apiError>;

export const ok = z.object({ ok: z.literal(true) });

/** The answer to a request that creates one thing: its id. */
export const created = z.object({ id: z.uuid() });

/** For actions that take no input: no body, or an empty JSON object. */
export const emptyBody = z.strictObject({}).optional();

export const idParams = z.strictObject({ id: z.uuid('Not a valid id') });
