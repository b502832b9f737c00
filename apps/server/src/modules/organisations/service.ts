import type { z } from 'zod';
import type { createOrganisationRequest, Organisation, updateOrganisationRequest } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import {
  getOrganisation,
  insertOrganisation,
  listOrganisations,
  organisationNameTaken,
  updateOrganisationRow,
  type OrganisationRow,
} from './queries.ts';

/** Presenter: the explicit list of fields an organisation shows. */
export function presentOrganisation(row: OrganisationRow): Organisation {
  return {
    id: row.id,
    kind: row.kind as Organisation['kind'],
    name: row.name,
    regionsServed: row.regions_served,
    isDemo: row.is_demo,
    createdAt: row.created_at.toISOString(),
    version: row.version,
  };
}

const nameTaken = () =>
  new HttpError(409, 'name_taken', 'An organisation with this name already exists.', [
    { path: 'name', message: 'Already in use' },
  ]);

export async function list(ctx: AppContext): Promise<Organisation[]> {
  return (await listOrganisations(ctx.db)).map(presentOrganisation);
}

export async function create(
  ctx: AppContext,
  actor: Actor,
  input: z.output<typeof createOrganisationRequest>,
  options: { isDemo?: boolean } = {},
): Promise<Organisation> {
  return ctx.db.transaction().execute(async (trx) => {
    if (await organisationNameTaken(trx, input.name)) throw nameTaken();
    const id = await insertOrganisation(trx, {
      kind: input.kind,
      name: input.name,
      regions_served: input.regionsServed,
      is_demo: options.isDemo ?? false,
    });
    await recordAudit(trx, actor, {
      action: 'organisation.created',
      subjectType: 'organisation',
      subjectId: id,
      details: { kind: input.kind, regionsServed: input.regionsServed },
    });
    const row = await getOrganisation(trx, id);
    if (!row) throw notFound('The organisation');
    return presentOrganisation(row);
  });
}

export async function update(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.output<typeof updateOrganisationRequest>,
): Promise<Organisation> {
  return ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'organisation', id, input.version, 'The organisation');
    if (input.name !== undefined && (await organisationNameTaken(trx, input.name, id))) throw nameTaken();
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.regionsServed !== undefined ? { regions_served: input.regionsServed } : {}),
    };
    if (Object.keys(changes).length > 0) {
      await updateOrganisationRow(trx, id, changes);
    }
    await recordAudit(trx, actor, {
      action: 'organisation.updated',
      subjectType: 'organisation',
      subjectId: id,
      details: { fields: Object.keys(changes) },
    });
    const row = await getOrganisation(trx, id);
    if (!row) throw notFound('The organisation');
    return presentOrganisation(row);
  });
}
