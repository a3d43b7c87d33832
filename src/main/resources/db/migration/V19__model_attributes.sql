-- Model attributes (issue #13, #12 part 5): what a catalogue states about a model beside its prices, one row per
-- source and model as the source names it, joined to the others by canonical id. Not a priced series: a changed
-- attribute writes no point and no price event. deprecation_date is the retirement the source last announced (kept
-- when a later file leaves the field out); a new or moved date is a model_deprecated event. changed_at: when any
-- attribute last changed.
CREATE TABLE model_attribute (
  source_id          VARCHAR(100) NOT NULL,
  model              VARCHAR(300) NOT NULL,
  canonical_model    VARCHAR(300) NOT NULL,
  provider           VARCHAR(100) NOT NULL,
  context_window     BIGINT,
  max_output_tokens  BIGINT,
  input_modalities   VARCHAR(200),
  output_modalities  VARCHAR(200),
  model_kind         VARCHAR(40),
  deprecation_date   DATE,
  first_seen         TIMESTAMP WITH TIME ZONE NOT NULL,
  changed_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT model_attribute_identity PRIMARY KEY (source_id, model)
);
CREATE INDEX model_attribute_by_canonical ON model_attribute (canonical_model);
