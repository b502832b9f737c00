import type { Permission } from '@tiaki/domain';

export type DestinationKey =
  'recordConcern' | 'myReferrals' | 'importReferrals' | 'organisations' | 'users' | 'audit';

/**
 * The parts of Tiaki that are built, each for whoever holds its permission: the same list makes
 * the main navigation and the cards on the home page.
 */
export const DESTINATIONS: readonly { key: DestinationKey; to: string; permission: Permission }[] = [
  { key: 'recordConcern', to: '/referrals/new', permission: 'referrals.create' },
  { key: 'myReferrals', to: '/referrals/mine', permission: 'referrals.read_own' },
  { key: 'importReferrals', to: '/referrals/import', permission: 'referrals.import' },
  { key: 'organisations', to: '/organisations', permission: 'organisations.read' },
  { key: 'users', to: '/users', permission: 'users.read' },
  { key: 'audit', to: '/audit', permission: 'audit.read' },
];
