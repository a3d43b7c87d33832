package io.pricetide.price;

import java.util.Set;

/** Metric names with a meaning beyond token prices. */
public final class Metrics {
  /** Exchange-rate sources record USD per one unit of the currency named as the model under this metric. */
  public static final String FX_RATE = "fx_rate";
  /** Usage: tokens a model served in the last complete week (OpenRouter rankings). */
  public static final String WEEKLY_TOKENS = "weekly_tokens";
  /** Usage: downloads in the last 30 days (Hugging Face Hub). */
  public static final String DOWNLOADS_30D = "downloads_30d";
  /** Usage: likes (Hugging Face Hub). */
  public static final String LIKES = "likes";
  /** Usage: models on the Hub that name this family's models as their base model. */
  public static final String DERIVATIVES = "derivatives";
  /** The "currency" of a count: ISO 4217's code for "no currency". */
  public static final String COUNT = "XXX";

  /** Metrics whose shares by provider are compared from one check to the next, in order of preference. */
  public static final java.util.List<String> SHARE_METRICS = java.util.List.of(WEEKLY_TOKENS, DOWNLOADS_30D);

  public static final Set<String> USAGE = Set.of(WEEKLY_TOKENS, DOWNLOADS_30D, LIKES, DERIVATIVES);

  private Metrics() {}
}
