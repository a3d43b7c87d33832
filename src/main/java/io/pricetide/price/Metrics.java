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

  // ------------------------------------------------------------ prices that are not per token (issue #12 part 5)

  /** Per input image (LiteLLM {@code input_cost_per_image}: for image models, per image made). */
  public static final String INPUT_IMAGE = "input_image";
  /** Per generated image (LiteLLM {@code output_cost_per_image}); size and quality in the condition. */
  public static final String OUTPUT_IMAGE = "output_image";
  /** Per megapixel of input (LiteLLM {@code input_cost_per_pixel}, scaled exactly). */
  public static final String INPUT_MEGAPIXEL = "input_megapixel";
  /** Per megapixel of output (LiteLLM {@code output_cost_per_pixel}, scaled exactly). */
  public static final String OUTPUT_MEGAPIXEL = "output_megapixel";
  /** Per second of input (audio or video: the condition's modality; none: the model's one medium). */
  public static final String INPUT_SECOND = "input_second";
  /** Per second of output (speech, video). */
  public static final String OUTPUT_SECOND = "output_second";
  /** Per 1M input characters (older Vertex models, text to speech). */
  public static final String INPUT_CHARACTER = "input_character";
  /** Per 1M output characters. */
  public static final String OUTPUT_CHARACTER = "output_character";
  /** A fixed price per request. */
  public static final String REQUEST = "request";
  /** Per 1,000 web searches (OpenRouter {@code web_search}; LiteLLM {@code search_context_cost_per_query}). */
  public static final String WEB_SEARCH = "web_search";
  /** Per 1,000 queries of a rerank or search model (LiteLLM {@code input_cost_per_query}). */
  public static final String QUERY = "query";
  /**
   * Per 1,000 calls of a built-in tool other than web search (file search, X search, code execution, Google Maps
   * grounding): a vendor page's tool table; the model is the tool as the page names it, or the model the page prices
   * the tool for with the tool in the condition ({@code google-maps}).
   */
  public static final String TOOL_CALL = "tool_call";
  /** Per 1,000 search sources a request used (xAI Live Search: each of Web, X, News, RSS counts). */
  public static final String SEARCH_SOURCE = "search_source";

  private static final java.util.Map<String, Unit.Quantity> QUANTITIES = java.util.Map.ofEntries(
      java.util.Map.entry(INPUT_IMAGE, Unit.Quantity.IMAGES), java.util.Map.entry(OUTPUT_IMAGE, Unit.Quantity.IMAGES),
      java.util.Map.entry(INPUT_MEGAPIXEL, Unit.Quantity.MEGAPIXELS),
      java.util.Map.entry(OUTPUT_MEGAPIXEL, Unit.Quantity.MEGAPIXELS),
      java.util.Map.entry(INPUT_SECOND, Unit.Quantity.SECONDS), java.util.Map.entry(OUTPUT_SECOND, Unit.Quantity.SECONDS),
      java.util.Map.entry(INPUT_CHARACTER, Unit.Quantity.CHARACTERS),
      java.util.Map.entry(OUTPUT_CHARACTER, Unit.Quantity.CHARACTERS),
      java.util.Map.entry(REQUEST, Unit.Quantity.REQUESTS), java.util.Map.entry(WEB_SEARCH, Unit.Quantity.CALLS),
      java.util.Map.entry(QUERY, Unit.Quantity.CALLS), java.util.Map.entry(TOOL_CALL, Unit.Quantity.CALLS),
      java.util.Map.entry(SEARCH_SOURCE, Unit.Quantity.SOURCES));

  /** The price metrics that are not per token, in name order (the price table lists them beside a row's tokens). */
  public static final java.util.List<String> NOT_PER_TOKEN = QUANTITIES.keySet().stream().sorted().toList();

  /**
   * What a price of this metric counts: the typed metrics above their own quantity, every other price metric
   * ({@code input}, {@code output}, {@code cache_read}, {@code cache_write}, {@code training}) tokens.
   */
  public static Unit.Quantity quantity(String metric) {
    return metric == null ? Unit.Quantity.TOKENS : QUANTITIES.getOrDefault(metric, Unit.Quantity.TOKENS);
  }

  /** Whether a price of this metric is per 1M tokens (the only prices the per-1M views sort and blend). */
  public static boolean perToken(String metric) {
    return quantity(metric) == Unit.Quantity.TOKENS;
  }

  /** The contract's {@code unit} of a price of this metric in USD: {@code USD/1M tokens}, {@code USD/image}, … */
  public static String usdUnit(String metric) {
    return quantity(metric).usdLabel();
  }

  private Metrics() {}
}
