import { extractPage, extractView, ok, type ExtractRequestInput, type ExtractView } from '@tiaki/domain';
import { api, query } from '../../api/client.ts';

export type Extract = ExtractView;
export type ApprovalKind = ExtractView['approvalsRequired'][number];

const path = (id: string) => `/api/extracts/${encodeURIComponent(id)}`;
const created = extractView.pick({ id: true });

export const extractsApi = {
  /** A page of requests (requesters their own, approvers every one), sorted and filtered by the server. */
  list: (params: Record<string, string | number | undefined> = {}) =>
    api.get(`/api/extracts${query(params)}`, extractPage),
  get: (id: string) => api.get(path(id), extractView),
  request: (body: ExtractRequestInput) => api.post('/api/extracts', created, body),
  approve: (id: string, kind: ApprovalKind, note?: string) =>
    api.post(`${path(id)}/${kind === 'steward' ? 'approve' : 'approve-maori'}`, ok, note ? { note } : {}),
  decline: (id: string, reason: string) => api.post(`${path(id)}/decline`, ok, { reason }),
  /** A plain link: the browser downloads the CSV with the session cookie (a GET needs no CSRF token). */
  downloadUrl: (id: string) => `${path(id)}/download`,
};
