import { ROLES, type Role, type User } from '@tiaki/domain';
import type { TFunction } from 'i18next';

export type UserStatus = 'active' | 'deactivated' | 'locked';

/** `now` is when the list was loaded: a lock may have run out since. */
export function statusOf(user: User, now: number): UserStatus {
  if (!user.isActive) return 'deactivated';
  if (user.lockedUntil && Date.parse(user.lockedUntil) > now) return 'locked';
  return 'active';
}

export function roleNames(t: TFunction, roles: readonly Role[]): string {
  return roles.map((role) => t(`roles.${role}.name`)).join(', ');
}

export function roleOptions(t: TFunction) {
  return ROLES.map((role) => ({
    value: role,
    label: t(`roles.${role}.name`),
    hint: t(`roles.${role}.description`),
  }));
}
