-- Pairs of (catalogue series, first-party series) of one model and metric that currently disagree by more than
-- the drift threshold; a row appears with its catalogue_drift event and goes when they agree again.
CREATE TABLE catalogue_drift (
  catalogue_source VARCHAR(100) NOT NULL,
  catalogue_model  VARCHAR(300) NOT NULL,
  vendor_source    VARCHAR(100) NOT NULL,
  canonical_model  VARCHAR(300) NOT NULL,
  metric           VARCHAR(60)  NOT NULL,
  catalogue_usd    NUMERIC(30, 12) NOT NULL,
  vendor_usd       NUMERIC(30, 12) NOT NULL,
  since            TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT catalogue_drift_pk PRIMARY KEY (catalogue_source, catalogue_model, vendor_source, metric)
);
