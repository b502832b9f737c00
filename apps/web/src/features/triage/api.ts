import {
  attachRequestCreated,
  attachRequestDecided,
  attachRequestItem,
  caseOpened,
  duplicateCandidateList,
  ok,
  pageOf,
  referralDetail,
  referralsAssigned,
  type ScreenOutReason,
  triageItem,
} from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';

const referralPath = (id: string) => `/api/triage/referrals/${encodeURIComponent(id)}`;

export const triageApi = {
  /** One page of the queue, sorted and filtered by the server. */
  queue: (params: Record<string, string | number | undefined> = {}) =>
    api.get(`/api/triage/queue${query(params)}`, pageOf(triageItem)),
  assign: (referralIds: string[], assigneeId: string | null) =>
    api.post('/api/triage/assign', referralsAssigned, { referralIds, assigneeId }),
  /** The referral with the child's identity: every read is audited. */
  referral: (id: string) => api.get(`/api/referrals/${encodeURIComponent(id)}`, referralDetail),
  /** Children already known who may be this referral's child: names are shown, so the read is audited. */
  candidates: (id: string) => api.get(`${referralPath(id)}/candidates`, duplicateCandidateList),
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
  /** A possible match on a case the officer is not on: ask the case's lead to add the referral. */
  requestAttach: (id: string, candidateId: string) =>
    api.post(
      `${referralPath(id)}/candidates/${encodeURIComponent(candidateId)}/attach-request`,
      attachRequestCreated,
      {},
    ),
  /** Requests to add a referral to a case I lead, waiting for my decision (references only). */
  attachRequests: () => api.get('/api/triage/attach-requests', listOf('items', attachRequestItem)),
  /** Approve (the referral joins the case) or reject (not the same child) a request to add a referral. */
  decideAttachRequest: (id: string, decision: 'approve' | 'reject') =>
    api.post(`/api/triage/attach-requests/${encodeURIComponent(id)}/${decision}`, attachRequestDecided, {}),
  screenOut: (id: string, reason: ScreenOutReason, version: number) =>
    api.post(`${referralPath(id)}/screen-out`, ok, { reason, version }),
};
