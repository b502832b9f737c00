import { z } from 'zod';
import { ORGANISATION_KINDS } from '../access/organisations.ts';
import { ROLES } from '../access/roles.ts';
import { REGION_CODES } from '../reference/regions.ts';
import { email, rowVersion, text } from './common.ts';
import { listText, pageOf, pageQueryFields } from './lists.ts';

const regionCode = z.string().refine((code) => REGION_CODES.includes(code), 'Unknown region code');

export const organisation = z.object({
  id: z.uuid(),
  kind: z.enum(ORGANISATION_KINDS),
  name: z.string(),
  regionsServed: z.array(z.string()),
  isDemo: z.boolean(),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
});
export type Organisation = z.infer<typeof organisation>;

export const createOrganisationRequest = z.strictObject({
  kind: z.enum(ORGANISATION_KINDS),
  name: text(200),
  regionsServed: z.array(regionCode).max(20).default([]),
});

export const updateOrganisationRequest = z.strictObject({
  name: text(200).optional(),
  regionsServed: z.array(regionCode).max(20).optional(),
  version: rowVersion.describe('The version you read; a stale version is refused with 409'),
});

export const PRIVILEGED_REQUEST_KINDS = ['grant_roles', 'reset_password', 'reset_mfa'] as const;
export type PrivilegedRequestKind = (typeof PRIVILEGED_REQUEST_KINDS)[number];
export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;

const personRef = z.object({ id: z.uuid(), displayName: z.string() });

/** A privileged change one administrator asked for, waiting for (or decided by) a second. */
export const privilegedRequest = z.object({
  id: z.uuid(),
  kind: z
    .enum(PRIVILEGED_REQUEST_KINDS)
    .describe(
      'grant_roles: add roles; reset_password: a new one-time password; reset_mfa: remove the authenticator',
    ),
  targetUser: personRef.extend({ email: z.string() }),
  roles: z.array(z.enum(ROLES)).describe('With grant_roles: the roles to add'),
  requestedBy: personRef,
  requestedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().describe('A request not decided by then can no longer be approved'),
  status: z.enum(REQUEST_STATUSES),
  decidedBy: personRef.nullable().describe('Null while pending, after expiry, or when the operator decided'),
  decidedAt: z.iso.datetime().nullable(),
});
export type PrivilegedRequest = z.infer<typeof privilegedRequest>;

export const decidedPrivilegedRequest = z.object({
  request: privilegedRequest,
  oneTimePassword: z
    .string()
    .optional()
    .describe('With an approved reset_password: shown once, to the approving administrator only'),
});

/** A pending request about a user, as shown beside the account. */
export const pendingUserRequest = z.object({
  id: z.uuid(),
  kind: z.enum(PRIVILEGED_REQUEST_KINDS),
  roles: z.array(z.enum(ROLES)),
  requestedByName: z.string(),
  expiresAt: z.iso.datetime(),
});
export type PendingUserRequest = z.infer<typeof pendingUserRequest>;

export const user = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  organisationId: z.uuid(),
  organisationName: z.string(),
  roles: z.array(z.enum(ROLES)),
  isActive: z.boolean(),
  mfaEnabled: z.boolean(),
  isDemo: z.boolean(),
  lockedUntil: z.iso.datetime().nullable(),
  lastSignInAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
  pendingRequests: z
    .array(pendingUserRequest)
    .describe('Privileged changes to this account waiting for a second administrator'),
});
export type User = z.infer<typeof user>;

/** How the user accounts list can be sorted (`name` by default, A to Z). */
export const USER_SORTS = ['name', 'email', 'organisation', 'lastSignIn'] as const;
export type UserSort = (typeof USER_SORTS)[number];
/** An account's state as the list filters it: deactivated, locked out just now, or able to sign in. */
export const USER_STATES = ['active', 'deactivated', 'locked', 'waiting'] as const;

export const userListQuery = z.strictObject({
  ...pageQueryFields(USER_SORTS),
  q: listText.describe("Part of a person's name or email address"),
  organisationId: z.uuid('Choose an organisation from the list').optional(),
  role: z.enum(ROLES, { error: 'Choose a role from the list' }).optional(),
  state: z
    .enum(USER_STATES, { error: `State is one of: ${USER_STATES.join(', ')}` })
    .optional()
    .describe(
      'active, deactivated, locked (until the lock runs out) or waiting (a change waits for approval)',
    ),
});
export type UserListQuery = z.infer<typeof userListQuery>;
export type UserListRequest = z.input<typeof userListQuery>;
export const userPage = pageOf(user);

export const createUserRequest = z.strictObject({
  email,
  displayName: text(200),
  organisationId: z.uuid(),
  roles: z.array(z.enum(ROLES)).min(1, 'Choose at least one role').max(ROLES.length),
});

export const createdUser = z.object({
  user,
  oneTimePassword: z.string().describe('Shown once; the user must change it at first sign-in'),
  pendingRequest: privilegedRequest
    .nullable()
    .describe('The roles that wait for a second administrator, if any were asked for'),
});

export const updateUserRequest = z.strictObject({
  displayName: text(200).optional(),
  roles: z.array(z.enum(ROLES)).min(1, 'Choose at least one role').max(ROLES.length).optional(),
  isActive: z.boolean().optional(),
  version: rowVersion.describe('The version you read; a stale version is refused with 409'),
});

/** What an organisation's system may do with an API key: submitting referrals, nothing else. */
export const API_KEY_SCOPES = ['referrals.create'] as const;

export const apiKey = z.object({
  id: z.uuid(),
  organisationId: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The start of the key, to recognise it; the secret part is never shown again'),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKey = z.infer<typeof apiKey>;

export const createApiKeyRequest = z.strictObject({
  name: text(200),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'Choose at least one scope').default(['referrals.create']),
});
