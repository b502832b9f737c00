// Blind indexes and the age band of a child: pure, so the import's worker threads use them too.
import {
  ageBandForAge,
  ageOn,
  blockingKeys,
  normaliseName,
  type ReferralData,
  type Taxonomy,
} from '@tiaki/domain';
import type { KeyRing } from '../../security/keyring.ts';
import type { ChildIdentity } from '../child-record/index.ts';

/** The age band from the best age information given: date of birth, else estimate, else the band chosen. */
export function ageBandOf(
  child: ReferralData['child'],
  concernDate: string,
  taxonomy: Taxonomy,
): string | null {
  const age = child.dateOfBirth ? ageOn(child.dateOfBirth, concernDate) : child.estimatedAge;
  if (age === undefined) return child.ageBand ?? null;
  return ageBandForAge(age, taxonomy)?.code ?? null;
}

/** Keyed blind indexes of every name the child is known by, for exact look-up without decrypting. */
export function nameIndexes(
  keyring: KeyRing,
  child: Pick<ChildIdentity, 'givenNames' | 'familyName' | 'aliases'>,
): string[] {
  const names = [[child.givenNames, child.familyName].filter(Boolean).join(' '), ...child.aliases]
    .map(normaliseName)
    .filter((name) => name.length > 0);
  return [...new Set(names)].map((name) => keyring.blindIndex(name, 'child.name'));
}

/** Keyed blocking keys (sound-alike names, birth dates) for finding candidate duplicates. */
export function blockIndexes(
  keyring: KeyRing,
  child: Pick<ChildIdentity, 'givenNames' | 'familyName' | 'aliases' | 'dateOfBirth'>,
): string[] {
  return blockingKeys(child).map((key) => keyring.blindIndex(key, 'child.block'));
}
