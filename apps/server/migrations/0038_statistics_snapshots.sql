-- Statistics ready before anyone asks (issue 17). A background job (statistics.warm, one at a
-- time across processes through the job queue) computes the standard periods after the facts
-- change and keeps each published result here under the fact change number it was computed at,
-- so that every server process answers the first reader of a standard period from this table
-- instead of computing it. Counts only, as published or exact by key: never a name or narrative.
CREATE TABLE statistics_snapshot (
  key text PRIMARY KEY,
  change bigint NOT NULL,
  value jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

-- Where the job stands: the change number it saw on its last look (it waits for the facts to be
-- quiet for one look before computing, unless the last computation is too old) and the one it
-- last computed every standard period at, for which day's list of standard periods.
CREATE TABLE statistics_warming (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  seen_change bigint,
  warmed_change bigint,
  warmed_for date,
  warmed_at timestamptz,
  took_ms integer
);
INSERT INTO statistics_warming (id) VALUES (true);
