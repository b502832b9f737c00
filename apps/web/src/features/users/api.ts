import { createdUser, user, type Role } from '@tiaki/domain';
import { api, listOf, type Schema } from '../../api/client.ts';

const oneTimePassword: Schema<{ oneTimePassword: string }> = {
  safeParse(data: unknown) {
    const value =
      typeof data === 'object' && data !== null ? (data as Record<string, unknown>).oneTimePassword : null;
    return typeof value === 'string'
      ? { success: true, data: { oneTimePassword: value } }
      : { success: false, error: new Error('Expected oneTimePassword') };
  },
};

const path = (id: string) => `/api/users/${encodeURIComponent(id)}`;

export const usersApi = {
  list: () => api.get('/api/users', listOf('users', user)),
  create: (body: { email: string; displayName: string; organisationId: string; roles: Role[] }) =>
    api.post('/api/users', createdUser, body),
  update: (id: string, body: { displayName?: string; roles?: Role[]; isActive?: boolean; version: number }) =>
    api.patch(path(id), user, body),
  resetPassword: (id: string) => api.post(`${path(id)}/reset-password`, oneTimePassword, {}),
  resetMfa: (id: string) => api.post(`${path(id)}/reset-mfa`, user, {}),
};
