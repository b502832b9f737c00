import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { KeyRing } from './keyring.ts';

/**
 * Every application-encrypted column, with the associated data its values are bound to.
 * A new encrypted column must be added here, or key rotation will leave it behind.
 */
export const ENCRYPTED_COLUMNS = [
  { table: 'child', column: 'identity_enc', context: (id: string) => `child.identity:${id}` },
  { table: 'referral', column: 'protected_enc', context: (id: string) => `referral.protected:${id}` },
  { table: 'referral_draft', column: 'content_enc', context: (id: string) => `referral_draft.content:${id}` },
  { table: 'app_user', column: 'mfa_secret_enc', context: (id: string) => `app_user.mfa_secret:${id}` },
  {
    table: 'app_user',
    column: 'mfa_pending_secret_enc',
    context: (id: string) => `app_user.mfa_secret:${id}:pending`,
  },
] as const;

export interface RotationReport {
  activeKeyId: string;
  reencrypted: Record<string, number>;
}

/**
 * Re-encrypts every value not yet under the active (first) key, in batches, each batch in its
 * own transaction. Safe to stop and run again: it only touches values under older keys.
 */
export async function rotateKeys(
  db: Db,
  keyring: KeyRing,
  onProgress?: (column: string, done: number) => void,
): Promise<RotationReport> {
  const reencrypted: Record<string, number> = {};
  const activePrefix = `v1.${keyring.activeKeyId}.`;
  for (const { table, column, context } of ENCRYPTED_COLUMNS) {
    const name = `${table}.${column}`;
    reencrypted[name] = 0;
    for (;;) {
      const rows = await sql<{ id: string; value: string }>`
        SELECT id, ${sql.ref(column)} AS value FROM ${sql.table(table)}
        WHERE ${sql.ref(column)} IS NOT NULL AND left(${sql.ref(column)}, ${activePrefix.length}) <> ${activePrefix}
        LIMIT 500`.execute(db);
      if (rows.rows.length === 0) break;
      await db.transaction().execute(async (trx) => {
        for (const row of rows.rows) {
          const fresh = keyring.encrypt(keyring.decrypt(row.value, context(row.id)), context(row.id));
          await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${fresh} WHERE id = ${row.id}`.execute(
            trx,
          );
        }
      });
      reencrypted[name] += rows.rows.length;
      onProgress?.(name, reencrypted[name]);
    }
  }
  return { activeKeyId: keyring.activeKeyId, reencrypted };
}
