import { auditEvent, auditVerification } from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';

export interface AuditFilter {
  action?: string;
  actorUserId?: string;
  subjectId?: string;
}

export const AUDIT_PAGE_SIZE = 50;

export const auditApi = {
  list: (filter: AuditFilter, beforeId?: number) =>
    api.get(
      `/api/audit${query({ ...filter, beforeId, limit: AUDIT_PAGE_SIZE })}`,
      listOf('events', auditEvent),
    ),
  verify: () => api.get('/api/audit/verify', auditVerification),
};
