import { DECISION_LIFECYCLE, type MyWork, type MyWorkItem, type Permission } from '@tiaki/domain';
import type { AppContext } from '../../context.ts';
import type { AuthContext } from '../auth/index.ts';
import { referenceOf } from '../services/index.ts';
import {
  actionsDue,
  decisionsDue,
  goalsDue,
  panelViewsDue,
  referralsToTriage,
  serviceReferralsAwaiting,
  serviceReferralsToAnswer,
  unassignedDecisionCount,
  unassignedReferralCount,
  unreadReminderCount,
} from './queries.ts';

/** One row of work as the queries answer it. */
interface WorkRow {
  id: string;
  reference: string;
  case_id: string | null;
  detail: string | null;
  due: string | null;
  urgent: boolean;
  region: string;
}

/** Of each kind, at most this many items; the full lists hold the rest. */
export const MY_WORK_LIMIT = 50;

/**
 * The signed-in person's work queue: only what is theirs (assigned to them, or their
 * organisation's to answer), only on records they may see through the one access gate, and only
 * references and dates, never a child's name or narrative. It reads no identity, so, like the
 * other lists, it writes no audit entry; opening an item is audited where it is opened.
 */
export async function myWork(ctx: AppContext, auth: AuthContext): Promise<MyWork> {
  const today = ctx.today();
  const items: MyWorkItem[] = [];
  let truncated = false;
  /** Adds the rows of one kind: each on a case (or a referral), with its due date. */
  const add = (kind: MyWorkItem['kind'], rows: WorkRow[], link: (row: WorkRow) => string) => {
    if (rows.length > MY_WORK_LIMIT) truncated = true;
    for (const row of rows.slice(0, MY_WORK_LIMIT))
      items.push({
        kind,
        id: row.id,
        reference: row.reference,
        detail: row.detail,
        dueOn: row.due,
        overdue: row.due !== null && row.due < today,
        urgent: row.urgent,
        region: row.region,
        link: link(row),
      });
  };
  const onCase = (row: WorkRow) => `/cases/${row.case_id ?? ''}`;
  const onServiceReferral = (row: WorkRow) => `/service-referrals/${row.id}`;
  const has = (permission: Permission) => auth.permissions.has(permission) && Boolean(auth.userId);

  const more = MY_WORK_LIMIT + 1;

  // Triage: referrals assigned to me, still waiting for triage (lead agency only), and how many
  // in the queue no one has taken yet (the queue is the whole lead agency's).
  let unassignedReferrals: MyWork['unassignedReferrals'] = null;
  if (has('referrals.triage') && auth.organisation.kind === 'lead_agency') {
    unassignedReferrals = await unassignedReferralCount(ctx.db);
    const rows = await referralsToTriage(ctx.db, auth.userId, more);
    const due = (r: (typeof rows)[number]) =>
      DECISION_LIFECYCLE.reasonable_grounds.period(r.received_on, r.region, ctx.config.workflow).dueOn;
    add(
      'referral_to_triage',
      rows.map((r) => ({ ...r, due: due(r) })),
      (row) => `/triage/${row.id}`,
    );
  }

  // Cases: only those the access gate lets me read, and only if I may read cases at all.
  const reads = has('cases.read');
  let unassignedDecisions: number | null = null;
  if (reads && auth.permissions.has('decisions.make')) {
    add('decision_due', await decisionsDue(ctx.db, auth, more), onCase);
    unassignedDecisions = await unassignedDecisionCount(ctx.db, auth);
  }

  if (reads) {
    // A panel I sit on is waiting for my view.
    add('panel_view_due', await panelViewsDue(ctx.db, auth, more), onCase);
    // Conference actions given to me.
    add('action_due', await actionsDue(ctx.db, auth, more), onCase);
  }

  if (reads && auth.permissions.has('cases.manage')) {
    // Open goals with a due date on the open cases whose team I am on.
    add('goal_due', await goalsDue(ctx.db, auth, more), onCase);
    // Service referrals I sent that the provider has not answered yet.
    add('service_referral_awaiting', await serviceReferralsAwaiting(ctx.db, auth, more), onServiceReferral);
  }

  // Providers: service referrals sent to my organisation, waiting for our answer.
  if (has('service_referrals.respond')) {
    const inbox = await serviceReferralsToAnswer(ctx.db, auth.organisation.id, more);
    // The provider knows the referral by its own reference, never the case's.
    add(
      'service_referral_to_answer',
      inbox.map((s) => ({ ...s, reference: referenceOf(s.id), case_id: null })),
      onServiceReferral,
    );
  }

  return {
    today,
    items: items.sort(byUrgency),
    truncated,
    unassignedDecisions,
    unassignedReferrals,
    unreadReminders: await unreadReminderCount(ctx.db, auth.userId),
  };
}

/** Overdue first, then urgent, then the soonest due; items with no due date last. */
export function byUrgency(a: MyWorkItem, b: MyWorkItem): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  if (a.dueOn === b.dueOn) return a.reference.localeCompare(b.reference);
  if (a.dueOn === null) return 1;
  if (b.dueOn === null) return -1;
  return a.dueOn < b.dueOn ? -1 : 1;
}
