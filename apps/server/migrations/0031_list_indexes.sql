-- Issue 14, lists at national volume: search finds a child's referrals by the child (the name and
-- date-of-birth indexes give children; their referrals were then found by reading every referral).
-- At 100,000 referrals the search's referral query took 450-640 ms on a loaded machine without it.
CREATE INDEX IF NOT EXISTS referral_child_idx ON referral (child_id);
