import { draft, ok, referralAcknowledgement, referralSummary, type ReferralInput } from '@tiaki/domain';
import { api, listOf, query, type RequestOptions } from '../../api/client.ts';

const draftPath = (id: string) => `/api/referral-drafts/${encodeURIComponent(id)}`;

export interface DraftBody {
  step: number;
  content: Record<string, unknown>;
}

export const referralsApi = {
  /**
   * Sends the referral. `idempotencyKey` is made once per attempt and sent again on a retry, so a
   * retry after a lost answer never records the referral twice.
   */
  submit: (body: ReferralInput, idempotencyKey: string, draftId?: string) =>
    api.post(`/api/referrals${query({ draftId })}`, referralAcknowledgement, body, {
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  /** The acknowledgement of a referral, read again (for example after a reload). */
  acknowledgement: (id: string) =>
    api.get(`/api/referrals/${encodeURIComponent(id)}/acknowledgement`, referralAcknowledgement),
  mine: () => api.get('/api/referrals/mine', listOf('referrals', referralSummary)),
  drafts: () => api.get('/api/referral-drafts', listOf('drafts', draft)),
  createDraft: (body: DraftBody, options?: RequestOptions) =>
    api.post('/api/referral-drafts', draft, body, options),
  saveDraft: (id: string, body: DraftBody & { version: number }, options?: RequestOptions) =>
    api.put(draftPath(id), draft, body, options),
  deleteDraft: (id: string) => api.delete(draftPath(id), ok),
};

/** A random UUID, also where crypto.randomUUID is missing (pages not served over HTTPS). */
export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
