import {
  createdUser,
  decidedPrivilegedRequest,
  privilegedRequest,
  user,
  userPage,
  type Role,
} from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';

const path = (id: string) => `/api/users/${encodeURIComponent(id)}`;

export const usersApi = {
  /** A page of accounts, sorted and filtered by the server. */
  list: (params: Record<string, string | number | undefined> = {}) =>
    api.get(`/api/users${query(params)}`, userPage),
  create: (body: { email: string; displayName: string; organisationId: string; roles: Role[] }) =>
    api.post('/api/users', createdUser, body),
  update: (id: string, body: { displayName?: string; roles?: Role[]; isActive?: boolean; version: number }) =>
    api.patch(path(id), user, body),
  /** Both are requests: a second administrator approves them (the two-person rule). */
  resetPassword: (id: string) => api.post(`${path(id)}/reset-password`, privilegedRequest, {}),
  resetMfa: (id: string) => api.post(`${path(id)}/reset-mfa`, privilegedRequest, {}),
  requests: () => api.get('/api/privileged-requests', listOf('requests', privilegedRequest)),
  decide: (id: string, outcome: 'approve' | 'reject') =>
    api.post(`/api/privileged-requests/${encodeURIComponent(id)}/${outcome}`, decidedPrivilegedRequest, {}),
};
