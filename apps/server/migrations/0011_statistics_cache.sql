-- Statistics are computed from the fact views and kept by the server until the facts change.
-- Every statement that writes a table the fact views (or the trends' events and series) read
-- draws the next number of this sequence; a cached statistic records the number it was computed
-- at and is used only while the number is unchanged. A sequence never blocks or rolls back, so
-- writers never wait on each other for it.
CREATE SEQUENCE fact_change_seq;

CREATE FUNCTION fact_change_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('fact_change_seq');
  RETURN NULL;
END;
$$;

CREATE TRIGGER referral_fact_change AFTER INSERT OR UPDATE OR DELETE ON referral
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER child_fact_change AFTER INSERT OR UPDATE OR DELETE ON child
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER organisation_fact_change AFTER INSERT OR UPDATE OR DELETE ON organisation
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER case_record_fact_change AFTER INSERT OR UPDATE OR DELETE ON case_record
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER decision_fact_change AFTER INSERT OR UPDATE OR DELETE ON decision
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER service_referral_fact_change AFTER INSERT OR UPDATE OR DELETE ON service_referral
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER service_referral_event_fact_change AFTER INSERT OR UPDATE OR DELETE ON service_referral_event
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER unmet_need_fact_change AFTER INSERT OR UPDATE OR DELETE ON unmet_need
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER child_link_fact_change AFTER INSERT OR UPDATE OR DELETE ON child_link
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER statistics_event_fact_change AFTER INSERT OR UPDATE OR DELETE ON statistics_event
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();
CREATE TRIGGER external_series_point_fact_change AFTER INSERT OR UPDATE OR DELETE ON external_series_point
  FOR EACH STATEMENT EXECUTE FUNCTION fact_change_note();

-- Every statistic filters referrals by the day they were received.
CREATE INDEX referral_received_on_idx ON referral (received_on);
