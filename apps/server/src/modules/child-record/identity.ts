import type { KeyRing } from '../../security/keyring.ts';
import { fieldContext } from '../../security/rotation.ts';
import type { CHILD_SUB_RECORDS } from './sub-records.ts';

type Declared = typeof CHILD_SUB_RECORDS;
/** Columns encrypted as one whole value with a context of their own (encryptIdentity and the like). */
type WholeValueColumn = 'identity_enc' | 'encoded_enc' | 'protected_enc';
/** Tables with free-text columns sealed one field at a time: a child's record, and produced extracts. */
export type SealedTable = keyof Declared | 'extract_file';
/** The free-text columns of a table, as declared: sealing anything else does not compile. */
export type SealedColumn<T extends SealedTable> = T extends keyof Declared
  ? Exclude<Declared[T]['encrypted'][number][0], WholeValueColumn>
  : 'content_enc';

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
export function seal<T extends SealedTable>(
  keyring: KeyRing,
  table: T,
  column: SealedColumn<T>,
  id: string,
  value: string,
): string {
  return keyring.encrypt(value, fieldContext(table, column, id));
}

export function unseal<T extends SealedTable>(
  keyring: KeyRing,
  table: T,
  column: SealedColumn<T>,
  id: string,
  value: string,
): string;
export function unseal<T extends SealedTable>(
  keyring: KeyRing,
  table: T,
  column: SealedColumn<T>,
  id: string,
  value: string | null,
): string | null;
export function unseal<T extends SealedTable>(
  keyring: KeyRing,
  table: T,
  column: SealedColumn<T>,
  id: string,
  value: string | null,
): string | null {
  return value === null ? null : keyring.decrypt(value, fieldContext(table, column, id));
}
