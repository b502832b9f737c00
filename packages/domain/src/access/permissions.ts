import type { Role } from './roles.ts';

/**
 * Every capability a route can require. A route declares exactly one; a role grants a set.
 * Deny by default: a permission no role lists is granted to nobody.
 */
export const PERMISSIONS = [
  'organisations.read',
  'organisations.manage',
  'users.read',
  'users.manage',
  'audit.read',
  'audit.verify',
  'referrals.create',
  'referrals.read_own',
  'referrals.triage',
  'referrals.import',
  'api_keys.manage',
  'cases.read',
  'cases.manage',
  'cases.oversee',
  'decisions.make',
  'cases.break_glass',
  'break_glass.review',
  'services.manage',
  'service_referrals.respond',
  'statistics.read',
  'statistics.exact',
  'statistics.manage',
  'statistics.iwi_govern',
  'extracts.request',
  'extracts.approve',
  'extracts.approve_maori',
  'exports.htcds',
  'privacy.export',
  'privacy.approve',
  'linkage.model',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  frontline: ['referrals.create', 'referrals.read_own', 'referrals.import'],
  triage: ['referrals.create', 'referrals.read_own', 'referrals.triage', 'cases.read'],
  decision_maker: ['referrals.triage', 'cases.read', 'decisions.make'],
  caseworker: ['referrals.create', 'referrals.read_own', 'cases.read', 'cases.manage'],
  // No blanket decision-making: a supervisor changes only the cases they are on; they read (oversight,
  // read-only) the cases their organisation leads or is on, and others only by break-glass, which
  // is reviewed.
  supervisor: ['referrals.triage', 'cases.read', 'cases.manage', 'cases.oversee', 'cases.break_glass'],
  service_provider: ['service_referrals.respond', 'services.manage'],
  analyst: ['statistics.read', 'extracts.request'],
  // Inside the system, authorised staff may see exact numbers; published outputs never.
  // The de-identified HTCDS export is theirs too; an export with identity stays a CLI task.
  data_steward: [
    'statistics.read',
    'statistics.exact',
    'statistics.manage',
    'extracts.approve',
    'exports.htcds',
    // Re-estimates the matching model from triage reviews, puts a version in use, goes back.
    'linkage.model',
  ],
  // The Māori data governance group approves extracts and analyses by Māori or iwi (DOMAIN.md §8),
  // and decides who may see iwi-level statistics (statistics.iwi_govern).
  maori_data_governance: ['statistics.read', 'extracts.approve_maori', 'statistics.iwi_govern'],
  // Answers Privacy Act 2020 IPP 6 requests: everything held about one child, audited.
  // A second privacy officer, or an auditor, approves each export before it can be downloaded.
  privacy_officer: ['audit.read', 'break_glass.review', 'privacy.export', 'privacy.approve'],
  auditor: ['audit.read', 'audit.verify', 'privacy.approve'],
  administrator: [
    'organisations.read',
    'organisations.manage',
    'users.read',
    'users.manage',
    'api_keys.manage',
    'services.manage',
  ],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}
