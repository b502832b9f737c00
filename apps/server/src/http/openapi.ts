import type { RouteOptions } from 'fastify';
import { ROLE_PERMISSIONS, ROLES, type Permission } from '@tiaki/domain';
import type { Access } from './access.ts';

/**
 * One tag per capability, named after the URL prefix its routes share, so a generated client
 * groups operations the way the URLs do. A route under a prefix missing here stops start-up.
 */
export const API_TAGS = {
  system: 'Health and readiness of the service, for load balancers and monitoring.',
  session: 'The current session: its sign-in stage, roles, permissions and CSRF token.',
  auth: 'Signing in: password, changing a one-time password, authenticator-app (TOTP) enrolment and codes, signing out.',
  organisations:
    'Organisations taking part (agencies, NGOs, service providers), the directory of them, and the API keys of their systems.',
  'api-keys': 'API keys of organisation systems, which may submit referrals without a person signing in.',
  users: 'People’s accounts, roles and sign-in resets.',
  'privileged-requests':
    'The two-person rule: roles that reach children, and password or authenticator resets, asked for by one administrator and approved by a second.',
  audit: 'The tamper-evident (hash-chained) audit log of who did and saw what.',
  reference:
    'Reference data: the released versions of the taxonomy (manifestations, contexts, indicators) and code lists.',
  terminology:
    'Wording checks: terms the Luxembourg Terminology Guidelines advise against, and language implying a child consented.',
  referrals:
    'Referrals about a child: submitting one (by a person or an organisation’s system), reading it on a need-to-know basis, and one’s own referrals.',
  'referral-drafts': 'Referrals still being written, saved by the person writing them.',
  imports: 'Bulk import of referrals from CSV or JSON Lines files.',
  triage: 'The lead agency’s triage queue: duplicates, opening a case, attaching to a case, screening out.',
  cases:
    'Cases: the child’s record, team, plan, notes, conferences, service referrals, closing and reopening.',
  decisions:
    'Reasonable-grounds and conclusive-grounds identification decisions, their deadlines, panels and reconsideration.',
  'break-glass': 'Emergency access to a case outside one’s team, time-limited and reviewed afterwards.',
  colleagues: 'People in one’s own organisation, for assigning work.',
  'case-merges': 'Undoing a merge of two cases about the same child.',
  search:
    'Finding a child’s case or referral by reference, name or date of birth: only what the searcher may see, audited.',
  services: 'The directory of specialist services for children.',
  'service-referrals':
    'Referrals of a child to a specialist service, followed from sending to acceptance, engagement and outcome.',
  notifications: 'In-app notifications (deadline reminders, assignments) for the signed-in person.',
  'my-work': "The signed-in person's work queue: what is theirs to do, overdue first.",
  statistics:
    'De-identified statistics, trends and the quarterly and OPSC publications; every published number rounded and suppressed.',
  linkage:
    "The matching model (data stewards): learnt from triage's reviews, a version put in use, or the way back to an earlier one.",
  exports: 'The de-identified HTCDS v2 export of case facts.',
  extracts:
    'Research extracts: requests, approvals (including by the Māori data governance group) and downloads.',
  'privacy-requests':
    'Privacy Act 2020 IPP 6 requests: everything held about one child, asked for by a privacy officer with a reason, approved by a second privacy officer or an auditor, then downloaded.',
} as const satisfies Record<string, string>;

export type ApiTag = keyof typeof API_TAGS;

/** `/api/service-referrals/:id` → `service-referrals`; the health probes are `system`. */
export function tagOf(url: string): ApiTag {
  const prefix = url.startsWith('/api/') ? (url.split('/')[2] ?? '') : 'system';
  if (!Object.hasOwn(API_TAGS, prefix)) {
    throw new Error(
      `Route ${url} has no API tag: describe the tag "${prefix}" in API_TAGS (http/openapi.ts)`,
    );
  }
  return prefix as ApiTag;
}

function rolesGranting(permission: Permission): string {
  const roles = ROLES.filter((role) => ROLE_PERMISSIONS[role].includes(permission));
  return roles.length ? roles.map((role) => role.replaceAll('_', ' ')).join(', ') : 'no role';
}

/** The sentence each operation's description ends with, from the access the route declares. */
export function whoMayCall(access: Access, acceptsApiKeys: boolean): string {
  const people =
    access === 'public'
      ? 'anyone, signed in or not'
      : access === 'signing-in'
        ? 'anyone with a session, at any stage of signing in'
        : access === 'signed-in'
          ? 'anyone fully signed in, with any role'
          : `anyone fully signed in whose roles grant "${access}" (${rolesGranting(access)})`;
  const systems = acceptsApiKeys
    ? ', and organisation systems with an API key (Authorization: Bearer tk_…)'
    : '';
  return `Who may call it: ${people}${systems}.`;
}

declare module 'fastify' {
  interface FastifySchema {
    /** The route's declared access, machine-readable for client generators and reviewers. */
    'x-tiaki-access'?: Access;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Completes a route's OpenAPI operation from what the route declares, so no route can forget:
 * its tag (from the URL), who may call it (from its access) and how it authenticates.
 * The operationId, summary and what it does are written beside the route (required at start-up).
 */
export function documentRoute(route: RouteOptions, access: Access): void {
  if (!route.schema || route.schema.hide) return;
  const acceptsApiKeys = route.config?.apiKeys === true;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const changesState = methods.some((method) => !SAFE_METHODS.has(method));
  const session: Record<string, string[]> = changesState ? { session: [], csrf: [] } : { session: [] };
  const written = typeof route.schema.description === 'string' ? route.schema.description.trim() : '';
  // Like a route without its access, a route without its name and words does not start.
  if (typeof route.schema.operationId !== 'string' || typeof route.schema.summary !== 'string' || !written)
    throw new Error(`Route ${String(route.method)} ${route.url} has no operationId, summary or description`);
  route.schema = {
    ...route.schema,
    tags: [tagOf(route.url)],
    description: [written, whoMayCall(access, acceptsApiKeys)].filter(Boolean).join('\n\n'),
    security: access === 'public' ? [] : acceptsApiKeys ? [session, { apiKey: [] }] : [session],
    'x-tiaki-access': access,
  };
}
