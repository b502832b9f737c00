import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { KeyRing } from './keyring.ts';

/**
 * Every application-encrypted column, with the associated data its values are bound to.
 * A new encrypted column must be added here, or key rotation will leave it behind.
 */
export const ENCRYPTED_COLUMNS = [
  { table: 'child', column: 'identity_enc', context: (id: string) => `child.identity:${id}` },
  { table: 'child', column: 'encoded_enc', context: (id: string) => `child.encoded:${id}` },
  { table: 'referral', column: 'protected_enc', context: (id: string) => `referral.protected:${id}` },
  { table: 'referral_draft', column: 'content_enc', context: (id: string) => `referral_draft.content:${id}` },
  { table: 'app_user', column: 'mfa_secret_enc', context: (id: string) => `app_user.mfa_secret:${id}` },
  {
    table: 'app_user',
    column: 'mfa_pending_secret_enc',
    context: (id: string) => `app_user.mfa_secret:${id}:pending`,
  },
  ...[
    ['case_record', 'closure_detail_enc'],
    ['disclosure', 'purpose_enc'],
    ['disclosure', 'child_view_enc'],
    ['decision', 'grounds_enc'],
    ['decision', 'rationale_enc'],
    ['decision', 'evidence_enc'],
    ['panel_member', 'comment_enc'],
    ['case_goal', 'description_enc'],
    ['case_note', 'body_enc'],
    ['conference', 'decisions_enc'],
    ['conference_action', 'description_enc'],
    ['service_referral', 'needs_summary_enc'],
    ['service_referral', 'decline_detail_enc'],
    ['service_referral', 'outcome_enc'],
    ['service_referral_note', 'body_enc'],
    ['break_glass', 'reason_enc'],
    ['break_glass', 'review_note_enc'],
    ['child_link', 'reason_enc'],
    ['case_merge', 'reason_enc'],
    ['case_merge', 'unmerge_reason_enc'],
    ['extract_file', 'content_enc'],
  ].map(([table = '', column = '']) => ({
    table,
    column,
    context: (id: string) => fieldContext(table, column, id),
  })),
] as const;

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
