-- The triage queue: only referrals still waiting, urgent first, then the oldest. A few thousand
-- rows among millions, so an index of their own (the status index also holds every triaged row).
CREATE INDEX IF NOT EXISTS referral_waiting_idx ON referral (urgent DESC, submitted_at)
  WHERE status IN ('submitted', 'in_triage');
