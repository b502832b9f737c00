import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { DRIVERS, TEST_ACTOR } from '../../../test/harness.ts';
import { caseWorldFor } from '../../../test/cases.ts';
import { ENCRYPTED_COLUMNS, fieldContext } from '../../security/rotation.ts';
import { exportChild } from '../privacy/service.ts';
import { retentionPolicy } from '../retention/policy.ts';
import { retentionPurge } from '../retention/service.ts';
import {
  CHILD_SUB_RECORD_TABLES,
  CHILD_SUB_RECORDS,
  rowsOfCases,
  type ChildSubRecordTable,
} from './sub-records.ts';

/** Tables that refer to a child or a case but are not part of a child's record, and why. */
const NOT_CHILD_DATA: Record<string, string> = {
  attach_request:
    "a triage officer's request that a case's lead add a referral to the case (who asked, who decided): triage work, not the child's record; removed with the referral or the case",
  privacy_request:
    "a privacy officer's request for the child's file (who asked, why, who approved): the officer's work, not the child's record; removed with the child",
};

describe.each(DRIVERS)("a child's record on %s", (driver) => {
  const suite = caseWorldFor(driver, { TIAKI_TODAY: '2026-07-03' });

  it('declares every table that refers to a child or a case, and every encrypted column', async () => {
    const keys = await sql<{ from_table: string; to_table: string }>`
      SELECT c.conrelid::regclass::text AS from_table, c.confrelid::regclass::text AS to_table
      FROM pg_constraint c WHERE c.contype = 'f'`.execute(suite.ctx.db);
    // Every table that reaches a child or a case through its foreign keys holds part of the record.
    const reached = new Set(['child', 'case_record']);
    for (let grew = true; grew;) {
      grew = false;
      for (const { from_table, to_table } of keys.rows)
        if (reached.has(to_table) && !reached.has(from_table)) {
          reached.add(from_table);
          grew = true;
        }
    }
    const declared = new Set<string>(CHILD_SUB_RECORD_TABLES);
    const undeclared = [...reached].filter((t) => !declared.has(t) && !(t in NOT_CHILD_DATA));
    expect(undeclared, 'tables holding child data missing from CHILD_SUB_RECORDS').toEqual([]);

    const columns = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name LIKE '%\\_enc'`.execute(suite.ctx.db);
    const tables = new Set(
      (
        await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables
          WHERE table_schema = current_schema()`.execute(suite.ctx.db)
      ).rows.map((r) => r.table_name),
    );
    expect(
      CHILD_SUB_RECORD_TABLES.filter((t) => !tables.has(t)),
      'declared tables that do not exist',
    ).toEqual([]);
    const rotated = new Set(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`));
    const inDatabase = columns.rows.map((c) => `${c.table_name}.${c.column_name}`);
    expect(
      inDatabase.filter((c) => !rotated.has(c)),
      'encrypted columns key rotation would leave behind',
    ).toEqual([]);
    expect(
      [...rotated].filter((c) => !inDatabase.includes(c)),
      'declared columns that do not exist',
    ).toEqual([]);
  });

  it('lets the retention purge reach every table of a closed case: free text deleted or sealed as removed', async () => {
    const caseworker = await suite.world.caseworker();
    const supervisor = await suite.world.supervisor();
    const other = await suite.world.openCase({ concern: { date: '2026-07-01', region: '09' } });
    const opened = await suite.world.openCase({ concern: { date: '2026-07-01', region: '09' } });
    const caseId = opened.caseId;
    const lead = await suite.world.organisation('lead', 'lead_agency');
    const provider = await suite.world.organisation('provider', 'ngo');
    const secret = (table: string, column: string, id: string) =>
      suite.ctx.keyring.encrypt(`SECRET ${table}.${column}`, fieldContext(table, column, id));

    // A row in every table of the record: what the workflow writes, in the shape it writes it.
    const id = () => randomUUID();
    const [decision] = (
      await sql<{ id: string }>`SELECT id FROM decision WHERE case_id = ${caseId}`.execute(suite.ctx.db)
    ).rows;
    const rows = {
      charge: id(),
      panel_member: id(),
      disclosure: id(),
      case_goal: id(),
      case_note: id(),
      conference: id(),
      conference_action: id(),
      service: id(),
      service_referral: id(),
      service_referral_note: id(),
      break_glass: id(),
      child_link: id(),
      case_merge: id(),
    };
    const children = (
      await sql<{
        child_id: string;
      }>`SELECT child_id FROM case_record WHERE id IN (${caseId}, ${other.caseId})
        ORDER BY id = ${caseId} DESC`.execute(suite.ctx.db)
    ).rows.map((r) => r.child_id);
    await sql`UPDATE decision SET grounds_enc = ${secret('decision', 'grounds_enc', decision!.id)},
      rationale_enc = ${secret('decision', 'rationale_enc', decision!.id)},
      evidence_enc = ${secret('decision', 'evidence_enc', decision!.id)} WHERE id = ${decision!.id}`.execute(
      suite.ctx.db,
    );
    await sql`INSERT INTO panel_member (id, decision_id, user_id, organisation_id, comment_enc)
      VALUES (${rows.panel_member}, ${decision!.id}, ${caseworker.user.id}, ${lead},
              ${secret('panel_member', 'comment_enc', rows.panel_member)})`.execute(suite.ctx.db);
    await sql`INSERT INTO disclosure (id, case_id, from_organisation_id, to_organisation_id, lawful_basis,
        purpose_enc, fields, child_consulted, child_view_enc, not_for_offence_investigation)
      VALUES (${rows.disclosure}, ${caseId}, ${lead}, ${provider}, 'ota_66c_ot_services',
        ${secret('disclosure', 'purpose_enc', rows.disclosure)}, '{age_band}', 'yes',
        ${secret('disclosure', 'child_view_enc', rows.disclosure)}, false)`.execute(suite.ctx.db);
    await sql`INSERT INTO case_goal (id, case_id, description_enc)
      VALUES (${rows.case_goal}, ${caseId}, ${secret('case_goal', 'description_enc', rows.case_goal)})`.execute(
      suite.ctx.db,
    );
    await sql`INSERT INTO case_note (id, case_id, organisation_id, body_enc)
      VALUES (${rows.case_note}, ${caseId}, ${lead}, ${secret('case_note', 'body_enc', rows.case_note)})`.execute(
      suite.ctx.db,
    );
    await sql`INSERT INTO conference (id, case_id, held_on, attendees, decisions_enc)
      VALUES (${rows.conference}, ${caseId}, '2026-07-02', '[]',
        ${secret('conference', 'decisions_enc', rows.conference)})`.execute(suite.ctx.db);
    await sql`INSERT INTO conference_action (id, conference_id, case_id, description_enc, owner_organisation_id, due_on)
      VALUES (${rows.conference_action}, ${rows.conference}, ${caseId},
        ${secret('conference_action', 'description_enc', rows.conference_action)}, ${lead}, '2026-07-10')`.execute(
      suite.ctx.db,
    );
    await sql`INSERT INTO service (id, provider_organisation_id, name, need_types, regions)
      VALUES (${rows.service}, ${provider}, 'Synthetic safe house', '{safe_accommodation}', '{09}')`.execute(
      suite.ctx.db,
    );
    await sql`INSERT INTO service_referral (id, case_id, service_id, provider_organisation_id, need_type, shared_fields,
        respond_by, created_by_organisation_id, needs_summary_enc, decline_detail_enc, outcome_enc)
      VALUES (${rows.service_referral}, ${caseId}, ${rows.service}, ${provider}, 'safe_accommodation', '{}',
        '2026-07-05', ${lead}, ${secret('service_referral', 'needs_summary_enc', rows.service_referral)},
        ${secret('service_referral', 'decline_detail_enc', rows.service_referral)},
        ${secret('service_referral', 'outcome_enc', rows.service_referral)})`.execute(suite.ctx.db);
    await sql`INSERT INTO service_referral_event (service_referral_id, to_status)
      VALUES (${rows.service_referral}, 'sent')`.execute(suite.ctx.db);
    await sql`INSERT INTO service_referral_note (id, service_referral_id, organisation_id, body_enc)
      VALUES (${rows.service_referral_note}, ${rows.service_referral}, ${provider},
        ${secret('service_referral_note', 'body_enc', rows.service_referral_note)})`.execute(suite.ctx.db);
    await sql`INSERT INTO unmet_need (case_id, need_type, region, reason)
      VALUES (${caseId}, 'safe_accommodation', '09', 'no_capacity')`.execute(suite.ctx.db);
    await sql`INSERT INTO charge (id, case_id, provision, manifestation, laid_on, note_enc)
      VALUES (${rows.charge}, ${caseId}, 'crimes_98d', 'trafficking_sexual_purposes', '2026-07-01',
        ${secret('charge', 'note_enc', rows.charge)})`.execute(suite.ctx.db);
    await sql`INSERT INTO break_glass (id, case_id, user_id, organisation_id, reason_enc, review_note_enc, expires_at)
      VALUES (${rows.break_glass}, ${caseId}, ${supervisor.user.id}, ${lead},
        ${secret('break_glass', 'reason_enc', rows.break_glass)},
        ${secret('break_glass', 'review_note_enc', rows.break_glass)}, now())`.execute(suite.ctx.db);
    await sql`INSERT INTO child_link (id, child_id, candidate_child_id, probability, explanation, model, reason_enc)
      VALUES (${rows.child_link}, ${children[0]}, ${children[1]}, 0.9, '{}', 'test',
        ${secret('child_link', 'reason_enc', rows.child_link)})`.execute(suite.ctx.db);
    await sql`INSERT INTO case_merge (id, kept_case_id, merged_case_id, child_ids, referral_ids, reason_enc,
        unmerge_reason_enc)
      VALUES (${rows.case_merge}, ${caseId}, ${other.caseId}, '{}', '{}',
        ${secret('case_merge', 'reason_enc', rows.case_merge)},
        ${secret('case_merge', 'unmerge_reason_enc', rows.case_merge)})`.execute(suite.ctx.db);
    await sql`UPDATE case_record SET status = 'closed', closure_reason = 'needs_met',
        closure_detail_enc = ${secret('case_record', 'closure_detail_enc', caseId)},
        closed_at = now() - make_interval(days => ${retentionPolicy({}).closed_cases + 1})
      WHERE id = ${caseId}`.execute(suite.ctx.db);

    /** Every encrypted value of the case's rows, table by table, as plain text. */
    const readRecord = async () => {
      const record = new Map<ChildSubRecordTable, { rows: number; values: Map<string, string> }>();
      for (const table of CHILD_SUB_RECORD_TABLES) {
        const found = await sql<Record<string, string | null>>`SELECT * FROM ${sql.table(table)} AS t
          WHERE ${rowsOfCases(table, [caseId])}`.execute(suite.ctx.db);
        const values = new Map<string, string>();
        for (const row of found.rows)
          for (const { table: t, column, context } of ENCRYPTED_COLUMNS) {
            const value = t === table ? row[column] : null;
            if (value && row.id)
              values.set(`${column}:${row.id}`, suite.ctx.keyring.decrypt(value, context(row.id)));
          }
        record.set(table, { rows: found.rows.length, values });
      }
      return record;
    };
    const before = await readRecord();
    const empty = [...before].filter(([, r]) => r.rows === 0).map(([table]) => table);
    expect(empty, 'tables the test left without a row of the case').toEqual([]);

    // The child's IPP 6 file holds every table of the record: each free text written above is in it.
    const file = await exportChild(suite.ctx, TEST_ACTOR, opened.reference);
    for (const [table, { values }] of before)
      for (const text of values.values())
        if (text.startsWith('SECRET')) expect(file.html, `${table} in the privacy file`).toContain(text);
    for (const section of [
      'Organisations on the case team',
      'What happened, in order (the case timeline)',
      'Steps of service referrals',
      'Needs no service could meet',
      'Possible matches with other records of children',
    ])
      expect(file.counts[section], section).toBeGreaterThan(0);

    const report = await retentionPurge(suite.ctx, TEST_ACTOR, retentionPolicy({}));
    expect(report.kinds.find((k) => k.kind === 'closed_cases')?.count).toBe(1);

    const after = await readRecord();
    for (const table of CHILD_SUB_RECORD_TABLES) {
      const spec = CHILD_SUB_RECORDS[table];
      const was = before.get(table)!;
      const now = after.get(table)!;
      if (spec.purge === 'delete') expect(now.rows, `${table}: rows left`).toBe(0);
      else expect(now.rows, `${table}: rows kept for statistics`).toBe(was.rows);
      for (const [key, text] of now.values) {
        expect(text, `${table}.${key} still holds what was written`).not.toBe(was.values.get(key));
        expect(text, `${table}.${key}`).not.toContain('SECRET');
      }
    }
    // The other case, not yet due, keeps its record.
    const kept = await sql<{ n: number }>`SELECT count(*)::int AS n FROM child
      WHERE id = ${children[1]} AND identity_enc IS NOT NULL`.execute(suite.ctx.db);
    expect(kept.rows[0]?.n).toBe(1);
  });
});
