-- Workload subscriptions of issue #13: "tell me when the cheapest model for this workload changes, or its monthly
-- cost falls by N%". Valid on H2 and PostgreSQL 14+ (one migration path for both; ${exact_decimal} is NUMERIC on
-- PostgreSQL and DECFLOAT on H2, so a monthly cost keeps every digit).
--
-- workload_json holds the workload (the calculator's parameters: in, cached, out, context, modality, first_party,
-- free) and the trigger (cheapest_changes, falls_percent); NULL for subscriptions to change events.
ALTER TABLE alert_subscription ADD COLUMN workload_json VARCHAR(2000);

-- Per workload subscription, what its workload's ranking last looked like. The cheapest_* columns are the
-- last-known first place (updated at every evaluation); the ref_* columns are the first place the subscriber was
-- last told of (or the first baseline), which a fall of N% is measured against, raised when the cost rises above
-- it, so a fall made in small steps still adds up. revision makes an evaluation a compare-and-set: with several
-- nodes hearing the same check, one moves the row and the others find it moved.
CREATE TABLE alert_workload_state (
  subscription_id     BIGINT       NOT NULL,
  canonical_model     VARCHAR(300),
  model               VARCHAR(300),
  provider            VARCHAR(200),
  source_id           VARCHAR(100),
  monthly_usd         ${exact_decimal},
  ref_canonical_model VARCHAR(300),
  ref_model           VARCHAR(300),
  ref_provider        VARCHAR(200),
  ref_source_id       VARCHAR(100),
  ref_monthly_usd     ${exact_decimal},
  revision            BIGINT       NOT NULL,
  check_id            BIGINT,
  updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  notified_at         TIMESTAMP WITH TIME ZONE,
  CONSTRAINT alert_workload_state_pk PRIMARY KEY (subscription_id),
  CONSTRAINT alert_workload_state_sub FOREIGN KEY (subscription_id) REFERENCES alert_subscription (id)
);
