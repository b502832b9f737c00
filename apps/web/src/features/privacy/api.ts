import { breakGlassEntry, ok } from '@tiaki/domain';
import { api, listOf, query } from '../../api/client.ts';

export const privacyApi = {
  breakGlass: (pending: boolean) =>
    api.get(`/api/break-glass${query({ pending: String(pending) })}`, listOf('entries', breakGlassEntry)),
  review: (id: string, outcome: 'justified' | 'not_justified', note?: string) =>
    api.post(`/api/break-glass/${encodeURIComponent(id)}/review`, ok, { outcome, ...(note ? { note } : {}) }),
};
