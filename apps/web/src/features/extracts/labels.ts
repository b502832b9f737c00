import type { TFunction } from 'i18next';
import {
  EXTRACT_VARIABLES,
  MAORI_DATA_VARIABLES,
  type ExtractVariable,
  type Permission,
} from '@tiaki/domain';
import { formatDate } from '../../i18n/format.ts';
import type { ApprovalKind, Extract } from './api.ts';

/** Badge colours shared with other workflows: waiting, done, stopped, gone. */
const STATUS_BADGE: Record<Extract['status'], string> = {
  awaiting_approvals: 'badge-decision-pending',
  produced: 'badge-active',
  declined: 'badge-decision-negative',
  expired: 'badge-deactivated',
};

export const statusBadge = (status: Extract['status']) => `badge ${STATUS_BADGE[status]}`;

export const variableName = (t: TFunction, variable: ExtractVariable) =>
  t(`extracts.variables.${variable}.name`);

/** A variable named by the server in a report; shown as it is if this version does not know it. */
export const variableLabel = (t: TFunction, code: string) =>
  (EXTRACT_VARIABLES as readonly string[]).includes(code) ? variableName(t, code as ExtractVariable) : code;

/** A rung of the k-anonymity ladders (docs/extracts.md); the ones other than these read well as they are. */
export function levelName(t: TFunction, level: string): string {
  if (level === 'exact') return t('extracts.levels.exact');
  if (level === 'any') return t('extracts.levels.any');
  return level;
}

export const isMaoriData = (variable: ExtractVariable) => MAORI_DATA_VARIABLES.includes(variable);

export const periodText = (t: TFunction, period: Extract['period']) =>
  t('extracts.periodValue', { from: formatDate(period.from), to: formatDate(period.to) });

/** Approvals the request still needs; none once it is produced, declined or expired. */
export function pendingApprovals(extract: Extract): ApprovalKind[] {
  if (extract.status !== 'awaiting_approvals') return [];
  return extract.approvalsRequired.filter((kind) => !extract.approvals.some((a) => a.kind === kind));
}

const APPROVES: Record<ApprovalKind, Permission> = {
  steward: 'extracts.approve',
  maori: 'extracts.approve_maori',
};

/** The approvals this person may give now. Nobody decides on their own request (the server agrees). */
export function approvalsFor(
  extract: Extract,
  userId: string,
  can: (permission: Permission) => boolean,
): ApprovalKind[] {
  if (extract.requestedBy.id === userId) return [];
  return pendingApprovals(extract).filter((kind) => can(APPROVES[kind]));
}

/** The status in words; while waiting, who it is waiting for. */
export function statusText(t: TFunction, extract: Extract): string {
  const pending = pendingApprovals(extract);
  if (pending.length === 0) return t(`extracts.statuses.${extract.status}`);
  return t(`extracts.waitingFor.${pending.length > 1 ? 'both' : (pending[0] ?? 'steward')}`);
}
