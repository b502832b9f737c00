import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { canonicalJson } from '../security/canonical-json.ts';
import { HttpError } from './errors.ts';

export interface Outcome<T> {
  statusCode: number;
  body: T;
  replayed: boolean;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * Idempotency-Key: the first request with a key does the work and stores its answer in the same
 * transaction; a retry with the same key and body gets that answer again and changes nothing. A
 * concurrent retry waits on the key's row until the first commits. The same key with a different
 * body is refused.
 */
export async function idempotent<T>(
  trx: Transaction<Schema>,
  organisationId: string,
  key: string | undefined,
  requestBody: unknown,
  work: () => Promise<{ statusCode: number; body: T }>,
): Promise<Outcome<T>> {
  if (key === undefined) return { ...(await work()), replayed: false };
  if (!KEY_PATTERN.test(key)) {
    throw new HttpError(
      400,
      'bad_idempotency_key',
      'Idempotency-Key must be 1 to 200 visible ASCII characters.',
      [{ path: 'Idempotency-Key', message: '1 to 200 visible ASCII characters' }],
    );
  }
  const requestHash = createHash('sha256').update(canonicalJson(requestBody)).digest('hex');
  const claimed = await trx
    .insertInto('idempotency_key')
    .values({
      organisation_id: organisationId,
      key,
      request_hash: requestHash,
      status_code: 0,
      response: '{}',
    })
    .onConflict((oc) => oc.columns(['organisation_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!claimed) {
    const stored = await trx
      .selectFrom('idempotency_key')
      .select(['request_hash', 'status_code', 'response'])
      .where('organisation_id', '=', organisationId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (stored.request_hash !== requestHash) {
      throw new HttpError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request. Use a new key for a new referral.',
      );
    }
    return { statusCode: stored.status_code, body: stored.response as T, replayed: true };
  }
  const result = await work();
  await trx
    .updateTable('idempotency_key')
    .set({ status_code: result.statusCode, response: JSON.stringify(result.body) })
    .where('organisation_id', '=', organisationId)
    .where('key', '=', key)
    .execute();
  return { ...result, replayed: false };
}
