import { z } from 'zod';
import { ORGANISATION_KINDS } from '../access/organisations.ts';
import { ROLES } from '../access/roles.ts';
import { REGION_CODES } from '../reference/regions.ts';
import { email, rowVersion, text } from './common.ts';

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
});
export type User = z.infer<typeof user>;

export const createUserRequest = z.strictObject({
  email,
  displayName: text(200),
  organisationId: z.uuid(),
  roles: z.array(z.enum(ROLES)).min(1, 'Choose at least one role').max(ROLES.length),
});

export const createdUser = z.object({
  user,
  oneTimePassword: z.string().describe('Shown once; the user must change it at first sign-in'),
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
