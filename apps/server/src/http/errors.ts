import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiError, ErrorCode } from '@tiaki/domain';
import { RowNotFoundError, VersionConflictError } from '../db/errors.ts';

/** An error a handler throws on purpose: it becomes a 4xx with this code and message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: ApiError['fields'],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what = 'That record') =>
  new HttpError(404, 'not_found', `${what} was not found, or you do not have access to it.`);

export const versionConflict = (currentVersion: number) =>
  new HttpError(
    409,
    'version_conflict',
    'Someone else changed this since you opened it. Reload to see their changes, then try again.',
    undefined,
    { currentVersion },
  );

/** The answer for an error raised on purpose, by a handler or by the data layer; otherwise undefined. */
export function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof RowNotFoundError) return notFound(error.what);
  if (error instanceof VersionConflictError) return versionConflict(error.currentVersion);
  return undefined;
}

const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_json', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'malformed_json', message: 'The request body is empty.' },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'body_too_large',
    message: 'The request body is larger than this endpoint accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'bad_content_length',
    message: 'The Content-Length header does not match the body.',
  },
};

/**
 * Where the NUL character (U+0000) appears in what was sent: PostgreSQL text cannot hold it, so
 * it would fail in the database (a 5xx) rather than as bad input. Walks without recursion, so a
 * deeply nested body cannot exhaust the stack; streams (file uploads) are not looked into.
 */
export function nulPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, path] = next;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) found.push(path);
    } else if (item && typeof item === 'object') {
      if (ArrayBuffer.isView(item) || typeof (item as { pipe?: unknown }).pipe === 'function') continue;
      for (const [key, child] of Object.entries(item)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) found.push(at);
        stack.push([child, at]);
      }
    }
  }
  return found;
}

/** Deeper than any form or draft Tiaki takes; deep enough that nothing legitimate comes near it. */
export const MAX_BODY_DEPTH = 64;

/**
 * Whether what was sent nests objects and arrays deeper than `limit`. A body nested thousands of
 * levels deep parses, but recursion over it later (serialising, validating) exhausts the stack: a
 * 5xx rather than a refusal. Walks without recursion; streams are not looked into.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (!item || typeof item !== 'object') continue;
    if (ArrayBuffer.isView(item) || typeof (item as { pipe?: unknown }).pipe === 'function') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * One shape for every failure: { code, message, fields?, requestId }. Never a stack trace;
 * a 5xx says only that something went wrong and gives the request id for support.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    if (nestedDeeperThan(request.body, MAX_BODY_DEPTH)) {
      done(
        new HttpError(
          400,
          'too_deeply_nested',
          `The request body nests objects or lists more than ${MAX_BODY_DEPTH} levels deep, which nothing here accepts.`,
        ),
      );
      return;
    }
    for (const [part, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const paths = nulPaths(value);
      if (paths.length === 0) continue;
      done(
        new HttpError(
          400,
          'validation_failed',
          part === 'body'
            ? 'Some of the information sent is not valid. Check the fields listed.'
            : `The request ${part} is not valid.`,
          paths.map((path) => ({
            path: (path || part).replaceAll('\u0000', '\\0'),
            message: 'Must not contain the NUL character',
          })),
        ),
      );
      return;
    }
    done();
  });
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const requestId = request.id;
    const intended = asHttpError(error);
    if (intended) {
      return reply.status(intended.statusCode).send({
        code: intended.code,
        message: intended.message,
        ...(intended.fields ? { fields: intended.fields } : {}),
        ...intended.extra,
        requestId,
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext ?? 'body';
      const fields = error.validation.map((issue) => {
        const path = issue.instancePath.split('/').filter(Boolean).join('.');
        const keys = (issue.params as { keys?: unknown }).keys;
        if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
          const names = keys.map(String);
          return {
            path: [path, ...names].filter(Boolean).join('.'),
            message: `Unknown field${names.length > 1 ? 's' : ''}: ${names.join(', ')}`,
          };
        }
        return { path: path || part, message: issue.message ?? 'Invalid value' };
      });
      return reply.status(400).send({
        code: 'validation_failed',
        message:
          part === 'body'
            ? 'Some of the information sent is not valid. Check the fields listed.'
            : `The request ${part} is not valid.`,
        fields,
        requestId,
      });
    }
    const known = FASTIFY_CODES[error.code];
    if (known)
      return reply
        .status(error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : 400)
        .send({ ...known, requestId });
    if (isResponseSerializationError(error)) {
      request.log.error({ err: { message: error.message } }, 'response did not match its schema');
    } else if (error.statusCode && error.statusCode < 500) {
      return reply.status(error.statusCode).send({
        code: 'bad_request',
        message: 'The request could not be understood.',
        requestId,
      });
    } else {
      request.log.error({ err: error }, 'unhandled error');
    }
    return reply.status(500).send({
      code: 'internal_error',
      message: 'Something went wrong on our side. Nothing was saved. Please try again.',
      requestId,
    });
  });
}
