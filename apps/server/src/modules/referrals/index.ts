/** Referrals: recording a concern about a child, and reading it back with need to know. */
export { insertReferrals, type NewReferral, type Submitter } from './service.ts';
export { REINDEX_NAMES_JOB, reindexChildNames } from './reindex.ts';
export { ageBandOf, blockIndexes, nameIndexes } from './identity-indexes.ts';
