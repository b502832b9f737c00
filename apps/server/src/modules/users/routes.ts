import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  createdUser,
  createUserRequest,
  emptyBody,
  idParams,
  updateUserRequest,
  user,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import * as users from './service.ts';

export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['administration'];
  const denied = { 401: apiError, 403: apiError };

  r.get('/api/users', {
    config: { access: 'users.read' },
    schema: {
      tags,
      summary: 'List user accounts',
      response: { 200: z.object({ users: z.array(user) }), ...denied },
    },
    handler: async () => ({ users: await users.list(ctx) }),
  });

  r.post('/api/users', {
    config: { access: 'users.manage' },
    schema: {
      tags,
      summary: 'Create a user account',
      description: 'Returns a one-time password, shown once; the person must change it at first sign-in.',
      body: createUserRequest,
      response: { 201: createdUser, 400: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await users.create(ctx, request.actor, request.body)),
  });

  r.patch('/api/users/:id', {
    config: { access: 'users.manage' },
    schema: {
      tags,
      summary: 'Change a user: name, roles, active or deactivated',
      params: idParams,
      body: updateUserRequest,
      response: { 200: user, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) => users.update(ctx, request.actor, request.params.id, request.body),
  });

  r.post('/api/users/:id/reset-password', {
    config: { access: 'users.manage' },
    schema: {
      tags,
      summary: 'Issue a new one-time password and end the user’s sessions',
      params: idParams,
      body: emptyBody,
      response: { 200: z.object({ oneTimePassword: z.string() }), 404: apiError, ...denied },
    },
    handler: (request) => users.resetPassword(ctx, request.actor, request.params.id),
  });

  r.post('/api/users/:id/reset-mfa', {
    config: { access: 'users.manage' },
    schema: {
      tags,
      summary: 'Remove the user’s authenticator so they enrol again at next sign-in',
      params: idParams,
      body: emptyBody,
      response: { 200: user, 404: apiError, ...denied },
    },
    handler: (request) => users.resetMfa(ctx, request.actor, request.params.id),
  });
}
