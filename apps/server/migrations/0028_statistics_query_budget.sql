-- Issue 15: a per-analyst probing budget for published statistics. Each distinct query an analyst
-- asks in a day (its shape: which output, which period, which area; never a result) is kept once.
-- Past the daily budget the answer is 429 and the auditor sees an alert (statistics.probing_alert).
-- People who may see exact figures (data stewards) are not counted: they have nothing to probe for.
CREATE TABLE statistics_query_shape (
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  day date NOT NULL,
  shape text NOT NULL CHECK (length(shape) <= 200),
  first_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, day, shape)
);
