-- Provider filters compare LOWER(provider), which this index cannot serve, while every new series paid for it.
DROP INDEX series_by_provider;
