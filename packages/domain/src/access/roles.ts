/** The roles a Tiaki user can hold (DESIGN.md, "Who uses it"). A user may hold several. */
export const ROLES = [
  'frontline',
  'triage',
  'decision_maker',
  'caseworker',
  'supervisor',
  'service_provider',
  'analyst',
  'data_steward',
  'maori_data_governance',
  'privacy_officer',
  'auditor',
  'administrator',
] as const;

export type Role = (typeof ROLES)[number];

/**
 * Roles that never need multi-factor sign-in. Every other role can see a child's identifying
 * details, or can grant or review access to them, so MFA is required for it.
 */
const ROLES_WITHOUT_MANDATORY_MFA: readonly Role[] = ['analyst'];

export function rolesRequireMfa(roles: readonly Role[]): boolean {
  return roles.length === 0 || roles.some((role) => !ROLES_WITHOUT_MANDATORY_MFA.includes(role));
}

/**
 * Roles an administrator may grant alone (issue 19, finding 2): neither reads a child's identity
 * beyond what the person entered themselves, nor approves or administers anything. Every other
 * role, including any role added later, is granted only when a second administrator approves.
 */
const ROLES_GRANTED_BY_ONE_ADMINISTRATOR: readonly Role[] = ['frontline', 'analyst'];

/** Whether granting this role needs a second administrator's approval (deny by default). */
export function needsSecondAdministrator(role: Role): boolean {
  return !ROLES_GRANTED_BY_ONE_ADMINISTRATOR.includes(role);
}
