import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  apiError,
  changePasswordRequest,
  emptyBody,
  mfaEnrolment,
  ok,
  sessionView,
  signInRequest,
  totpCode,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth, SESSION_COOKIE } from '../../http/access.ts';
import {
  changePassword,
  confirmMfaEnrolment,
  signIn,
  signOut,
  startMfaEnrolment,
  toSessionView,
  verifyMfa,
  type IssuedSession,
} from './service.ts';

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  const setCookie = (reply: FastifyReply, issued: IssuedSession) =>
    reply.setCookie(SESSION_COOKIE, issued.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.config.secureCookies,
      maxAge: ctx.config.sessionAbsoluteHours * 3600,
    });
  const respond = (reply: FastifyReply, issued: IssuedSession) =>
    setCookie(reply, issued).send(toSessionView(issued.auth, ctx.config.demoMode));

  r.get('/api/session', {
    config: { access: 'signing-in' },
    schema: {
      tags,
      summary: 'The current session, its stage and CSRF token',
      response: { 200: sessionView, 401: apiError },
    },
    handler: (request) => toSessionView(requireAuth(request), ctx.config.demoMode),
  });

  r.post('/api/auth/sign-in', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Sign in with email and password',
      description:
        'Starts a session. The stage says what is still needed: a new password, MFA enrolment or a code.',
      body: signInRequest,
      response: { 200: sessionView, 400: apiError, 401: apiError, 429: apiError },
    },
    handler: async (request, reply) =>
      respond(reply, await signIn(ctx, request.body, request.ip, request.id)),
  });

  r.post('/api/auth/password', {
    config: { access: 'signing-in' },
    schema: {
      tags,
      summary: 'Change your password (required after a one-time password)',
      body: changePasswordRequest,
      response: { 200: sessionView, 400: apiError, 401: apiError },
    },
    handler: async (request, reply) =>
      respond(reply, await changePassword(ctx, requireAuth(request), request.actor, request.body)),
  });

  r.post('/api/auth/mfa/enrolment', {
    config: { access: 'signing-in' },
    schema: {
      tags,
      summary: 'Start authenticator-app (TOTP) enrolment',
      body: emptyBody,
      response: { 200: mfaEnrolment, 401: apiError },
    },
    handler: (request) => startMfaEnrolment(ctx, requireAuth(request), request.actor),
  });

  r.post('/api/auth/mfa/enrolment/confirm', {
    config: { access: 'signing-in' },
    schema: {
      tags,
      summary: 'Confirm enrolment with the first code from the app',
      body: totpCode,
      response: { 200: sessionView, 400: apiError, 401: apiError, 409: apiError },
    },
    handler: async (request, reply) =>
      respond(reply, await confirmMfaEnrolment(ctx, requireAuth(request), request.actor, request.body.code)),
  });

  r.post('/api/auth/mfa/verify', {
    config: { access: 'signing-in' },
    schema: {
      tags,
      summary: 'Finish signing in with a code from the authenticator app',
      body: totpCode,
      response: { 200: sessionView, 400: apiError, 401: apiError, 409: apiError },
    },
    handler: async (request, reply) =>
      respond(reply, await verifyMfa(ctx, requireAuth(request), request.actor, request.body.code)),
  });

  r.post('/api/auth/sign-out', {
    config: { access: 'signing-in' },
    schema: {
      tags,
      summary: 'Sign out and end the session',
      body: emptyBody,
      response: { 200: ok, 401: apiError },
    },
    handler: async (request, reply) => {
      await signOut(ctx, requireAuth(request), request.actor);
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).send({ ok: true as const });
    },
  });
}
