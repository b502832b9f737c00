-- Lists that hold at national volume (paged, sorted and filtered by the server).
-- A case's next deadline and the "overdue" and "due this week" filters read its pending decisions.
CREATE INDEX IF NOT EXISTS decision_case_pending_idx ON decision (case_id, due_on) WHERE status = 'pending';
-- "Mine" on the case list: pending decisions assigned to me, and the cases I am on.
CREATE INDEX IF NOT EXISTS decision_assignee_pending_idx ON decision (assigned_to_user_id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS case_member_user_idx ON case_member (user_id, case_id) WHERE removed_at IS NULL;
-- The case list sorted by when each case opened, whatever its status.
CREATE INDEX IF NOT EXISTS case_record_opened_idx ON case_record (opened_at DESC, id);
-- The triage queue sorted or filtered by the date each referral was received (its due date follows it).
CREATE INDEX IF NOT EXISTS referral_waiting_received_idx ON referral (received_on, submitted_at)
  WHERE status IN ('submitted', 'in_triage');
