import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { CURRENT_TAXONOMY, type ShareableField } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { Schema } from '../../db/schema.ts';
import { seal } from './identity.ts';
import { recordAudit, type Actor } from '../audit/index.ts';
import { appendCaseEvent } from './events.ts';
import { insertDisclosure } from './queries.ts';

export interface DisclosureInput {
  caseId: string;
  fromOrganisationId: string;
  toOrganisationId: string;
  lawfulBasis: string;
  purpose: string;
  fields: readonly ShareableField[];
  childConsulted: string;
  childView?: string | undefined;
}

/**
 * Records one sharing of a child's information with another organisation (DOMAIN.md §4): the
 * lawful basis, purpose, fields, whether the child was consulted, and the OT Act s66 marker
 * when the basis forbids using the information to investigate an offence.
 */
export async function recordDisclosure(
  ctx: AppContext,
  trx: Transaction<Schema>,
  actor: Actor,
  input: DisclosureInput,
): Promise<string> {
  const id = randomUUID();
  const basis = CURRENT_TAXONOMY.lawfulBases.find((b) => b.code === input.lawfulBasis);
  await insertDisclosure(trx, {
    id,
    case_id: input.caseId,
    from_organisation_id: input.fromOrganisationId,
    to_organisation_id: input.toOrganisationId,
    lawful_basis: input.lawfulBasis,
    purpose_enc: seal(ctx.keyring, 'disclosure', 'purpose_enc', id, input.purpose),
    fields: [...input.fields],
    child_consulted: input.childConsulted,
    child_view_enc: input.childView
      ? seal(ctx.keyring, 'disclosure', 'child_view_enc', id, input.childView)
      : null,
    not_for_offence_investigation: basis?.notForOffenceInvestigation === true,
    made_by_user_id: actor.userId,
  });
  await appendCaseEvent(trx, actor, input.caseId, 'disclosure.made', id, {
    toOrganisationId: input.toOrganisationId,
    lawfulBasis: input.lawfulBasis,
    fields: input.fields,
  });
  await recordAudit(trx, actor, {
    action: 'disclosure.made',
    subjectType: 'case',
    subjectId: input.caseId,
    details: {
      disclosureId: id,
      toOrganisationId: input.toOrganisationId,
      lawfulBasis: input.lawfulBasis,
      fields: input.fields,
    },
  });
  return id;
}
