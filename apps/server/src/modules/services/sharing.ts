import type { ShareableField, SharedChild } from '@tiaki/domain';
import type { ChildIdentity } from '../child-record/index.ts';

/** The child's coded facts, stored in the clear for rules and statistics. */
export interface ChildFacts {
  ageBand: string | null;
  gender: string | null;
  ethnicities: string[];
  iwi: string[];
}

/** Shareable fields held in the encrypted identity: only these make us decrypt it. */
const IDENTITY_FIELDS: readonly ShareableField[] = ['name', 'date_of_birth', 'languages', 'current_location'];

export function needsIdentity(fields: readonly ShareableField[]): boolean {
  return fields.some((field) => IDENTITY_FIELDS.includes(field));
}

/**
 * The child as shared under the recorded lawful basis: a key is present only when its field
 * was chosen, so a field not shared never reaches the response, not even as null.
 */
export function sharedChildOf(
  fields: readonly ShareableField[],
  facts: ChildFacts,
  identity: ChildIdentity | null,
  needsSummary: string | null,
): SharedChild {
  const child: SharedChild = {};
  for (const field of fields) {
    switch (field) {
      case 'name':
        child.givenNames = identity?.givenNames ?? null;
        child.familyName = identity?.familyName ?? null;
        break;
      case 'date_of_birth':
        child.dateOfBirth = identity?.dateOfBirth ?? null;
        break;
      case 'age_band':
        child.ageBand = facts.ageBand;
        break;
      case 'gender':
        child.gender = facts.gender;
        break;
      case 'ethnicity_and_iwi':
        child.ethnicities = [...facts.ethnicities];
        child.iwi = [...facts.iwi];
        break;
      case 'languages':
        child.languages = [...(identity?.languages ?? [])];
        break;
      case 'current_location':
        child.currentLocation = identity?.currentLocation ?? null;
        break;
      case 'needs_summary':
        child.needsSummary = needsSummary;
        break;
    }
  }
  return child;
}
