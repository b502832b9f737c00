import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  CaseGoalTable,
  CaseNoteTable,
  CaseRecordTable,
  ConferenceActionTable,
  ConferenceTable,
} from '../../db/schema.ts';
import { userHolds } from '../organisations/index.ts';

/** A case known to exist (it throws otherwise): what changing it needs to know. */
export function caseState(db: Db, caseId: string) {
  return db
    .selectFrom('case_record')
    .select(['id', 'status', 'owner_organisation_id', 'region', 'version'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
}

/** The reference of a case known to exist. */
export async function caseReference(db: Db, caseId: string): Promise<string> {
  const { reference } = await db
    .selectFrom('case_record')
    .select('reference')
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  return reference;
}

export function organisationExists(db: Db, organisationId: string) {
  return db.selectFrom('organisation').select('id').where('id', '=', organisationId).executeTakeFirst();
}

/** An organisation's place on a case team, now or in the past (removed_at set). */
export function teamOrganisation(db: Db, caseId: string, organisationId: string) {
  return db
    .selectFrom('case_organisation')
    .select('removed_at')
    .where('case_id', '=', caseId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** Puts an organisation on a case team (again), under the disclosure that shares the case with it. */
export async function upsertTeamOrganisation(
  db: Db,
  row: { caseId: string; organisationId: string; disclosureId: string; addedByUserId: string },
): Promise<void> {
  await db
    .insertInto('case_organisation')
    .values({
      case_id: row.caseId,
      organisation_id: row.organisationId,
      disclosure_id: row.disclosureId,
      added_by_user_id: row.addedByUserId,
    })
    .onConflict((oc) =>
      oc.columns(['case_id', 'organisation_id']).doUpdateSet({
        removed_at: null,
        disclosure_id: row.disclosureId,
        added_by_user_id: row.addedByUserId,
        added_at: new Date(),
      }),
    )
    .execute();
}

/** Takes a partner organisation (never the owner) off a case team; undefined if it was not on it. */
export function removeTeamOrganisationRow(db: Db, caseId: string, organisationId: string) {
  return db
    .updateTable('case_organisation')
    .set({ removed_at: new Date() })
    .where('case_id', '=', caseId)
    .where('organisation_id', '=', organisationId)
    .where('is_owner', '=', false)
    .where('removed_at', 'is', null)
    .returning('organisation_id')
    .executeTakeFirst();
}

/** Takes an organisation's people off a case team. */
export async function removeOrganisationMembers(
  db: Db,
  caseId: string,
  organisationId: string,
): Promise<void> {
  await db
    .updateTable('case_member')
    .set({ removed_at: new Date() })
    .where('case_id', '=', caseId)
    .where('removed_at', 'is', null)
    .where('user_id', 'in', (eb) =>
      eb.selectFrom('app_user').select('id').where('organisation_id', '=', organisationId),
    )
    .execute();
}

/** An active person whose organisation is on the case team, if they are one. */
export function activeUserOfTeam(db: Db, caseId: string, userId: string) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('case_organisation as co', (join) =>
      join.onRef('co.organisation_id', '=', 'u.organisation_id').on('co.case_id', '=', caseId),
    )
    .select('u.id')
    .where('u.id', '=', userId)
    .where('u.is_active', '=', true)
    .where('co.removed_at', 'is', null)
    .executeTakeFirst();
}

/** Puts a person on a case team (again) in a role. */
export async function upsertTeamMember(
  db: Db,
  row: { caseId: string; userId: string; teamRole: string; addedByUserId: string },
): Promise<void> {
  await db
    .insertInto('case_member')
    .values({
      case_id: row.caseId,
      user_id: row.userId,
      team_role: row.teamRole,
      added_by_user_id: row.addedByUserId,
    })
    .onConflict((oc) =>
      oc.columns(['case_id', 'user_id']).doUpdateSet({ removed_at: null, team_role: row.teamRole }),
    )
    .execute();
}

export async function insertGoal(db: Db, row: Insertable<CaseGoalTable>): Promise<void> {
  await db.insertInto('case_goal').values(row).execute();
}

/** A goal of a case, if it is one of that case's. */
export function goalOfCase(db: Db, caseId: string, goalId: string) {
  return db
    .selectFrom('case_goal')
    .select('id')
    .where('id', '=', goalId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

export async function setGoalStatus(db: Db, goalId: string, status: string): Promise<void> {
  await db.updateTable('case_goal').set({ status }).where('id', '=', goalId).execute();
}

export async function insertNote(db: Db, row: Insertable<CaseNoteTable>): Promise<void> {
  await db.insertInto('case_note').values(row).execute();
}

export async function insertConference(db: Db, row: Insertable<ConferenceTable>): Promise<void> {
  await db.insertInto('conference').values(row).execute();
}

export async function insertConferenceAction(db: Db, row: Insertable<ConferenceActionTable>): Promise<void> {
  await db.insertInto('conference_action').values(row).execute();
}

/** A conference action of a case, if it is one of that case's. */
export function actionOfCase(db: Db, caseId: string, actionId: string) {
  return db
    .selectFrom('conference_action')
    .select('id')
    .where('id', '=', actionId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

export async function updateActionRow(
  db: Db,
  actionId: string,
  changes: Updateable<ConferenceActionTable>,
): Promise<void> {
  await db.updateTable('conference_action').set(changes).where('id', '=', actionId).execute();
}

export async function updateCaseRecord(
  db: Db,
  caseId: string,
  changes: Updateable<CaseRecordTable>,
): Promise<void> {
  await db.updateTable('case_record').set(changes).where('id', '=', caseId).execute();
}

/** Reopens a closed case; undefined if it was not closed. */
export function reopenClosedCase(db: Db, caseId: string) {
  return db
    .updateTable('case_record')
    .set({
      status: 'open',
      closure_reason: null,
      closure_detail_enc: null,
      closed_at: null,
      closed_by_user_id: null,
    })
    .where('id', '=', caseId)
    .where('status', '=', 'closed')
    .returning('id')
    .executeTakeFirst();
}

/** Active people of the case team's organisations who can read cases, by organisation and name. */
export function teamCandidateRows(db: Db, caseId: string) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('case_organisation as co', 'co.organisation_id', 'u.organisation_id')
    .innerJoin('organisation as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.display_name', 'o.id as org_id', 'o.name as org_name', 'o.kind as org_kind'])
    .where('co.case_id', '=', caseId)
    .where('co.removed_at', 'is', null)
    .where('u.is_active', '=', true)
    .where(userHolds('cases.read'))
    .orderBy('o.name')
    .orderBy('u.display_name')
    .execute();
}
