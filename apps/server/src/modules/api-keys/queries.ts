import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ApiKeyTable } from '../../db/schema.ts';

/** An organisation's keys, newest first. */
export function keysOf(db: Db, organisationId: string) {
  return db
    .selectFrom('api_key')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .execute();
}

export function insertKey(db: Db, row: Insertable<ApiKeyTable>) {
  return db.insertInto('api_key').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Revokes a key not yet revoked; undefined if it was revoked already or does not exist. */
export function revokeLiveKey(db: Db, id: string) {
  return db
    .updateTable('api_key')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function keyById(db: Db, id: string) {
  return db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The key with this prefix and its organisation, for checking the secret presented. */
export function keyByPrefix(db: Db, prefix: string) {
  return db
    .selectFrom('api_key as k')
    .innerJoin('organisation as o', 'o.id', 'k.organisation_id')
    .select([
      'k.id',
      'k.secret_hash',
      'k.scopes',
      'k.revoked_at',
      'k.name',
      'o.id as organisationId',
      'o.name as organisationName',
      'o.kind',
    ])
    .where('k.prefix', '=', prefix)
    .executeTakeFirst();
}

export async function markKeyUsed(db: Db, id: string): Promise<void> {
  await db.updateTable('api_key').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}
