-- Trends: named events to mark on time series (e.g. a large sporting event) and aggregate series
-- from other sources (e.g. weekly blocked-access counts from a filtering system). No child data.
CREATE TABLE statistics_event (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  created_by_user_id uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE external_series_point (
  series text NOT NULL,
  period_start date NOT NULL,
  value double precision NOT NULL,
  imported_by_user_id uuid REFERENCES app_user (id),
  imported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (series, period_start)
);
