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
      operationId: 'getSession',
      summary: 'The current session, its stage and CSRF token',
      description:
        'The session behind the cookie: its sign-in stage, the person, their organisation, roles and permissions, and the CSRF token to send as X-CSRF-Token on every state-changing request. The web app shows only what these permissions allow; the server enforces the same rules.',
      response: { 200: sessionView, 401: apiError },
    },
    handler: (request) => toSessionView(requireAuth(request), ctx.config.demoMode),
  });

  r.post('/api/auth/sign-in', {
    config: { access: 'public' },
    schema: {
      operationId: 'signIn',
      summary: 'Sign in with email and password',
      description:
        'Checks the email and password and starts a session (an HttpOnly cookie). The stage in the answer says what is still needed: a new password, authenticator enrolment or a code. Repeated failures lock the account for a while, and too many attempts from one client are refused with 429.',
      body: signInRequest,
      response: { 200: sessionView, 400: apiError, 401: apiError, 429: apiError },
    },
    handler: async (request, reply) =>
      respond(reply, await signIn(ctx, request.body, request.ip, request.id)),
  });

  r.post('/api/auth/password', {
    config: { access: 'signing-in' },
    schema: {
      operationId: 'changePassword',
      summary: 'Change your password (required after a one-time password)',
      description:
        'Replaces the password (required after a one-time password) and issues a new session token, so a token from before the change is worthless.',
      body: changePasswordRequest,
      response: { 200: sessionView, 400: apiError, 401: apiError },
    },
    handler: async (request, reply) =>
      respond(reply, await changePassword(ctx, requireAuth(request), request.actor, request.body)),
  });

  r.post('/api/auth/mfa/enrolment', {
    config: { access: 'signing-in' },
    schema: {
      operationId: 'startMfaEnrolment',
      summary: 'Start authenticator-app (TOTP) enrolment',
      description:
        'Creates a new authenticator-app (TOTP) secret and answers with it and its QR code, to be confirmed with the first code from the app.',
      body: emptyBody,
      response: { 200: mfaEnrolment, 401: apiError },
    },
    handler: (request) => startMfaEnrolment(ctx, requireAuth(request), request.actor),
  });

  r.post('/api/auth/mfa/enrolment/confirm', {
    config: { access: 'signing-in' },
    schema: {
      operationId: 'confirmMfaEnrolment',
      summary: 'Confirm enrolment with the first code from the app',
      description:
        'Checks the first code from the authenticator app, keeps the secret (encrypted) and finishes signing in with a new session token.',
      body: totpCode,
      response: { 200: sessionView, 400: apiError, 401: apiError, 409: apiError },
    },
    handler: async (request, reply) =>
      respond(reply, await confirmMfaEnrolment(ctx, requireAuth(request), request.actor, request.body.code)),
  });

  r.post('/api/auth/mfa/verify', {
    config: { access: 'signing-in' },
    schema: {
      operationId: 'verifyMfa',
      summary: 'Finish signing in with a code from the authenticator app',
      description:
        'Checks a code from the authenticator app and finishes signing in with a new session token. A code already used cannot be used again.',
      body: totpCode,
      response: { 200: sessionView, 400: apiError, 401: apiError, 409: apiError },
    },
    handler: async (request, reply) =>
      respond(reply, await verifyMfa(ctx, requireAuth(request), request.actor, request.body.code)),
  });

  r.post('/api/auth/sign-out', {
    config: { access: 'signing-in' },
    schema: {
      operationId: 'signOut',
      summary: 'Sign out and end the session',
      description: 'Ends the session at once and clears its cookie.',
      body: emptyBody,
      response: { 200: ok, 401: apiError },
    },
    handler: async (request, reply) => {
      await signOut(ctx, requireAuth(request), request.actor);
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).send({ ok: true as const });
    },
  });
}
