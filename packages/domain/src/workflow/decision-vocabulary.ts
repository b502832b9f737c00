/**
 * The words of the identification decisions (kinds, statuses, outcomes, deadline states), apart
 * from their clock (decisions.ts), so schemas and screens can use them without the holiday calendar.
 */

export const DECISION_KINDS = ['reasonable_grounds', 'conclusive_grounds', 'reconsideration'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DECISION_STATUSES = ['pending', 'made'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export const DECISION_OUTCOMES = ['positive', 'negative'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const DEADLINE_STATES = ['overdue', 'due_soon', 'on_track', 'not_yet_open'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];
