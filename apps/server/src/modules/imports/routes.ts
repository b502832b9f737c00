import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
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

/**
 * Upload of an import file. The body is streamed to a private temporary file (deleted at the
 * end, whatever happens); the answer is a stream of JSON lines: progress while it works, then
 * the report. Progress travels on the response itself, so it needs no shared state.
 */
export async function importRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register((scope, _options, done) => {
    scope.addContentTypeParser(Object.keys(FORMATS), (_request, payload, next) => {
      next(null, payload);
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.post('/api/imports/referrals', {
      config: { access: 'referrals.import' },
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        tags: ['referrals'],
        summary: 'Import referrals from a CSV or JSON Lines file (streams progress, then the report)',
        description:
          'Send the file as the body with Content-Type text/csv or application/x-ndjson. The answer is application/x-ndjson: ' +
          '{"progress":{"phase","done"}} lines, then {"report":{…}}. See docs/import.md for the columns.',
        consumes: Object.keys(FORMATS),
        querystring: z.strictObject({
          mode: z.enum(['all-or-nothing', 'good-rows']).default('all-or-nothing'),
          dryRun: z.enum(['true', 'false']).default('false'),
        }),
        response: { 400: apiError, 401: apiError, 403: apiError },
      },
      handler: async (request, reply) => {
        const auth = requireAuth(request);
        const format = FORMATS[(request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''];
        if (!format)
          throw new HttpError(415, 'unsupported_media_type', 'Send a text/csv or application/x-ndjson file.');
        const importsDir = join(ctx.config.dataDir, 'imports');
        mkdirSync(importsDir, { recursive: true, mode: 0o700 });
        const dir = mkdtempSync(join(importsDir, 'upload-'));
        const file = join(dir, format === 'csv' ? 'upload.csv' : 'upload.jsonl');
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
          await pipeline(
            request.body as NodeJS.ReadableStream,
            limit,
            createWriteStream(file, { mode: 0o600 }),
          );
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
              file,
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
          rmSync(dir, { recursive: true, force: true });
        }
      },
    });
    done();
  });
}
