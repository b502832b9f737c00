/** The audit log: every action recorded in the transaction that does it, and the chain's check. */
export {
  recordAudit,
  recordAudits,
  SYSTEM_ACTOR,
  unsealedTail,
  verifyAuditChain,
  type Actor,
  type AuditInput,
  type ChainVerification,
} from './service.ts';
export { AuditSealer, sealAudit, type SealResult } from './sealer.ts';
export {
  CheckpointError,
  readCheckpoint,
  type AuditCheckpoint,
  type CheckpointTarget,
} from './checkpoint.ts';
