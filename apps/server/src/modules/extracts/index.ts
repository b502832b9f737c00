/** Research extracts: requests, approvals and the governed files they produce. */
export { EXTRACT_PRODUCE_JOB, expireDueExtracts, produceApprovedExtract } from './service.ts';
