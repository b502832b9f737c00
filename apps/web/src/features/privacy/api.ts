import { breakGlassEntry, ok } from '@tiaki/domain';
import { api, listOf, query, upload } from '../../api/client.ts';

export const privacyApi = {
  breakGlass: (pending: boolean) =>
    api.get(`/api/break-glass${query({ pending: String(pending) })}`, listOf('entries', breakGlassEntry)),
  review: (id: string, outcome: 'justified' | 'not_justified', note?: string) =>
    api.post(`/api/break-glass/${encodeURIComponent(id)}/review`, ok, { outcome, ...(note ? { note } : {}) }),
};

/** A file the browser should save: its contents and the name the server gave it. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

const FILENAME = /filename="([^"]+)"/;

/**
 * Privacy Act 2020, IPP 6: everything Tiaki holds about the child behind a referral or case
 * reference, as one HTML page. The server names the file by an id, never by the child.
 */
export async function exportPrivacyRequest(reference: string): Promise<DownloadedFile> {
  const body = new Blob([JSON.stringify({ reference })], { type: 'application/json' });
  const response = await upload('/api/privacy-requests', body, 'application/json', { accept: 'text/html' });
  const filename =
    FILENAME.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'privacy-request.html';
  return { blob: await response.blob(), filename };
}
