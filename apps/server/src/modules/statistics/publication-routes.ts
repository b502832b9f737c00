import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiError,
  bulletinDownloadQuery,
  bulletinQuery,
  opscDownloadQuery,
  opscQuery,
  publicationView,
  type PublicationView,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { requireAuth } from '../../http/access.ts';
import { HttpError } from '../../http/errors.ts';
import { htmlToPdf } from './pdf.ts';
import {
  lastCompleteQuarter,
  opscPack,
  publicationTables,
  quarterlyBulletin,
  type Publication,
} from './publications.ts';
import { csvFileName, publicationCsv, publicationHtml } from './render.ts';

const FILE_ERRORS = { 400: apiError, 401: apiError, 403: apiError, 404: apiError, 503: apiError };

/** Sends one file of a publication: the HTML page, its PDF, or one table as CSV. */
async function sendFile(
  ctx: AppContext,
  reply: FastifyReply,
  publication: Publication,
  format: 'html' | 'pdf' | 'csv',
  table: string | undefined,
) {
  const base = `tiaki-${publication.kind}-${publication.id}`;
  const attach = (name: string, type: string, body: string | Buffer) =>
    reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(body);
  if (format === 'html')
    return attach(`${base}.html`, 'text/html; charset=utf-8', publicationHtml(publication));
  if (format === 'pdf') {
    return attach(
      `${base}.pdf`,
      'application/pdf',
      await htmlToPdf(publicationHtml(publication), ctx.config.chromiumPath),
    );
  }
  const tables = publicationTables(publication);
  const index = tables.findIndex((t) => t.name === table);
  const entry = tables[index];
  if (!entry) {
    throw new HttpError(
      404,
      'not_found',
      table
        ? `This publication has no table "${table}".`
        : 'Say which table: add table=NAME (the names are in the publication).',
    );
  }
  return attach(csvFileName(entry, index + 1), 'text/csv; charset=utf-8', publicationCsv(entry));
}

// The disclosure package's readonly table shapes, as the schema describes them.
const asView = (publication: Publication) => publication as unknown as PublicationView;

/** The quarterly bulletin and the OPSC / CRC reporting pack: published numbers only, for analysts. */
export function publicationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const bulletin = (quarter: string | undefined) =>
    quarterlyBulletin(ctx, quarter ?? lastCompleteQuarter(ctx.today()));

  r.get('/api/statistics/publications/bulletin', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getQuarterlyBulletin',
      summary: 'The quarterly bulletin (UK NRM-style breakdowns), every number rounded and suppressed',
      description:
        'The quarterly bulletin for a quarter (the last complete one by default): breakdowns in the style of the UK National Referral Mechanism statistics, every number randomly rounded and small cells suppressed.',
      querystring: bulletinQuery,
      response: { 200: publicationView, 400: apiError, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      requireAuth(request);
      return asView(await bulletin(request.query.quarter));
    },
  });

  r.get('/api/statistics/publications/bulletin/download', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'downloadQuarterlyBulletin',
      summary: 'The quarterly bulletin as an HTML page, a PDF, or one table as CSV',
      description:
        'The quarterly bulletin as a file: a self-contained HTML page, a PDF (when Chromium is installed; 503 otherwise), or one of its tables as CSV (table=NAME).',
      querystring: bulletinDownloadQuery,
      response: { 200: z.any().describe('The file'), ...FILE_ERRORS },
    },
    handler: async (request, reply) => {
      requireAuth(request);
      const { quarter, format, table } = request.query;
      return sendFile(ctx, reply, await bulletin(quarter), format, table);
    },
  });

  r.get('/api/statistics/publications/opsc', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'getOpscReport',
      summary: 'The OPSC / CRC reporting pack for a period: the tables the UN Committee asks for',
      description:
        'The reporting pack for a period for the UN Committee on the Rights of the Child under the Optional Protocol on the sale of children, child prostitution and child pornography (OPSC), every number rounded and suppressed.',
      querystring: opscQuery,
      response: { 200: publicationView, 400: apiError, 401: apiError, 403: apiError },
    },
    handler: async (request) => {
      requireAuth(request);
      return asView(await opscPack(ctx, request.query));
    },
  });

  r.get('/api/statistics/publications/opsc/download', {
    config: { access: 'statistics.read' },
    schema: {
      operationId: 'downloadOpscReport',
      summary: 'The OPSC / CRC reporting pack as an HTML page, a PDF, or one table as CSV',
      description:
        'The OPSC / CRC reporting pack as a file: a self-contained HTML page, a PDF (when Chromium is installed; 503 otherwise), or one of its tables as CSV (table=NAME).',
      querystring: opscDownloadQuery,
      response: { 200: z.any().describe('The file'), ...FILE_ERRORS },
    },
    handler: async (request, reply) => {
      requireAuth(request);
      const { from, to, format, table } = request.query;
      return sendFile(ctx, reply, await opscPack(ctx, { from, to }), format, table);
    },
  });
}
