import { auditEvent, auditVerification } from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';

export interface AuditFilter {
  action?: string;
  /** Part of the name of the person who acted. */
  actor?: string;
  subjectId?: string;
  /** First New Zealand day included (YYYY-MM-DD). */
  from?: string;
  /** Last New Zealand day included. */
  to?: string;
}

export const AUDIT_PAGE_SIZE = 50;

export const auditApi = {
  list: (filter: AuditFilter, beforeId?: number) =>
    api.get(
      `/api/audit${query({ ...filter, beforeId, limit: AUDIT_PAGE_SIZE })}`,
      listOf('events', auditEvent),
    ),
  /** A plain link: the browser downloads the CSV with the session cookie (a GET needs no CSRF token). */
  exportUrl: (filter: AuditFilter) => `/api/audit/export${query({ ...filter })}`,
  verify: () => api.get('/api/audit/verify', auditVerification),
};
