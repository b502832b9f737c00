import { ApiRequestError, upload } from '../../api/client.ts';

import { ERROR_CODES, type ImportMode, type ImportReport } from '@tiaki/domain';

export type { ImportMode, ImportReport };
export type { ImportRowProblem as ImportProblemRow } from '@tiaki/domain';

export interface ImportProgress {
  phase: 'validating' | 'importing';
  done: number;
}

/** The largest file the server takes (200 MB). */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;

/** The Content-Type for a file name, or null when Tiaki does not import that kind of file. */
export function importContentType(fileName: string): string | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'application/x-ndjson';
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asReport(value: Record<string, unknown>): ImportReport | null {
  const numbers = ['rows', 'valid', 'imported', 'alreadyImported'] as const;
  if (numbers.some((key) => typeof value[key] !== 'number')) return null;
  if (!Array.isArray(value.invalid) || typeof value.message !== 'string') return null;
  return value as unknown as ImportReport;
}

const unexpected = () =>
  new ApiRequestError(200, {
    code: 'unexpected_response',
    message: 'The server sent an answer Tiaki did not understand.',
  });

/** Reads a stream of JSON lines, one parsed value at a time. */
async function* jsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line) as unknown;
        newline = buffer.indexOf('\n');
      }
      if (done) break;
    }
    if (buffer.trim()) yield JSON.parse(buffer) as unknown;
  } finally {
    reader.releaseLock();
  }
}

/**
 * Uploads the file and follows the answer: progress as it comes, then the report. A failure
 * before or during the import is thrown as an ApiRequestError.
 */
export async function importReferrals(
  file: File,
  contentType: string,
  options: { mode: ImportMode; dryRun: boolean; onProgress: (progress: ImportProgress) => void },
): Promise<ImportReport> {
  const search = new URLSearchParams({ mode: options.mode, dryRun: String(options.dryRun) });
  const response = await upload(`/api/imports/referrals?${search.toString()}`, file, contentType, {
    accept: 'application/x-ndjson, application/json',
  });
  if (!response.body) throw unexpected();
  try {
    for await (const line of jsonLines(response.body)) {
      if (!isRecord(line)) continue;
      if (isRecord(line.progress)) {
        const { phase, done } = line.progress;
        if ((phase === 'validating' || phase === 'importing') && typeof done === 'number') {
          options.onProgress({ phase, done });
        }
      } else if (isRecord(line.report)) {
        const report = asReport(line.report);
        if (!report) throw unexpected();
        return report;
      } else if (isRecord(line.error)) {
        const { code, message } = line.error;
        throw new ApiRequestError(200, {
          code: ERROR_CODES.find((known) => known === code) ?? 'unexpected_response',
          message: typeof message === 'string' ? message : '',
        });
      }
    }
  } catch (error) {
    if (error instanceof ApiRequestError) throw error;
    if (error instanceof SyntaxError) throw unexpected();
    throw new ApiRequestError(0, {
      code: 'network_error',
      message: 'The connection to Tiaki was lost during the import. Check the result before trying again.',
    });
  }
  throw unexpected();
}
