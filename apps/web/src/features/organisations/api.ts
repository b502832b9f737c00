import {
  apiKey,
  organisation,
  organisationDirectoryEntry,
  type ApiKey,
  type OrganisationKind,
} from '@tiaki/domain';
import { api, listOf, type Schema } from '../../api/client.ts';

const createdKey: Schema<{ apiKey: ApiKey; key: string }> = {
  safeParse(data: unknown) {
    const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const parsed = apiKey.safeParse(record.apiKey);
    if (!parsed.success) return parsed;
    return typeof record.key === 'string'
      ? { success: true, data: { apiKey: parsed.data, key: record.key } }
      : { success: false, error: new Error('Expected key') };
  },
};

const keysPath = (organisationId: string) =>
  `/api/organisations/${encodeURIComponent(organisationId)}/api-keys`;

export const organisationsApi = {
  list: () => api.get('/api/organisations', listOf('organisations', organisation)),
  /** Every organisation by name and kind, for anyone signed in: to choose a team member or attendee. */
  directory: () =>
    api.get('/api/organisations/directory', listOf('organisations', organisationDirectoryEntry)),
  create: (body: { kind: OrganisationKind; name: string; regionsServed: string[] }) =>
    api.post('/api/organisations', organisation, body),
  update: (id: string, body: { name?: string; regionsServed?: string[]; version: number }) =>
    api.patch(`/api/organisations/${encodeURIComponent(id)}`, organisation, body),
};

export const apiKeysApi = {
  list: (organisationId: string) => api.get(keysPath(organisationId), listOf('apiKeys', apiKey)),
  create: (organisationId: string, name: string) =>
    api.post(keysPath(organisationId), createdKey, { name, scopes: ['referrals.create'] }),
  revoke: (id: string) => api.post(`/api/api-keys/${encodeURIComponent(id)}/revoke`, apiKey, {}),
};
