import { organisation, type OrganisationKind } from '@tiaki/domain';
import { api, listOf } from '../../api/client.ts';

export const organisationsApi = {
  list: () => api.get('/api/organisations', listOf('organisations', organisation)),
  create: (body: { kind: OrganisationKind; name: string; regionsServed: string[] }) =>
    api.post('/api/organisations', organisation, body),
  update: (id: string, body: { name?: string; regionsServed?: string[]; version: number }) =>
    api.patch(`/api/organisations/${encodeURIComponent(id)}`, organisation, body),
};
