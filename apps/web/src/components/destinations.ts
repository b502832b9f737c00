import type { Permission } from '@tiaki/domain';

export type DestinationKey =
  | 'recordConcern'
  | 'myReferrals'
  | 'importReferrals'
  | 'triage'
  | 'cases'
  | 'decisions'
  | 'serviceReferrals'
  | 'services'
  | 'breakGlass'
  | 'privacyRequests'
  | 'organisations'
  | 'users'
  | 'audit'
  | 'statistics'
  | 'dataQuality'
  | 'iwi'
  | 'extracts';

export interface Destination {
  key: DestinationKey;
  to: string;
  /** Shown to whoever holds any one of these. */
  permission: Permission | readonly Permission[];
}

/**
 * The parts of Tiaki that are built, each for whoever holds its permission: the same list makes
 * the main navigation and the cards on the home page.
 */
export const DESTINATIONS: readonly Destination[] = [
  { key: 'recordConcern', to: '/referrals/new', permission: 'referrals.create' },
  { key: 'myReferrals', to: '/referrals/mine', permission: 'referrals.read_own' },
  { key: 'importReferrals', to: '/referrals/import', permission: 'referrals.import' },
  { key: 'triage', to: '/triage', permission: 'referrals.triage' },
  { key: 'cases', to: '/cases', permission: 'cases.read' },
  { key: 'decisions', to: '/decisions', permission: 'decisions.make' },
  { key: 'serviceReferrals', to: '/service-referrals', permission: 'service_referrals.respond' },
  { key: 'services', to: '/services', permission: ['services.manage', 'cases.manage'] },
  { key: 'statistics', to: '/statistics', permission: 'statistics.read' },
  { key: 'dataQuality', to: '/statistics/data-quality', permission: 'statistics.exact' },
  // The Māori data governance group; people it approves reach the screen from Statistics.
  { key: 'iwi', to: '/statistics/iwi', permission: 'statistics.iwi_govern' },
  {
    key: 'extracts',
    to: '/extracts',
    permission: ['extracts.request', 'extracts.approve', 'extracts.approve_maori'],
  },
  { key: 'breakGlass', to: '/break-glass', permission: ['break_glass.review', 'cases.break_glass'] },
  { key: 'privacyRequests', to: '/privacy-requests', permission: ['privacy.export', 'privacy.approve'] },
  { key: 'organisations', to: '/organisations', permission: 'organisations.read' },
  { key: 'users', to: '/users', permission: 'users.read' },
  { key: 'audit', to: '/audit', permission: 'audit.read' },
];

/** Whether someone with these permissions may go there. */
export function mayReach(permissions: readonly Permission[], destination: Destination): boolean {
  const wanted: readonly Permission[] =
    typeof destination.permission === 'string' ? [destination.permission] : destination.permission;
  return wanted.some((permission) => permissions.includes(permission));
}
