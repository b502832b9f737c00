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
  const denied = { 401: apiError, 403: apiError };

  r.get('/api/users', {
    config: { access: 'users.read' },
    schema: {
      operationId: 'listUsers',
      summary: 'List user accounts',
      description:
        'Every user account with its organisation, roles, whether it is active and whether an authenticator is enrolled.',
      response: { 200: z.object({ users: z.array(user) }), ...denied },
    },
    handler: async () => ({ users: await users.list(ctx) }),
  });

  r.post('/api/users', {
    config: { access: 'users.manage' },
    schema: {
      operationId: 'createUser',
      summary: 'Create a user account',
      description:
        'Creates an account in an organisation with its roles, and answers with a one-time password shown only once: the person changes it and enrols an authenticator at first sign-in.',
      body: createUserRequest,
      response: { 201: createdUser, 400: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await users.create(ctx, request.actor, request.body)),
  });

  r.patch('/api/users/:id', {
    config: { access: 'users.manage' },
    schema: {
      operationId: 'updateUser',
      summary: 'Change a user: name, roles, active or deactivated',
      description:
        "Changes a person's name or roles, or deactivates or reactivates the account; deactivating ends their sessions. Send the version you read: a stale one is refused with 409.",
      params: idParams,
      body: updateUserRequest,
      response: { 200: user, 400: apiError, 404: apiError, 409: apiError, ...denied },
    },
    handler: (request) => users.update(ctx, request.actor, request.params.id, request.body),
  });

  r.post('/api/users/:id/reset-password', {
    config: { access: 'users.manage' },
    schema: {
      operationId: 'resetUserPassword',
      summary: 'Issue a new one-time password and end the user’s sessions',
      description: "Issues a new one-time password, shown only once, and ends the person's sessions.",
      params: idParams,
      body: emptyBody,
      response: { 200: z.object({ oneTimePassword: z.string() }), 404: apiError, ...denied },
    },
    handler: (request) => users.resetPassword(ctx, request.actor, request.params.id),
  });

  r.post('/api/users/:id/reset-mfa', {
    config: { access: 'users.manage' },
    schema: {
      operationId: 'resetUserMfa',
      summary: 'Remove the user’s authenticator so they enrol again at next sign-in',
      description:
        "Removes the person's authenticator, so they enrol a new one at their next sign-in (for a lost or replaced phone).",
      params: idParams,
      body: emptyBody,
      response: { 200: user, 404: apiError, ...denied },
    },
    handler: (request) => users.resetMfa(ctx, request.actor, request.params.id),
  });
}
