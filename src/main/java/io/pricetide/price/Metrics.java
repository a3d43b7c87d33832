package io.pricetide.price;

import java.util.Set;

/** Metric names with a meaning beyond token prices. */
public final class Metrics {
  /** Exchange-rate sources record USD per one unit of the currency named as the model under this metric. */
  public static final String FX_RATE = "fx_rate";
  /** Usage: tokens a model served in one complete week (OpenRouter rankings' leaderboard; the week is its valid time). */
  public static final String WEEKLY_TOKENS = "weekly_tokens";
  /**
   * Usage: tokens all models of one author (provider) served in one complete week, as the source totals them
   * (OpenRouter rankings' market share by author); never a sum of the top models. The model is the author id.
   */
  public static final String PROVIDER_WEEKLY_TOKENS = "provider_weekly_tokens";
  /**
   * The condition of a usage chart's rest bucket ("Others": every model or author outside the chart's top), so a
   * week's total is the sum of its observations and shares can be computed; not a model to rank.
   */
  public static final String OTHERS = "others";
  /** Usage: downloads in the last 30 days (Hugging Face Hub). */
  public static final String DOWNLOADS_30D = "downloads_30d";
  /** Usage: likes (Hugging Face Hub). */
  public static final String LIKES = "likes";
  /**
   * Usage: models on the Hub that name one base model of a family as theirs, by relation (condition {@code finetune},
   * {@code adapter}, {@code quantized} or {@code merge}); the model is the base model.
   */
  public static final String DERIVATIVES = "derivatives";
  /** The "currency" of a count: ISO 4217's code for "no currency". */
  public static final String COUNT = "XXX";

  /** Metrics whose shares by provider are compared from one check to the next, in order of preference. */
  public static final java.util.List<String> SHARE_METRICS = java.util.List.of(WEEKLY_TOKENS, DOWNLOADS_30D);

  public static final Set<String> USAGE = Set.of(WEEKLY_TOKENS, PROVIDER_WEEKLY_TOKENS, DOWNLOADS_30D, LIKES,
      DERIVATIVES);

  /** Usage metrics whose values are for one week, named by its ISO Monday (the observation's valid time). */
  public static final Set<String> WEEKLY = Set.of(WEEKLY_TOKENS, PROVIDER_WEEKLY_TOKENS);

  private Metrics() {}
}
