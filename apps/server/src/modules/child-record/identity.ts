import type { KeyRing } from '../../security/keyring.ts';
import { fieldContext } from '../../security/rotation.ts';

/** Who the child is: the part of a child's record that is encrypted as one value. */
export interface ChildIdentity {
  givenNames?: string | undefined;
  familyName?: string | undefined;
  aliases: string[];
  dateOfBirth?: string | undefined;
  currentLocation?: string | undefined;
  languages: string[];
}

/** Encryption contexts: each value is bound to its row, so it cannot be moved to another. */
export const childIdentityContext = (childId: string) => `child.identity:${childId}`;
export const childEncodedContext = (childId: string) => `child.encoded:${childId}`;
export const referralProtectedContext = (referralId: string) => `referral.protected:${referralId}`;

/** Encrypts a child's identity for `child.identity_enc`. */
export function encryptIdentity(keyring: KeyRing, childId: string, identity: ChildIdentity): string {
  return keyring.encrypt(JSON.stringify(identity), childIdentityContext(childId));
}

/** Decrypts a child's identity (names, date of birth, whereabouts). Callers audit the read. */
export function decryptIdentity(
  keyring: KeyRing,
  childId: string,
  identityEnc: string | null,
): ChildIdentity {
  if (!identityEnc) return { aliases: [], languages: [] };
  return JSON.parse(keyring.decrypt(identityEnc, childIdentityContext(childId))) as ChildIdentity;
}

/** Seals one free-text field of one row (see ENCRYPTED_COLUMNS for rotation). */
export function seal(keyring: KeyRing, table: string, column: string, id: string, value: string): string {
  return keyring.encrypt(value, fieldContext(table, column, id));
}

export function unseal(keyring: KeyRing, table: string, column: string, id: string, value: string): string;
export function unseal(
  keyring: KeyRing,
  table: string,
  column: string,
  id: string,
  value: string | null,
): string | null;
export function unseal(
  keyring: KeyRing,
  table: string,
  column: string,
  id: string,
  value: string | null,
): string | null {
  return value === null ? null : keyring.decrypt(value, fieldContext(table, column, id));
}
