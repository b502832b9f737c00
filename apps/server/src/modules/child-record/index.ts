/**
 * A child's record: who the child is (encrypted), the records about the child that hang off a
 * case, the one access gate that says who may see them, the case timeline and the disclosure log.
 */
export {
  caseAccessFor,
  caseAccessTo,
  referralAccess,
  requireAccess,
  serviceReferralAccess,
  type CaseAccess,
  type CaseNeed,
} from './access.ts';
export { readableCase, referralAccessSql, type ReferralAccess } from './queries.ts';
export { recordDisclosure, type DisclosureInput } from './disclosures.ts';
export { appendCaseEvent } from './events.ts';
export {
  childEncodedContext,
  childIdentityContext,
  decryptIdentity,
  encryptIdentity,
  referralProtectedContext,
  seal,
  unseal,
  type ChildIdentity,
} from './identity.ts';
export {
  organisationsById,
  peopleAndOrganisationsById,
  peopleById,
  refOf,
  unknownOrganisation,
  unknownPerson,
  type OrganisationRef,
  type PersonRef,
} from './lookups.ts';
export {
  CHILD_SUB_RECORD_TABLES,
  CHILD_SUB_RECORDS,
  rowsOfCases,
  type ChildSubRecordTable,
  type EncryptedColumn,
  type PurgeAction,
} from './sub-records.ts';
export { requireWordingSubject } from './wording-subject.ts';
