import { z } from 'zod';
import { ROLES } from '../access/roles.ts';
import { PERMISSIONS } from '../access/permissions.ts';
import { email } from './common.ts';

/** Minimum password rules (NIST SP 800-63B: length over composition). */
export const newPassword = z
  .string()
  .min(12, 'Use at least 12 characters')
  .max(200, 'At most 200 characters');

export const signInRequest = z.strictObject({
  email,
  password: z.string().min(1, 'Required').max(200, 'At most 200 characters'),
});

/** What a session still needs before it is fully signed in. */
export const SESSION_STAGES = ['password_change', 'mfa_enrol', 'mfa_verify', 'active'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

export const sessionView = z.object({
  stage: z.enum(SESSION_STAGES),
  csrfToken: z.string(),
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    organisation: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }),
    roles: z.array(z.enum(ROLES)),
    permissions: z.array(z.enum(PERMISSIONS)),
    mfaEnabled: z.boolean(),
    isDemo: z.boolean(),
  }),
  demoMode: z.boolean(),
  idleExpiresAt: z.iso.datetime(),
  absoluteExpiresAt: z.iso.datetime(),
});
export type SessionView = z.infer<typeof sessionView>;

export const changePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1, 'Required').max(200),
  newPassword,
});

export const totpCode = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app'),
});

export const mfaEnrolment = z.object({
  otpauthUri: z.string(),
  secret: z.string().describe('Base32 secret for manual entry'),
  qrSvg: z.string().describe('The otpauth URI as an SVG QR code'),
});

/** The identity providers people may sign in with (single sign-on), for the sign-in page. */
export const oidcProviderList = z.object({
  providers: z.array(
    z.object({
      id: z.string().describe('Used in /api/auth/oidc/{provider}/start'),
      displayName: z.string().describe('Shown as "Sign in with …"'),
    }),
  ),
});
export type OidcProviderList = z.infer<typeof oidcProviderList>;

/**
 * Why single sign-on did not sign someone in: the sign-in page's `sso_error` parameter, each
 * with its own plain-language message.
 */
export const SSO_ERRORS = [
  'no_access',
  'account_inactive',
  'account_locked',
  'expired',
  'cancelled',
  'failed',
  'unavailable',
  'too_many_attempts',
] as const;
export type SsoError = (typeof SSO_ERRORS)[number];
