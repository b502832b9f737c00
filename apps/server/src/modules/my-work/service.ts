import { DECISION_LIFECYCLE, type MyWork, type MyWorkItem, type Permission } from '@tiaki/domain';
import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { AuthContext } from '../auth/index.ts';
import { readableCase } from '../child-record/index.ts';
import { referenceOf } from '../services/index.ts';

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
  const urgentService = sql<boolean>`s.urgency = 'urgent'`.as('urgent');
  const notUrgent = sql<boolean>`false`.as('urgent');
  const noDetail = sql<string | null>`NULL`.as('detail');

  // Triage: referrals assigned to me, still waiting for triage (lead agency only).
  if (has('referrals.triage') && auth.organisation.kind === 'lead_agency') {
    const rows = await ctx.db
      .selectFrom('referral as r')
      .select(['r.id', 'r.reference', 'r.received_on', 'r.region', 'r.urgent', 'r.case_id', noDetail])
      .where('r.assigned_to_user_id', '=', auth.userId)
      .where('r.status', 'in', ['submitted', 'in_triage'])
      .orderBy('r.received_on')
      .limit(MY_WORK_LIMIT + 1)
      .execute();
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
  const pendingDecisions = () =>
    ctx.db
      .selectFrom('decision as d')
      .innerJoin('case_record as c', 'c.id', 'd.case_id')
      .where('d.status', '=', 'pending')
      .where('c.status', '=', 'open')
      .where(readableCase(auth, 'c.id'));
  const decisionColumns = [
    'd.id',
    'd.kind as detail',
    'd.due_on as due',
    'c.id as case_id',
    'c.reference',
    'c.region',
    notUrgent,
  ] as const;
  if (reads && auth.permissions.has('decisions.make')) {
    const rows = await pendingDecisions()
      .select(decisionColumns)
      .where('d.assigned_to_user_id', '=', auth.userId)
      .orderBy('d.due_on')
      .limit(MY_WORK_LIMIT + 1)
      .execute();
    add('decision_due', rows, onCase);
    const unassigned = await pendingDecisions()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('d.assigned_to_user_id', 'is', null)
      .executeTakeFirstOrThrow();
    unassignedDecisions = Number(unassigned.n);
  }

  if (reads) {
    // A panel I sit on is waiting for my view.
    const panels = await pendingDecisions()
      .innerJoin('panel_member as p', 'p.decision_id', 'd.id')
      .select(decisionColumns)
      .where('p.user_id', '=', auth.userId)
      .where('p.view', 'is', null)
      .orderBy('d.due_on')
      .limit(MY_WORK_LIMIT + 1)
      .execute();
    add('panel_view_due', panels, onCase);

    // Conference actions given to me.
    const actions = await ctx.db
      .selectFrom('conference_action as a')
      .innerJoin('case_record as c', 'c.id', 'a.case_id')
      .select(['a.id', 'a.due_on as due', 'c.id as case_id', 'c.reference', 'c.region', noDetail, notUrgent])
      .where('a.owner_user_id', '=', auth.userId)
      .where('a.status', '=', 'open')
      .where('c.status', '=', 'open')
      .where(readableCase(auth, 'c.id'))
      .orderBy('a.due_on')
      .limit(MY_WORK_LIMIT + 1)
      .execute();
    add('action_due', actions, onCase);
  }

  if (reads && auth.permissions.has('cases.manage')) {
    // Open goals with a due date on the open cases whose team I am on.
    const goals = await ctx.db
      .selectFrom('case_goal as g')
      .innerJoin('case_record as c', 'c.id', 'g.case_id')
      .innerJoin('case_member as m', (join) =>
        join.onRef('m.case_id', '=', 'c.id').on('m.user_id', '=', auth.userId).on('m.removed_at', 'is', null),
      )
      .select(['g.id', 'g.due_on as due', 'c.id as case_id', 'c.reference', 'c.region', noDetail, notUrgent])
      .where('g.status', '=', 'open')
      .where('g.due_on', 'is not', null)
      .where('c.status', '=', 'open')
      .where(readableCase(auth, 'c.id'))
      .orderBy('g.due_on')
      .limit(MY_WORK_LIMIT + 1)
      .execute();
    add('goal_due', goals, onCase);

    // Service referrals I sent that the provider has not answered yet.
    const sent = await ctx.db
      .selectFrom('service_referral as s')
      .innerJoin('case_record as c', 'c.id', 's.case_id')
      .select([
        's.id',
        's.respond_by as due',
        's.need_type as detail',
        urgentService,
        'c.id as case_id',
        'c.reference',
        'c.region',
      ])
      .where('s.created_by_user_id', '=', auth.userId)
      .where('s.status', '=', 'sent')
      .where('c.status', '=', 'open')
      .where(readableCase(auth, 'c.id'))
      .orderBy('s.respond_by')
      .limit(MY_WORK_LIMIT + 1)
      .execute();
    add('service_referral_awaiting', sent, onServiceReferral);
  }

  // Providers: service referrals sent to my organisation, waiting for our answer.
  if (has('service_referrals.respond')) {
    const inbox = await ctx.db
      .selectFrom('service_referral as s')
      .innerJoin('case_record as c', 'c.id', 's.case_id')
      .select(['s.id', 's.respond_by as due', 's.need_type as detail', urgentService, 'c.region'])
      .where('s.provider_organisation_id', '=', auth.organisation.id)
      .where('s.status', '=', 'sent')
      .orderBy('s.respond_by')
      .limit(MY_WORK_LIMIT + 1)
      .execute();
    // The provider knows the referral by its own reference, never the case's.
    add(
      'service_referral_to_answer',
      inbox.map((s) => ({ ...s, reference: referenceOf(s.id), case_id: null })),
      onServiceReferral,
    );
  }

  const unread = await ctx.db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', auth.userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();

  return {
    today,
    items: items.sort(byUrgency),
    truncated,
    unassignedDecisions,
    unreadReminders: Number(unread.n),
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
