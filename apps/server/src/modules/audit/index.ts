/** The audit log: every action recorded in the transaction that does it, and the chain's check. */
export {
  recordAudit,
  recordAudits,
  SYSTEM_ACTOR,
  verifyAuditChain,
  type Actor,
  type AuditInput,
  type ChainVerification,
} from './service.ts';
