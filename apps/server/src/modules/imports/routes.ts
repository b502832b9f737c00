import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline as pipe, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { apiError } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { HttpError } from '../../http/errors.ts';
import type { ImportFormat } from './rows.ts';
import { importReferrals } from './service.ts';

export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;
const FORMATS: Record<string, ImportFormat> = { 'text/csv': 'csv', 'application/x-ndjson': 'jsonl' };

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Upload folders carry the id of the process that made them. A folder whose process no longer
 * runs was left by a crash (its `finally` never ran); its file is unreadable (the key lived only
 * in the dead process's memory) and is removed when the server starts. Folders of other running
 * servers are left alone.
 */
export function removeAbandonedUploads(importsDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(importsDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith('upload-')) continue;
    const owner = /^upload-(\d+)-/.exec(name)?.[1];
    if (owner !== undefined && (Number(owner) === process.pid || isRunning(Number(owner)))) continue;
    rmSync(join(importsDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * A temporary file holding an upload encrypted (AES-256-GCM) under a key that exists only in this
 * process's memory: a server stopped or killed mid-upload leaves no children's details readable
 * on disk. The whole upload is kept before importing so that a slow sender never holds the
 * import's database transaction open.
 */
export function encryptedUpload(file: string) {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  return {
    /** The stages that write the upload: encrypt, then the file (owner-only). */
    writers: [cipher, createWriteStream(file, { mode: 0o600 })] as const,
    /** Reads the upload back in the clear; a changed file fails at its end, failing the import. */
    open: (): Readable => {
      const decipher = createDecipheriv('aes-256-gcm', key, iv).setAuthTag(cipher.getAuthTag());
      return pipe(createReadStream(file), decipher, () => undefined);
    },
  };
}

/**
 * Upload of an import file. The body is streamed, encrypted, to a private temporary file (deleted
 * at the end, whatever happens); the answer is a stream of JSON lines: progress while it works,
 * then the report. Progress travels on the response itself, so it needs no shared state.
 */
export async function importRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  background?: { hold(): () => void },
): Promise<void> {
  removeAbandonedUploads(join(ctx.config.dataDir, 'imports'));
  await app.register((scope, _options, done) => {
    scope.addContentTypeParser(Object.keys(FORMATS), (_request, payload, next) => {
      next(null, payload);
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.post('/api/imports/referrals', {
      config: { access: 'referrals.import' },
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        operationId: 'importReferrals',
        summary: 'Import referrals from a CSV or JSON Lines file (streams progress, then the report)',
        description:
          'Send the file as the body with Content-Type text/csv or application/x-ndjson. The answer is application/x-ndjson: ' +
          '{"progress":{"phase","done"}} lines, then {"report":{…}}. See docs/import.md for the columns.',
        consumes: Object.keys(FORMATS),
        querystring: z.strictObject({
          mode: z.enum(['all-or-nothing', 'good-rows']).default('all-or-nothing'),
          dryRun: z.enum(['true', 'false']).default('false'),
        }),
        response: {
          // Sent by hand on the hijacked reply (not serialised): described here for clients.
          200: z
            .string()
            .describe(
              'application/x-ndjson: {"progress":{"phase","done"}} lines while it works, then one {"report":{…}} line, or {"error":{"code","message"}} if it failed part-way (nothing imported)',
            ),
          400: apiError,
          401: apiError,
          403: apiError,
        },
      },
      handler: async (request, reply) => {
        const auth = requireAuth(request);
        const format = FORMATS[(request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''];
        if (!format)
          throw new HttpError(415, 'unsupported_media_type', 'Send a text/csv or application/x-ndjson file.');
        const importsDir = join(ctx.config.dataDir, 'imports');
        mkdirSync(importsDir, { recursive: true, mode: 0o700 });
        const dir = mkdtempSync(join(importsDir, `upload-${process.pid}-`));
        const file = join(dir, 'upload.enc');
        const upload = encryptedUpload(file);
        // No background job starts in this process until the report is out (jobs/queue.ts).
        const letGo = background?.hold() ?? (() => undefined);
        try {
          let bytes = 0;
          const limit = new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              bytes += chunk.length;
              callback(
                bytes > IMPORT_MAX_BYTES
                  ? new HttpError(400, 'body_too_large', 'The file is too large.')
                  : null,
                chunk,
              );
            },
          });
          await pipeline(request.body as NodeJS.ReadableStream, limit, ...upload.writers);
          reply.hijack();
          const headers = {
            ...reply.getHeaders(),
            'content-type': 'application/x-ndjson; charset=utf-8',
            'cache-control': 'no-store',
          };
          reply.raw.writeHead(200, headers as Record<string, string>);
          const send = (line: unknown) => reply.raw.write(`${JSON.stringify(line)}\n`);
          try {
            const report = await importReferrals(
              ctx,
              request.actor,
              { organisationId: auth.organisation.id, userId: auth.userId, apiKeyId: null },
              upload.open,
              format,
              {
                mode: request.query.mode,
                dryRun: request.query.dryRun === 'true',
                onProgress: (phase, done) => send({ progress: { phase, done } }),
              },
            );
            send({ report });
          } catch (error) {
            request.log.error({ err: error }, 'import failed');
            send({
              error: {
                code: 'import_failed',
                message: 'The import failed part-way. Nothing was imported. Please try again.',
              },
            });
          }
          reply.raw.end();
        } finally {
          letGo();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    });
    done();
  });
}
