import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  createdUser,
  createUserRequest,
  decidedPrivilegedRequest,
  emptyBody,
  idParams,
  privilegedRequest,
  updateUserRequest,
  user,
  userListQuery,
  userPage,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import * as requests from './requests.ts';
import * as users from './service.ts';

export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const denied = { 401: apiError, 403: apiError };

  r.get('/api/users', {
    config: { access: 'users.read' },
    schema: {
      operationId: 'listUsers',
      summary: 'List user accounts, a page at a time',
      description:
        'User accounts with their organisation, roles, whether they are active and whether an authenticator is enrolled, a page at a time, sorted and filtered by the server (part of a name or email, organisation, role, state).',
      querystring: userListQuery,
      response: { 200: userPage, 400: apiError, ...denied },
    },
    handler: async (request) => users.list(ctx, request.query),
  });

  r.post('/api/users', {
    config: { access: 'users.manage' },
    schema: {
      operationId: 'createUser',
      summary: 'Create a user account',
      description:
        'Creates an account in an organisation, and answers with a one-time password shown only once: the person changes it and enrols an authenticator at first sign-in. Roles one administrator may grant alone (frontline, analyst) are given at once; every other role (it reaches children, or approves, or administers) is a request a second administrator approves (`pendingRequest`), and the account has it only then.',
      body: createUserRequest,
      response: { 201: createdUser, 400: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await users.createByAdministrator(ctx, request.actor, request.body)),
  });

  r.patch('/api/users/:id', {
    config: { access: 'users.manage' },
    schema: {
      operationId: 'updateUser',
      summary: 'Change a user: name, roles, active or deactivated',
      description:
        "Changes a person's name or roles, or deactivates or reactivates the account; deactivating ends their sessions. Removing a role is immediate; adding one other than frontline or analyst opens a request a second administrator approves (shown in `pendingRequests`), and 409 `already_requested` if one is already waiting. Send the version you read: a stale one is refused with 409.",
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
      summary: 'Ask for a new one-time password for a user (a second administrator approves)',
      description:
        "Opens a request to issue a new one-time password and end the person's sessions. Nothing changes until a second administrator approves it; the approver is shown the password once. 409 `already_requested` if one is already waiting.",
      params: idParams,
      body: emptyBody,
      response: { 202: privilegedRequest, 404: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply
        .status(202)
        .send(await users.requestReset(ctx, request.actor, request.params.id, 'reset_password')),
  });

  r.post('/api/users/:id/reset-mfa', {
    config: { access: 'users.manage' },
    schema: {
      operationId: 'resetUserMfa',
      summary: 'Ask to remove a user’s authenticator (a second administrator approves)',
      description:
        "Opens a request to remove the person's authenticator, so they enrol a new one at their next sign-in (for a lost or replaced phone). Nothing changes until a second administrator approves it. 409 `already_requested` if one is already waiting.",
      params: idParams,
      body: emptyBody,
      response: { 202: privilegedRequest, 404: apiError, 409: apiError, ...denied },
    },
    handler: async (request, reply) =>
      reply.status(202).send(await users.requestReset(ctx, request.actor, request.params.id, 'reset_mfa')),
  });

  r.get('/api/privileged-requests', {
    config: { access: 'users.read' },
    schema: {
      operationId: 'listPrivilegedRequests',
      summary: 'Privileged changes waiting for a second administrator, and recent decisions',
      description:
        'Requests to grant a role that reaches children (or approves, or administers), or to reset a password or authenticator: pending ones first, then the 200 most recently decided. A pending request past its time is marked expired (audited) before the list is answered.',
      response: { 200: z.object({ requests: z.array(privilegedRequest) }), ...denied },
    },
    handler: async () => ({ requests: await requests.listRequests(ctx) }),
  });

  for (const outcome of ['approve', 'reject'] as const) {
    r.post(`/api/privileged-requests/:id/${outcome}`, {
      config: { access: 'users.manage' },
      schema: {
        operationId: outcome === 'approve' ? 'approvePrivilegedRequest' : 'rejectPrivilegedRequest',
        summary:
          outcome === 'approve'
            ? 'Approve another administrator’s privileged change: it takes effect now'
            : 'Reject another administrator’s privileged change: nothing changes',
        description:
          (outcome === 'approve'
            ? 'Approves a pending request and makes the change (roles added, password reset — the one-time password is shown once, to you — or authenticator removed). '
            : 'Rejects a pending request; nothing changes. ') +
          'Audited. 403 `own_request` for a request you made or one about your own account; 409 `already_decided`, or `request_expired` for a request past its time.',
        params: idParams,
        body: emptyBody,
        response: { 200: decidedPrivilegedRequest, 404: apiError, 409: apiError, ...denied },
      },
      handler: (request) =>
        requests.decide(
          ctx,
          request.actor,
          request.params.id,
          outcome === 'approve' ? 'approved' : 'rejected',
        ),
    });
  }
}
