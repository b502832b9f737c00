import {
  caseOpened,
  duplicateCandidate,
  ok,
  referralDetail,
  referralsAssigned,
  type ScreenOutReason,
  triageItem,
  type TriageQueueQuery,
} from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';

const referralPath = (id: string) => `/api/triage/referrals/${encodeURIComponent(id)}`;

export const triageApi = {
  queue: (filter: TriageQueueQuery = {}) =>
    api.get(`/api/triage/queue${query({ ...filter })}`, listOf('referrals', triageItem)),
  assign: (referralIds: string[], assigneeId: string | null) =>
    api.post('/api/triage/assign', referralsAssigned, { referralIds, assigneeId }),
  /** The referral with the child's identity: every read is audited. */
  referral: (id: string) => api.get(`/api/referrals/${encodeURIComponent(id)}`, referralDetail),
  /** Children already known who may be this referral's child: names are shown, so the read is audited. */
  candidates: (id: string) =>
    api.get(`${referralPath(id)}/candidates`, listOf('candidates', duplicateCandidate)),
  openCase: (id: string, version: number, caseworkerId?: string) =>
    api.post(`${referralPath(id)}/open-case`, caseOpened, {
      version,
      ...(caseworkerId ? { caseworkerId } : {}),
    }),
  attach: (id: string, caseId: string, version: number) =>
    api.post(`${referralPath(id)}/attach`, caseOpened, { caseId, version }),
  /** "Not the same child": the case is no longer suggested for this referral. Recorded, and reversible. */
  rejectCandidate: (id: string, caseId: string, reason?: string) =>
    api.post(`${referralPath(id)}/candidates/reject`, ok, { caseId, ...(reason ? { reason } : {}) }),
  screenOut: (id: string, reason: ScreenOutReason, version: number) =>
    api.post(`${referralPath(id)}/screen-out`, ok, { reason, version }),
};
