import type { z } from 'zod';
import type { Draft, draftInput } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import type { ReferralDraftTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import { notFound, versionConflict } from '../../http/errors.ts';
import type { AuthContext } from '../auth/index.ts';
import { deleteOwnDraft, draftsOf, draftVersion, insertDraft, updateDraft } from './queries.ts';

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
  const rows = await draftsOf(ctx.db, auth.userId);
  return rows.map((row) => present(ctx, row));
}

export async function createDraft(
  ctx: AppContext,
  auth: AuthContext,
  input: z.output<typeof draftInput>,
): Promise<Draft> {
  const id = crypto.randomUUID();
  const row = await insertDraft(ctx.db, {
    id,
    user_id: auth.userId,
    organisation_id: auth.organisation.id,
    step: input.step,
    content_enc: ctx.keyring.encrypt(JSON.stringify(input.content), draftContext(id)),
  });
  return present(ctx, row);
}

export async function saveDraft(
  ctx: AppContext,
  auth: AuthContext,
  id: string,
  input: z.output<typeof draftInput>,
): Promise<Draft> {
  const row = await updateDraft(ctx.db, auth.userId, id, {
    step: input.step,
    content_enc: ctx.keyring.encrypt(JSON.stringify(input.content), draftContext(id)),
    version: input.version,
  });
  if (row) return present(ctx, row);
  const current = await draftVersion(ctx.db, auth.userId, id);
  if (!current) throw notFound('The draft');
  throw versionConflict(current.version);
}

export async function deleteDraft(db: Db, auth: AuthContext, id: string): Promise<void> {
  if (!(await deleteOwnDraft(db, auth.userId, id))) throw notFound('The draft');
}
