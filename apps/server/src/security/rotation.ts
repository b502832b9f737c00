import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import {
  CHILD_SUB_RECORD_TABLES,
  CHILD_SUB_RECORDS,
  type EncryptedColumn,
} from '../modules/child-record/sub-records.ts';
import type { KeyRing } from './keyring.ts';

/** Columns encrypted with a context of their own (a whole JSON value), not `table.column:id`. */
const WHOLE_VALUE_CONTEXTS: Record<string, (id: string) => string> = {
  'child.identity_enc': (id) => `child.identity:${id}`,
  'child.encoded_enc': (id) => `child.encoded:${id}`,
  'referral.protected_enc': (id) => `referral.protected:${id}`,
  'referral_draft.content_enc': (id) => `referral_draft.content:${id}`,
  'app_user.mfa_secret_enc': (id) => `app_user.mfa_secret:${id}`,
  'app_user.mfa_pending_secret_enc': (id) => `app_user.mfa_secret:${id}:pending`,
};

/** Encrypted columns outside a child's record (accounts, drafts, produced extracts). */
const OTHER_ENCRYPTED_COLUMNS = [
  ['referral_draft', 'content_enc'],
  ['app_user', 'mfa_secret_enc'],
  ['app_user', 'mfa_pending_secret_enc'],
  ['extract_file', 'content_enc'],
  ['privacy_request', 'reason_enc'],
  ['linkage_label', 'vector_enc'],
  ['linkage_model_version', 'model_enc'],
] as const;

/** Columns whose context names another column of the row than its id (the key that finds it). */
const CONTEXT_KEYS: Record<string, string> = {
  // A label is found, and replaced when a decision changes, by a keyed hash of the link.
  'linkage_label.vector_enc': 'pair_key',
};

/**
 * Every application-encrypted column, with the associated data its values are bound to: those of
 * a child's record come from its one declaration (CHILD_SUB_RECORDS), so key rotation cannot
 * leave one behind; a test checks the database has no other `_enc` column.
 */
export const ENCRYPTED_COLUMNS: readonly {
  table: string;
  column: string;
  /** The column of the row the context is made from (its id unless CONTEXT_KEYS says otherwise). */
  contextKey: string;
  context: (id: string) => string;
}[] = [
  ...CHILD_SUB_RECORD_TABLES.flatMap((table) =>
    (CHILD_SUB_RECORDS[table].encrypted as readonly EncryptedColumn[]).map(
      ([column]) => [table, column] as const,
    ),
  ),
  ...OTHER_ENCRYPTED_COLUMNS,
].map(([table, column]) => ({
  table,
  column,
  contextKey: CONTEXT_KEYS[`${table}.${column}`] ?? 'id',
  context: WHOLE_VALUE_CONTEXTS[`${table}.${column}`] ?? ((id: string) => fieldContext(table, column, id)),
}));

/** The encryption context of one free-text column of one row: a value cannot be moved to another. */
export function fieldContext(table: string, column: string, id: string): string {
  return `${table}.${column}:${id}`;
}

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
  for (const { table, column, contextKey, context } of ENCRYPTED_COLUMNS) {
    const name = `${table}.${column}`;
    reencrypted[name] = 0;
    for (;;) {
      const rows = await sql<{ id: string; key: string; value: string }>`
        SELECT id, ${sql.ref(contextKey)} AS key, ${sql.ref(column)} AS value FROM ${sql.table(table)}
        WHERE ${sql.ref(column)} IS NOT NULL AND left(${sql.ref(column)}, ${activePrefix.length}) <> ${activePrefix}
        LIMIT 500`.execute(db);
      if (rows.rows.length === 0) break;
      await db.transaction().execute(async (trx) => {
        for (const row of rows.rows) {
          const fresh = keyring.encrypt(keyring.decrypt(row.value, context(row.key)), context(row.key));
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
