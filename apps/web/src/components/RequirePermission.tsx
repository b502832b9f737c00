import type { ReactNode } from 'react';
import type { Permission } from '@tiaki/domain';
import { useCan } from '../features/auth/session.tsx';
import { ForbiddenPage } from './StatusPages.tsx';

/** Shows the page only to people whose roles grant the permission. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const can = useCan();
  return can(permission) ? children : <ForbiddenPage />;
}
