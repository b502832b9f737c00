-- Retention (docs/operations.md#retention): records past their retention period are de-identified
-- in place, not deleted. Narrative and identity go (encrypted columns cleared or replaced by a
-- tombstone, notes and goals deleted); the codes, dates and counting units the fact views read stay,
-- so published statistics for any period are the same before and after a purge. purged_at marks a
-- row as done, so a purge is idempotent and a dry run counts only what is still due.
ALTER TABLE referral ADD COLUMN purged_at timestamptz;
ALTER TABLE case_record ADD COLUMN purged_at timestamptz;
ALTER TABLE child ADD COLUMN purged_at timestamptz;
