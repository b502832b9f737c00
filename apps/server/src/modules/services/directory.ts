import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  CURRENT_TAXONOMY,
  type NeedType,
  type Service,
  type ServiceQuery,
  type serviceInput,
  type serviceUpdateInput,
  type UnmetNeedReason,
} from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import { claimVersion } from '../../db/versioned.ts';
import { HttpError, notFound } from '../../http/errors.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import type { AuthContext } from '../auth/index.ts';
import { requireAccess } from '../child-record/index.ts';
import {
  caseFacts,
  getService,
  insertService,
  listServices,
  matchingServices,
  organisationExists,
  type ServiceFilter,
  updateServiceRow,
  type ServiceRow,
} from './queries.ts';

/** Presenter: the explicit list of fields a directory entry shows. */
export function presentService(row: ServiceRow): Service {
  return {
    id: row.id,
    provider: { id: row.provider_organisation_id, name: row.provider_name, kind: row.provider_kind },
    name: row.name,
    description: row.description,
    needTypes: row.need_types as Service['needTypes'],
    regions: row.regions,
    minAge: row.min_age,
    maxAge: row.max_age,
    capacity: row.capacity as Service['capacity'],
    contact: row.contact,
    isActive: row.is_active,
    version: row.version,
  };
}

/** Administrators keep every provider's entries; a service provider only its own organisation's. */
function managesAllServices(auth: AuthContext): boolean {
  return auth.permissions.has('services.manage') && auth.roles.includes('administrator');
}

export function mayManageService(auth: AuthContext, providerOrganisationId: string): boolean {
  return (
    auth.permissions.has('services.manage') &&
    (managesAllServices(auth) || auth.organisation.id === providerOrganisationId)
  );
}

/** Inactive entries are seen only by those who manage them. */
function inactiveVisibleTo(auth: AuthContext): ServiceFilter['inactiveVisible'] {
  if (managesAllServices(auth)) return 'all';
  if (auth.permissions.has('services.manage')) return { organisationId: auth.organisation.id };
  return 'none';
}

function visibleTo(auth: AuthContext, row: ServiceRow): boolean {
  return row.is_active || mayManageService(auth, row.provider_organisation_id);
}

const notYours = () =>
  new HttpError(403, 'forbidden', 'A service provider can manage only its own organisation’s services.');

export async function listDirectory(
  ctx: AppContext,
  auth: AuthContext,
  query: ServiceQuery,
): Promise<Service[]> {
  const rows = await listServices(ctx.db, { ...query, inactiveVisible: inactiveVisibleTo(auth) });
  return rows.map(presentService);
}

export async function readService(ctx: AppContext, auth: AuthContext, id: string): Promise<Service> {
  const row = await getService(ctx.db, id);
  if (!row || !visibleTo(auth, row)) throw notFound('The service');
  return presentService(row);
}

export async function createService(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  input: z.output<typeof serviceInput>,
): Promise<Service> {
  if (!mayManageService(auth, input.providerOrganisationId)) throw notYours();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await organisationExists(trx, input.providerOrganisationId))) {
      throw new HttpError(400, 'unknown_organisation', 'The provider organisation does not exist.', [
        { path: 'providerOrganisationId', message: 'No such organisation' },
      ]);
    }
    const id = randomUUID();
    await insertService(trx, {
      id,
      provider_organisation_id: input.providerOrganisationId,
      name: input.name,
      description: input.description,
      need_types: [...new Set(input.needTypes)],
      regions: [...new Set(input.regions)],
      min_age: input.minAge,
      max_age: input.maxAge,
      capacity: input.capacity,
      contact: input.contact,
    });
    await recordAudit(trx, actor, {
      action: 'service.created',
      subjectType: 'service',
      subjectId: id,
      details: {
        providerOrganisationId: input.providerOrganisationId,
        needTypes: input.needTypes,
        regions: input.regions,
        capacity: input.capacity,
      },
    });
    const row = await getService(trx, id);
    if (!row) throw notFound('The service');
    return presentService(row);
  });
}

export async function updateService(
  ctx: AppContext,
  auth: AuthContext,
  actor: Actor,
  id: string,
  input: z.output<typeof serviceUpdateInput>,
): Promise<Service> {
  const existing = await getService(ctx.db, id);
  if (!existing || !visibleTo(auth, existing)) throw notFound('The service');
  if (!mayManageService(auth, existing.provider_organisation_id)) throw notYours();
  return ctx.db.transaction().execute(async (trx) => {
    await claimVersion(trx, 'service', id, input.version, 'The service');
    const current = await getService(trx, id);
    if (!current) throw notFound('The service');
    const minAge = input.minAge ?? current.min_age;
    const maxAge = input.maxAge ?? current.max_age;
    if (minAge > maxAge) {
      throw new HttpError(400, 'validation_failed', 'The age range is not valid.', [
        { path: 'maxAge', message: 'Must not be below the youngest age' },
      ]);
    }
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.needTypes !== undefined ? { need_types: [...new Set(input.needTypes)] } : {}),
      ...(input.regions !== undefined ? { regions: [...new Set(input.regions)] } : {}),
      ...(input.minAge !== undefined ? { min_age: input.minAge } : {}),
      ...(input.maxAge !== undefined ? { max_age: input.maxAge } : {}),
      ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
      ...(input.contact !== undefined ? { contact: input.contact } : {}),
      ...(input.isActive !== undefined ? { is_active: input.isActive } : {}),
    };
    if (Object.keys(changes).length > 0) await updateServiceRow(trx, id, changes);
    await recordAudit(trx, actor, {
      action: 'service.updated',
      subjectType: 'service',
      subjectId: id,
      details: {
        fields: Object.keys(changes),
        ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
        ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
      },
    });
    const row = await getService(trx, id);
    if (!row) throw notFound('The service');
    return presentService(row);
  });
}

/**
 * The ages the child may be, from the coded facts only (never the encrypted date of birth):
 * the age band, narrowed by the birth year when both are known. Null when nothing is known.
 */
export function possibleAges(
  ageBand: string | null,
  birthYear: number | null,
  today: string,
): { min: number; max: number } | null {
  const band = ageBand ? CURRENT_TAXONOMY.ageBands.find((b) => b.code === ageBand) : undefined;
  const fromBand = band ? { min: band.min, max: band.max } : null;
  const age = birthYear ? Number(today.slice(0, 4)) - birthYear : null;
  // Without the birthday, the child is this year's age or one less.
  const fromYear = age !== null ? { min: Math.max(0, age - 1), max: age } : null;
  if (fromBand && fromYear) {
    const both = { min: Math.max(fromBand.min, fromYear.min), max: Math.min(fromBand.max, fromYear.max) };
    return both.min <= both.max ? both : fromYear;
  }
  return fromYear ?? fromBand;
}

/** Which unmet need a needs check reveals, if any. */
export function unmetNeedReasonOf(services: readonly Pick<Service, 'capacity'>[]): UnmetNeedReason | null {
  if (services.length === 0) return 'no_service_in_region';
  // Every match is on a waitlist or full: the child cannot be helped now.
  if (!services.some((s) => s.capacity === 'accepting')) return 'waitlist';
  return null;
}

export const caseClosed = () =>
  new HttpError(409, 'case_closed', 'This case is closed. Reopen it first, then try again.');

/**
 * Services for one of the child's needs in the case's region and for the child's age, accepting
 * first. Looking is not recording: a search writes nothing. `noneAvailable` tells the case team
 * that none can take the child now, so they can record the unmet need themselves.
 */
export async function checkNeeds(
  ctx: AppContext,
  auth: AuthContext,
  caseId: string,
  needType: NeedType,
): Promise<{ services: Service[]; noneAvailable: boolean }> {
  await requireAccess(ctx.db, auth, 'cases.manage', caseId);
  const facts = await caseFacts(ctx.db, caseId);
  if (!facts) throw notFound('The case');
  if (facts.status !== 'open') throw caseClosed();
  const ages = possibleAges(facts.age_band, facts.birth_year, ctx.today());
  const services = (await matchingServices(ctx.db, needType, facts.region, ages)).map(presentService);
  return { services, noneAvailable: unmetNeedReasonOf(services) !== null };
}
