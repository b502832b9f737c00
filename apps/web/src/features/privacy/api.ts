import { breakGlassEntry, ok, privacyRequest } from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';

export const privacyApi = {
  breakGlass: (pending: boolean) =>
    api.get(`/api/break-glass${query({ pending: String(pending) })}`, listOf('entries', breakGlassEntry)),
  review: (id: string, outcome: 'justified' | 'not_justified', note?: string) =>
    api.post(`/api/break-glass/${encodeURIComponent(id)}/review`, ok, { outcome, ...(note ? { note } : {}) }),
  /**
   * Privacy Act 2020, IPP 6: asks for everything Tiaki holds about the child behind a referral or
   * case reference. A second privacy officer or an auditor approves it before the file exists.
   */
  ask: (body: { reference: string; dateOfBirth?: string; familyName?: string; reason: string }) =>
    api.post('/api/privacy-requests', privacyRequest, body),
  requests: () => api.get('/api/privacy-requests', listOf('requests', privacyRequest)),
  decide: (id: string, outcome: 'approve' | 'reject') =>
    api.post(`/api/privacy-requests/${encodeURIComponent(id)}/${outcome}`, privacyRequest, {}),
  /** A plain link: the browser saves the HTML page with the session cookie (a GET needs no CSRF token). */
  fileUrl: (id: string) => `/api/privacy-requests/${encodeURIComponent(id)}/file`,
};
