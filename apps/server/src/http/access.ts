import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Permission } from '@tiaki/domain';
import type { AppContext } from '../context.ts';
import { loadSession, sameSecret, type AuthContext } from '../modules/auth/service.ts';
import type { Actor } from '../modules/audit/service.ts';
import { authenticateApiKey } from '../modules/api-keys/service.ts';
import { documentRoute } from './openapi.ts';
import { HttpError } from './errors.ts';

/**
 * Who may call a route. Every route must declare one (deny by default):
 * - 'public': anyone, signed in or not;
 * - 'signing-in': a session at any stage (changing a one-time password, MFA steps, sign-out);
 * - 'signed-in': a fully signed-in session, whatever its roles;
 * - a Permission: a fully signed-in session whose roles grant it.
 */
export type Access = 'public' | 'signing-in' | 'signed-in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Accept `Authorization: Bearer tk_…` API keys (organisation systems) on this route. */
    apiKeys?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    actor: Actor;
  }
  interface FastifyInstance {
    declaredRoutes: DeclaredRoute[];
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access;
  hasBodySchema: boolean;
  hasResponseSchema: boolean;
  acceptsApiKeys: boolean;
  /** What the route writes beside itself for its OpenAPI operation (hidden routes have none). */
  documentation: { operationId?: string; summary?: string; describes: boolean } | null;
}

export const SESSION_COOKIE = 'tiaki_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes added by well-known plugins (API docs, the web app's files) are public by nature. */
function isPluginRoute(url: string): boolean {
  return url === '/api/docs' || url.startsWith('/api/docs/') || url === '/*' || url === '/';
}

export function installAccessControl(app: FastifyInstance, ctx: AppContext): void {
  app.decorate('declaredRoutes', [] as DeclaredRoute[]);
  app.decorateRequest('auth', null);
  app.decorateRequest('actor', null as unknown as Actor);

  app.addHook('onRoute', (route: RouteOptions) => {
    let access = route.config?.access;
    if (!access && isPluginRoute(route.url)) {
      access = 'public';
      route.config = { ...route.config, access };
    }
    if (!access) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare its access`);
    }
    const schema = route.schema;
    const documentation =
      schema && !schema.hide
        ? {
            ...(schema.operationId ? { operationId: schema.operationId } : {}),
            ...(schema.summary ? { summary: schema.summary } : {}),
            describes: Boolean(schema.description?.trim()),
          }
        : null;
    documentRoute(route, access);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.declaredRoutes.push({
        method,
        url: route.url,
        access,
        // A file upload declares the media types it consumes instead of a JSON body schema.
        hasBodySchema: Boolean(route.schema?.body ?? route.schema?.consumes),
        hasResponseSchema: Boolean(route.schema?.response),
        acceptsApiKeys: route.config?.apiKeys === true,
        documentation,
      });
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    // Unknown routes reach the not-found handler with no config: nothing to check.
    if (request.is404) return;
    const token = request.cookies[SESSION_COOKIE];
    const authorization = request.headers.authorization;
    let expired = false;
    if (!token && authorization) {
      if (!request.routeOptions.config.apiKeys) {
        throw new HttpError(403, 'forbidden', 'API keys cannot be used here.');
      }
      request.auth = await authenticateApiKey(ctx, authorization);
    } else if (token) {
      const lookup = await loadSession(ctx, token);
      if (lookup.status === 'ok') {
        request.auth = lookup.auth;
      } else {
        expired = lookup.status === 'expired';
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    const auth = request.auth;
    request.actor = {
      userId: auth?.userId || null,
      organisationId: auth?.organisation.id ?? null,
      requestId: request.id,
    };

    // CSRF: a state-changing request made with a session must echo the session's token.
    if (auth && !auth.apiKeyId && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, auth.csrfToken)) {
        throw new HttpError(
          403,
          'csrf_failed',
          'This request is missing its security token. Reload the page and try again.',
        );
      }
    }

    if (access === undefined) throw new HttpError(403, 'forbidden', 'You do not have access to this.');
    if (access === 'public') return;
    if (!auth) {
      // Demo mode is no secret, and the sign-in page shows its banner from this.
      const extra = { demoMode: ctx.config.demoMode };
      throw expired
        ? new HttpError(
            401,
            'session_expired',
            'Your session has ended. Please sign in again.',
            undefined,
            extra,
          )
        : new HttpError(401, 'not_signed_in', 'Please sign in.', undefined, extra);
    }
    if (access === 'signing-in') return;
    if (auth.stage !== 'active') {
      throw new HttpError(403, 'sign_in_incomplete', 'Finish signing in first.', undefined, {
        stage: auth.stage,
      });
    }
    if (access === 'signed-in') return;
    if (!auth.permissions.has(access)) {
      throw new HttpError(403, 'forbidden', 'You do not have access to this.');
    }
  });
}

/** The signed-in person, for handlers behind a non-public route. */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new HttpError(401, 'not_signed_in', 'Please sign in.');
  return request.auth;
}
