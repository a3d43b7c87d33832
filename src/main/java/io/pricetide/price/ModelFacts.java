package io.pricetide.price;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Facts a catalogue states about a model that are not prices: its context window, its longest output, the media it
 * reads and writes, what kind of model it is, and the date its retirement is announced for. They ride with a
 * check's observations (one extraction, one message, one transaction) as observations of their own metrics, and
 * history takes them out before detection ({@link #split}): they become model attributes, never series, and a
 * changed fact is never a price event.
 *
 * <p>A count ({@link #CONTEXT_WINDOW}, {@link #MAX_OUTPUT}) is the value, in tokens, currency {@link Metrics#COUNT}. A
 * text fact ({@link #INPUT_MODALITIES}, {@link #OUTPUT_MODALITIES}, {@link #KIND}, {@link #DEPRECATION}) is the
 * condition, value zero: modalities as a sorted comma list ({@code image,text}), a date as ISO ({@code 2026-06-01}).
 */
public final class ModelFacts {
  /** Most tokens a prompt may hold (LiteLLM {@code max_input_tokens}, OpenRouter {@code context_length}). */
  public static final String CONTEXT_WINDOW = "context_window";
  /** Most tokens one answer may hold (LiteLLM {@code max_output_tokens}, models.dev {@code limit.output}). */
  public static final String MAX_OUTPUT = "max_output_tokens";
  /** What the model reads: {@code audio,image,text}. */
  public static final String INPUT_MODALITIES = "input_modalities";
  /** What the model writes. */
  public static final String OUTPUT_MODALITIES = "output_modalities";
  /** The kind of model as the catalogue says ({@code chat}, {@code embedding}, {@code image_generation}). */
  public static final String KIND = "model_kind";
  /** The announced retirement (deprecation) date. */
  public static final String DEPRECATION = "deprecation_date";

  /**
   * Not an attribute: the page still lists the model with prices of the metric in the condition, but this read could
   * not place them (a copy that lost a sub-table's column headers). History keeps the model's series of that metric
   * as they are, neither changed nor missing ({@link #unread}); no model attribute is written for it.
   */
  public static final String UNREAD = "listed_unread";

  private static final Set<String> ALL = Set.of(CONTEXT_WINDOW, MAX_OUTPUT, INPUT_MODALITIES, OUTPUT_MODALITIES, KIND,
      DEPRECATION, UNREAD);

  private ModelFacts() {}

  /** Whether an observation carries a fact rather than a price. */
  public static boolean isFact(Observation o) {
    return ALL.contains(o.metric());
  }

  /** A token count fact. */
  public static Observation count(String provider, String model, String canonical, String fact, long tokens) {
    return new Observation(provider, model, canonical, fact, "", BigDecimal.valueOf(tokens), Metrics.COUNT, null);
  }

  /** A text fact. */
  public static Observation text(String provider, String model, String canonical, String fact, String text) {
    return new Observation(provider, model, canonical, fact, text, BigDecimal.ZERO, Metrics.COUNT, null);
  }

  /** The retirement date fact. */
  public static Observation deprecation(String provider, String model, String canonical, LocalDate date) {
    return text(provider, model, canonical, DEPRECATION, date.toString());
  }

  /** Modalities as one fact's text: lower case, sorted, distinct, comma-joined; null when there are none. */
  public static String modalities(java.util.Collection<String> names) {
    java.util.TreeSet<String> s = new java.util.TreeSet<>();
    for (String n : names) {
      if (n != null && !n.isBlank()) {
        s.add(n.trim().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return s.isEmpty() ? null : String.join(",", s);
  }

  /** The (model, metric) pairs the facts say are listed but unread ({@link #UNREAD}), as {@link SeriesKey}s. */
  public static Set<List<String>> unread(List<Observation> facts) {
    Set<List<String>> out = new java.util.HashSet<>();
    for (Observation o : facts) {
      if (UNREAD.equals(o.metric())) {
        out.add(List.of(o.model(), o.condition()));
      }
    }
    return out;
  }

  /** A check's observations parted into prices (in their order) and facts. */
  public record Split(List<Observation> prices, List<Observation> facts) {}

  /** Parts observations into prices and facts; the same list when it holds no fact. */
  public static Split split(List<Observation> observations) {
    List<Observation> facts = new ArrayList<>();
    for (Observation o : observations) {
      if (isFact(o)) {
        facts.add(o);
      }
    }
    if (facts.isEmpty()) {
      return new Split(observations, List.of());
    }
    List<Observation> prices = new ArrayList<>(observations.size() - facts.size());
    for (Observation o : observations) {
      if (!isFact(o)) {
        prices.add(o);
      }
    }
    return new Split(prices, facts);
  }
}
