-- Issue 15, justice outcomes: charges laid against the people who exploited a child, recorded on
-- the child's case by its team. The provision is a taxonomy law-provision code and the form of
-- exploitation a taxonomy manifestation code (the application checks both against the taxonomy);
-- the team's note is encrypted by the application (the database sees ciphertext only).
-- A charge is part of the child's record (child-record sub-records): exported under IPP 6,
-- re-keyed, and on purge its note is emptied while the coded facts stay for statistics.
CREATE TABLE charge (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_record (id),
  provision text NOT NULL,
  manifestation text NOT NULL,
  laid_on date NOT NULL,
  outcome text NOT NULL DEFAULT 'charged'
    CHECK (outcome IN ('charged', 'withdrawn', 'convicted', 'acquitted')),
  outcome_on date,
  note_enc text,
  recorded_by_user_id uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK ((outcome = 'charged') = (outcome_on IS NULL)),
  CHECK (outcome_on IS NULL OR outcome_on >= laid_on)
);
CREATE INDEX charge_case_idx ON charge (case_id);
CREATE INDEX charge_laid_idx ON charge (laid_on);

-- Statistics read charges through this view only: codes, dates and the counting unit, never the note.
CREATE VIEW fact_charge AS
SELECT
  g.id AS charge_id,
  g.case_id AS child_unit,
  g.provision,
  g.manifestation,
  g.laid_on,
  g.outcome,
  g.outcome_on,
  k.region
FROM charge g
JOIN case_record k ON k.id = g.case_id;

-- A cached statistic is used only while the facts behind it are unchanged (0011).
CREATE TRIGGER charge_fact_change AFTER INSERT OR UPDATE OR DELETE ON charge
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
