import type { z } from 'zod';
import type { Draft, draftInput } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import type { ReferralDraftTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import { notFound, versionConflict } from '../../http/errors.ts';
import type { AuthContext } from '../auth/index.ts';

const draftContext = (id: string) => `referral_draft.content:${id}`;

function present(ctx: AppContext, row: Selectable<ReferralDraftTable>): Draft {
  return {
    id: row.id,
    step: row.step,
    content: JSON.parse(ctx.keyring.decrypt(row.content_enc, draftContext(row.id))) as Record<
      string,
      unknown
    >,
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** A person's own drafts only: drafts are never shared, not even within the organisation. */
export async function listDrafts(ctx: AppContext, auth: AuthContext): Promise<Draft[]> {
  const rows = await ctx.db
    .selectFrom('referral_draft')
    .selectAll()
    .where('user_id', '=', auth.userId)
    .orderBy('updated_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((row) => present(ctx, row));
}

export async function createDraft(
  ctx: AppContext,
  auth: AuthContext,
  input: z.output<typeof draftInput>,
): Promise<Draft> {
  const id = crypto.randomUUID();
  const row = await ctx.db
    .insertInto('referral_draft')
    .values({
      id,
      user_id: auth.userId,
      organisation_id: auth.organisation.id,
      step: input.step,
      content_enc: ctx.keyring.encrypt(JSON.stringify(input.content), draftContext(id)),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(ctx, row);
}

export async function saveDraft(
  ctx: AppContext,
  auth: AuthContext,
  id: string,
  input: z.output<typeof draftInput>,
): Promise<Draft> {
  let query = ctx.db
    .updateTable('referral_draft')
    .set((eb) => ({
      step: input.step,
      content_enc: ctx.keyring.encrypt(JSON.stringify(input.content), draftContext(id)),
      updated_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('user_id', '=', auth.userId);
  if (input.version !== undefined) query = query.where('version', '=', input.version);
  const row = await query.returningAll().executeTakeFirst();
  if (row) return present(ctx, row);
  const current = await ctx.db
    .selectFrom('referral_draft')
    .select('version')
    .where('id', '=', id)
    .where('user_id', '=', auth.userId)
    .executeTakeFirst();
  if (!current) throw notFound('The draft');
  throw versionConflict(current.version);
}

export async function deleteDraft(db: Db, auth: AuthContext, id: string): Promise<void> {
  const result = await db
    .deleteFrom('referral_draft')
    .where('id', '=', id)
    .where('user_id', '=', auth.userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound('The draft');
}
