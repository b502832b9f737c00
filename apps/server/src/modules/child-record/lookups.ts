import type { OrganisationRef, PersonRef } from './queries.ts';

export {
  organisationsById,
  peopleAndOrganisationsById,
  peopleById,
  type OrganisationRef,
  type PersonRef,
} from './queries.ts';

/** A lookup that never fails: a deleted user shows as unknown rather than breaking a page. */
export function refOf<T extends { id: string }>(
  map: Map<string, T>,
  id: string | null,
  fallback: (id: string) => T,
): T | null {
  if (!id) return null;
  return map.get(id) ?? fallback(id);
}

export const unknownPerson = (id: string): PersonRef => ({ id, displayName: 'Unknown user' });
export const unknownOrganisation = (id: string): OrganisationRef => ({
  id,
  name: 'Unknown organisation',
  kind: 'other',
});
