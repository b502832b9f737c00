import type { ReactNode } from 'react';
import type { Permission } from '@tiaki/domain';
import { useCan } from '../features/auth/session.tsx';
import { ForbiddenPage } from './StatusPages.tsx';

/** Shows the page only to people whose roles grant the permission (or any one of several). */
export function RequirePermission({
  permission,
  children,
}: {
  permission: Permission | readonly Permission[];
  children: ReactNode;
}) {
  const can = useCan();
  const wanted: readonly Permission[] = typeof permission === 'string' ? [permission] : permission;
  return wanted.some(can) ? children : <ForbiddenPage />;
}
