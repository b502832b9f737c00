-- Issue 14, "looking is not recording":
-- * a service referral carries how urgent the need is; urgency shortens the provider's answer
--   deadline and is shown to the provider. Referrals made before this are routine.
-- * an unmet need a caseworker records explicitly carries their note, encrypted like every other
--   free text about a child (the application seals it; the database sees ciphertext only).
ALTER TABLE service_referral
  ADD COLUMN urgency text NOT NULL DEFAULT 'routine'
  CHECK (urgency IN ('urgent', 'soon', 'routine'));

ALTER TABLE unmet_need ADD COLUMN note_enc text;
