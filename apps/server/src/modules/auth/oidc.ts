import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { SessionStage, SsoError } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { isLoopbackIssuer, type OidcProviderConfig } from './oidc-config.ts';
import {
  deleteExpiredPendingSignIns,
  deleteSession,
  findOrganisationUserByEmail,
  findUserById,
  insertPendingSignIn,
  insertSsoIdentity,
  linkedSubjectOf,
  linkedUserOf,
  rolesOf,
  takePendingSignIn,
  touchSsoIdentity,
  updateUserAccount,
} from './queries.ts';
import { claimClientAttempt, hashToken, issueSession, nextStage } from './service.ts';

/*
 * Single sign-on with an organisation's identity provider: OpenID Connect authorisation code flow
 * with PKCE (S256), state and nonce, through openid-client (panva). The ID token's issuer,
 * audience, signature (the provider's JWKS), expiry and nonce are checked by the library; this
 * file decides who that person is in Tiaki and how far their sign-in goes.
 */

/** How long a sign-in may take at the provider before it must be started again. */
export const PENDING_MINUTES = 10;
/** The browser-binding cookie of a sign-in in progress (SameSite=Lax: the provider's redirect is cross-site). */
export const SSO_COOKIE = 'tiaki_sso';

/**
 * `amr` values (RFC 8176) that show the provider checked more than a password: an explicit
 * multi-factor claim, or a possession or inherence factor.
 */
const MFA_AMR_VALUES = new Set([
  'mfa',
  'mca',
  'otp',
  'hwk',
  'swk',
  'sms',
  'tel',
  'sc',
  'fpt',
  'face',
  'iris',
  'retina',
]);

export function providerOf(ctx: AppContext, id: string): OidcProviderConfig | undefined {
  return ctx.config.oidcProviders.find((p) => p.id === id);
}

export const callbackUrl = (ctx: AppContext, provider: OidcProviderConfig) =>
  `${ctx.config.publicUrl.replace(/\/+$/, '')}/api/auth/oidc/${provider.id}/callback`;

/** Whether the ID token says the provider checked a second factor (amr) or an agreed level (acr). */
export function assertsMfa(claims: client.IDToken, provider: OidcProviderConfig): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr : [];
  if (amr.some((value) => typeof value === 'string' && MFA_AMR_VALUES.has(value))) return true;
  return typeof claims.acr === 'string' && provider.mfaAcrValues.includes(claims.acr);
}

/** Discovery documents, read once per provider (a failure is forgotten, so the next sign-in tries again). */
const discovered = new WeakMap<OidcProviderConfig, Promise<client.Configuration>>();

function configurationOf(ctx: AppContext, provider: OidcProviderConfig): Promise<client.Configuration> {
  let found = discovered.get(provider);
  if (!found) {
    const insecure = ctx.config.env !== 'production' && isLoopbackIssuer(provider.issuer);
    found = client
      .discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, {
        timeout: 15,
        // Plain http for a provider on this machine only, outside production (tests, development).
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated to stand out, as here
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .then((configuration) => {
        // Check the ID token's signature against the provider's published keys (JWKS) too.
        client.enableNonRepudiationChecks(configuration);
        return configuration;
      });
    found.catch(() => discovered.delete(provider));
    discovered.set(provider, found);
  }
  return found;
}

export type StartResult =
  { kind: 'redirect'; location: string; cookie: string } | { kind: 'error'; error: SsoError };

/**
 * Begins a sign-in at the provider. Counts against the same per-client throttle as a password
 * sign-in, and remembers state, nonce and PKCE verifier for the browser that asked.
 */
export async function startSignIn(
  ctx: AppContext,
  provider: OidcProviderConfig,
  clientAddress: string,
): Promise<StartResult> {
  if (!(await claimClientAttempt(ctx, hashToken(`client:${clientAddress}`))))
    return { kind: 'error', error: 'too_many_attempts' };
  let configuration: client.Configuration;
  try {
    configuration = await configurationOf(ctx, provider);
  } catch {
    return { kind: 'error', error: 'unavailable' };
  }
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const binding = randomBytes(32).toString('base64url');
  const now = new Date();
  await ctx.db.transaction().execute(async (trx) => {
    await deleteExpiredPendingSignIns(trx, now);
    await insertPendingSignIn(trx, {
      id: hashToken(binding),
      provider: provider.id,
      state,
      nonce,
      code_verifier: codeVerifier,
      created_at: now,
      expires_at: new Date(now.getTime() + PENDING_MINUTES * 60_000),
    });
  });
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrl(ctx, provider),
    scope: 'openid email',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { kind: 'redirect', location: url.href, cookie: binding };
}

export type FinishResult =
  { kind: 'signed_in'; token: string; stage: SessionStage } | { kind: 'error'; error: SsoError };

/**
 * Finishes a sign-in when the provider sends the browser back. The pending sign-in is used up
 * whatever happens, so an authorisation code or a state is good for one try only.
 */
export async function finishSignIn(
  ctx: AppContext,
  provider: OidcProviderConfig,
  input: { binding: string | undefined; query: string; previousSessionId: string | null; requestId: string },
): Promise<FinishResult> {
  const baseActor: Actor = {
    userId: null,
    organisationId: provider.organisationId,
    requestId: input.requestId,
  };
  const refuse = async (error: SsoError, reason: string, actor: Actor = baseActor, userId?: string) => {
    await recordAudit(ctx.db, actor, {
      action: 'auth.sign_in_failed',
      ...(userId ? { subjectType: 'user', subjectId: userId } : {}),
      details: { method: 'oidc', issuer: provider.issuer, reason },
    });
    return { kind: 'error' as const, error };
  };

  const pending = input.binding ? await takePendingSignIn(ctx.db, hashToken(input.binding)) : undefined;
  // No sign-in of this browser is waiting: nothing was tried, so nothing is written (this address
  // is open to anyone, unthrottled, and must not fill the audit log).
  if (!pending) return { kind: 'error', error: 'expired' };
  if (pending.provider !== provider.id || pending.expires_at.getTime() <= Date.now())
    return refuse('expired', 'pending_sign_in_expired');

  const current = new URL(`${callbackUrl(ctx, provider)}?${input.query}`);
  if (current.searchParams.has('error')) {
    const said = current.searchParams.get('error') ?? '';
    return refuse(said === 'access_denied' ? 'cancelled' : 'failed', `provider_error:${codeOnly(said)}`);
  }

  let configuration: client.Configuration;
  try {
    configuration = await configurationOf(ctx, provider);
  } catch {
    return refuse('unavailable', 'provider_unreachable');
  }

  let claims: client.IDToken;
  let accessToken: string;
  try {
    const tokens = await client.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: pending.code_verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return await refuse('failed', 'no_id_token');
    claims = idClaims;
    accessToken = tokens.access_token;
  } catch (error) {
    return refuse('failed', `token_rejected:${errorCode(error)}`);
  }

  // Who this is: by the link made earlier, else (first time) by a verified email address of an
  // account of the provider's organisation.
  const issuer = claims.iss;
  const subject = claims.sub;
  let userId = await linkedUserOf(ctx.db, issuer, subject);
  let linkNow = false;
  if (!userId) {
    const email = await verifiedEmail(configuration, claims, accessToken, provider);
    if (!email) return refuse('no_access', 'no_verified_email');
    const match = await findOrganisationUserByEmail(ctx.db, email, provider.organisationId);
    if (!match) return refuse('no_access', 'no_account');
    const other = await linkedSubjectOf(ctx.db, match.id, issuer);
    // The account already belongs to another person at this provider: an address reused there
    // must not take it over.
    if (other) return refuse('no_access', 'linked_to_another_subject', baseActor, match.id);
    userId = match.id;
    linkNow = true;
  }

  const user = await findUserById(ctx.db, userId);
  if (!user) return refuse('no_access', 'no_account');
  const actor: Actor = { userId: user.id, organisationId: user.organisation_id, requestId: input.requestId };
  // A provider signs in only its own organisation's people (a changed configuration included).
  if (user.organisation_id !== provider.organisationId)
    return refuse('no_access', 'other_organisation', actor, user.id);
  if (!user.is_active) return refuse('account_inactive', 'deactivated', actor, user.id);
  if (user.locked_until && user.locked_until.getTime() > Date.now())
    return refuse('account_locked', 'locked', actor, user.id);
  const roles = await rolesOf(ctx.db, user.id);
  // Roles are granted in Tiaki only: an account with none has nothing to sign in to.
  if (roles.length === 0) return refuse('no_access', 'no_roles', actor, user.id);

  // The provider's password replaces Tiaki's, so a one-time Tiaki password need not be changed.
  // A second factor asserted by the provider is trusted; otherwise Tiaki asks for its own, exactly
  // as after a password.
  const mfa = assertsMfa(claims, provider);
  const stage: SessionStage = mfa
    ? 'active'
    : nextStage({ ...user, must_change_password: false }, roles, ctx.config.demoMode);

  const token = await ctx.db.transaction().execute(async (trx) => {
    const now = new Date();
    if (linkNow) {
      await insertSsoIdentity(trx, {
        issuer,
        subject,
        user_id: user.id,
        linked_at: now,
        last_sign_in_at: now,
      });
      await recordAudit(trx, actor, {
        action: 'auth.sso_linked',
        subjectType: 'user',
        subjectId: user.id,
        details: { method: 'oidc', issuer },
      });
    } else {
      await touchSsoIdentity(trx, issuer, subject, now);
    }
    if (stage === 'active') await updateUserAccount(trx, user.id, { last_sign_in_at: now });
    // A session the browser already had (another person's, or a half-finished one) ends here.
    if (input.previousSessionId) await deleteSession(trx, input.previousSessionId);
    await recordAudit(trx, actor, {
      action: stage === 'active' ? 'auth.sign_in' : 'auth.sso_verified',
      subjectType: 'user',
      subjectId: user.id,
      details: { method: 'oidc', issuer, stage, providerMfa: mfa },
    });
    return issueSession({ ...ctx, db: trx }, user.id, stage);
  });
  return { kind: 'signed_in', token, stage };
}

/** The email address the provider vouches for: from the ID token, else from its userinfo endpoint. */
async function verifiedEmail(
  configuration: client.Configuration,
  claims: client.IDToken,
  accessToken: string,
  provider: OidcProviderConfig,
): Promise<string | null> {
  const pick = (source: Record<string, unknown>) =>
    typeof source.email === 'string' && (source.email_verified === true || provider.trustUnverifiedEmail)
      ? source.email
      : null;
  const fromToken = pick(claims);
  if (fromToken) return fromToken;
  try {
    const info = await client.fetchUserInfo(configuration, accessToken, claims.sub);
    return pick(info);
  } catch {
    return null;
  }
}

/** A short code for the audit (never the provider's message, which may carry personal data). */
function errorCode(error: unknown): string {
  if (error instanceof client.ResponseBodyError) return codeOnly(error.error);
  if (error instanceof client.AuthorizationResponseError) return codeOnly(error.error);
  if (error instanceof client.ClientError) return codeOnly(error.code ?? 'client_error');
  return 'unexpected';
}

/** An error code as the provider or library named it, reduced to letters and underscores. */
const codeOnly = (value: string) => value.replace(/[^A-Za-z_]/g, '').slice(0, 40) || 'unnamed';
