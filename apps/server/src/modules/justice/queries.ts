import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ChargeTable } from '../../db/schema.ts';

const CHARGE_COLUMNS = [
  'id',
  'case_id',
  'provision',
  'manifestation',
  'laid_on',
  'outcome',
  'outcome_on',
  'note_enc',
  'created_at',
  'version',
] as const;

/** The charges laid on a case, oldest first (the order they were laid). */
export async function chargesOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('charge')
    .select(CHARGE_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('laid_on')
    .orderBy('created_at')
    .execute();
}

/** One charge of a case, or undefined (a charge of another case is not found). */
export async function chargeOfCase(db: Db, caseId: string, chargeId: string) {
  return db
    .selectFrom('charge')
    .select(CHARGE_COLUMNS)
    .where('case_id', '=', caseId)
    .where('id', '=', chargeId)
    .executeTakeFirst();
}

export async function insertCharge(db: Db, row: Insertable<ChargeTable>): Promise<void> {
  await db.insertInto('charge').values(row).execute();
}

export async function updateChargeRow(db: Db, id: string, changes: Updateable<ChargeTable>): Promise<void> {
  await db.updateTable('charge').set(changes).where('id', '=', id).execute();
}
