import type { AppContext } from '../../context.ts';
import { decryptIdentity } from '../child-record/index.ts';
import { childIdentity } from './queries.ts';

/** What someone gave beside a guessable reference: the child's date of birth or family name. */
export interface ChildGiven {
  dateOfBirth?: string | undefined;
  familyName?: string | undefined;
}

/** Names compared as people type them: case, accents' composition and spacing aside. */
const sameName = (a: string, b: string) =>
  a.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-NZ') ===
  b.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-NZ');

/**
 * Whether the child's record holds the date of birth or the family name given (either is
 * enough). A reference alone is guessable (issue 19), so privacy exports and break-glass by
 * reference both ask for one of these; a child with neither in the record never matches.
 */
export async function childMatchesGiven(
  ctx: AppContext,
  childId: string | undefined,
  given: ChildGiven,
): Promise<boolean> {
  const child = childId ? await childIdentity(ctx.db, childId) : undefined;
  if (!child) return false;
  const identity = decryptIdentity(ctx.keyring, child.id, child.identity_enc);
  return (
    (given.dateOfBirth !== undefined && identity.dateOfBirth === given.dateOfBirth) ||
    (given.familyName !== undefined &&
      typeof identity.familyName === 'string' &&
      sameName(identity.familyName, given.familyName))
  );
}

/** The audit details of a miss: which kinds of thing were given, never the reference or a name. */
export const givenKinds = (given: ChildGiven) => ({
  givenDateOfBirth: given.dateOfBirth !== undefined,
  givenFamilyName: given.familyName !== undefined,
});
