import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiError, oidcProviderList, type SsoError } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { SESSION_COOKIE } from '../../http/access.ts';
import { HttpError } from '../../http/errors.ts';
import { finishSignIn, PENDING_MINUTES, providerOf, SSO_COOKIE, startSignIn } from './oidc.ts';
import { hashToken } from './service.ts';

const providerParams = z.strictObject({
  provider: z.string().max(40).describe('The id of a configured identity provider'),
});

const redirect = z.null().describe('A redirect (Location header), no body');

export function oidcRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ssoCookiePath = '/api/auth/oidc/';

  const known = (id: string) => {
    const provider = providerOf(ctx, id);
    if (!provider) throw new HttpError(404, 'not_found', 'There is no such sign-in provider here.');
    return provider;
  };
  /** Back to the sign-in page with a reason it shows in plain words. */
  const toSignIn = (reply: FastifyReply, error: SsoError) =>
    reply.redirect(`/sign-in?sso_error=${error}`, 302);

  r.get('/api/auth/oidc/providers', {
    config: { access: 'public' },
    schema: {
      operationId: 'listOidcProviders',
      summary: 'The identity providers people may sign in with',
      description:
        'The organisations’ identity providers (single sign-on) configured on this installation, for the sign-in page’s “Sign in with …” buttons: an id and a name each, nothing else. Empty when none is configured.',
      response: { 200: oidcProviderList },
    },
    handler: () => ({
      providers: ctx.config.oidcProviders.map((p) => ({ id: p.id, displayName: p.displayName })),
    }),
  });

  r.get('/api/auth/oidc/:provider/start', {
    config: { access: 'public' },
    schema: {
      operationId: 'startOidcSignIn',
      summary: 'Start signing in at an organisation’s identity provider',
      description: `Redirects the browser to the identity provider (OpenID Connect authorisation code flow with PKCE S256, state and nonce), with a short-lived cookie that binds the answer to this browser for ${PENDING_MINUTES} minutes. Counts against the same per-client sign-in throttle as a password sign-in; over it, or when the provider cannot be reached, the browser goes back to the sign-in page with a reason (sso_error).`,
      params: providerParams,
      response: { 302: redirect, 404: apiError },
    },
    handler: async (request, reply) => {
      const provider = known(request.params.provider);
      const started = await startSignIn(ctx, provider, request.ip);
      if (started.kind === 'error') return toSignIn(reply, started.error);
      return reply
        .setCookie(SSO_COOKIE, started.cookie, {
          path: ssoCookiePath,
          httpOnly: true,
          // Lax: the provider sends the browser back with a cross-site redirect.
          sameSite: 'lax',
          secure: ctx.config.secureCookies,
          maxAge: PENDING_MINUTES * 60,
        })
        .redirect(started.location, 302);
    },
  });

  r.get('/api/auth/oidc/:provider/callback', {
    config: { access: 'public' },
    schema: {
      operationId: 'finishOidcSignIn',
      summary: 'Where the identity provider sends the browser back',
      description:
        'Checks the answer (state, PKCE, the ID token’s issuer, audience, signature, expiry and nonce), finds the Tiaki account linked to the person at the provider (the first time: an account of the provider’s organisation with the same verified email address), and starts a session like a password sign-in. The provider’s second factor is trusted when its ID token asserts one (amr, or a configured acr); otherwise Tiaki asks for its own code where the roles need one. Roles always come from Tiaki: a person without an account, or an account without roles, is sent back to the sign-in page with sso_error=no_access and no session. Each answer can be used once.',
      params: providerParams,
      response: { 302: redirect, 404: apiError },
    },
    handler: async (request, reply) => {
      const provider = known(request.params.provider);
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const previous = request.cookies[SESSION_COOKIE];
      const finished = await finishSignIn(ctx, provider, {
        binding: request.cookies[SSO_COOKIE],
        query,
        previousSessionId: previous ? hashToken(previous) : null,
        requestId: request.id,
      });
      void reply.clearCookie(SSO_COOKIE, { path: ssoCookiePath });
      if (finished.kind === 'error') return toSignIn(reply, finished.error);
      return reply
        .setCookie(SESSION_COOKIE, finished.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: ctx.config.secureCookies,
          maxAge: ctx.config.sessionAbsoluteHours * 3600,
        })
        .redirect('/', 302);
    },
  });
}
