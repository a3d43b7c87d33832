package io.pricetide.workload;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The cheapest models for a workload: a month's tokens (input not read from a cache, input read from a cache,
 * output) priced at each offer's current base prices (no condition: not batch, priority or a context tier), one
 * offer per canonical model (its cheapest that passes the filters), ranked by monthly cost. Pure: the current prices,
 * which sources are first-party, and what is known of each model come in; the ranking goes out.
 *
 * <p>Rules: cached input is charged at the offer's {@code cache_read} price, or at its input price where it has
 * none; an offer without a price the workload needs (an output price when output tokens are asked for) cannot be
 * costed and is left out; with {@code hideFree} (the default) an offer whose input or output price is zero is left
 * out too (catalogues list placeholders and free tiers at $0.00, which would otherwise rank first); a context or
 * modality filter keeps only models known to meet it (an unknown context window does not pass a context filter);
 * a workload with output tokens is costed only on models that write text: a model every catalogue that states its
 * kind calls an embedding, image, audio or rerank model (whose "input" and "output" prices are per pixel or step),
 * or whose stated output modalities lack text, is left out, while a model of unknown kind stays; and a text
 * workload only on models that read text (a speech-to-text model whose stated inputs are audio only is left out).
 *
 * <p>The calculator ({@code /calculator}) and workload alerts share the workload's parameters and their parsing
 * ({@link Workload#parse}), so an alert watches exactly the ranking its calculator link shows.
 */
public final class Workloads {
  static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  /** Kinds of model that write text: a workload with output tokens is costed only on these (or unknown kinds). */
  static final Set<String> TEXT_KINDS = Set.of("chat", "completion", "responses");
  /** Input tokens a month when neither {@code in} nor {@code out} is given. */
  public static final long DEFAULT_INPUT = 10_000_000;
  /** Output tokens a month when neither {@code in} nor {@code out} is given. */
  public static final long DEFAULT_OUTPUT = 2_000_000;
  /** The input modalities a workload may need ({@code text} is no filter). */
  public static final List<String> MODALITIES = List.of("text", "image", "audio", "video", "file");
  /** The parameter names of a workload, as the calculator's URL and the subscription API spell them. */
  public static final List<String> PARAMETERS = List.of("in", "cached", "out", "context", "modality", "first_party",
      "free");
  private static final BigDecimal MAX_TOKENS = BigDecimal.valueOf(1_000_000_000_000_000L);

  private Workloads() {}

  /**
   * What a month of use looks like, and the filters.
   *
   * @param input input tokens a month not read from a cache
   * @param cachedInput input tokens a month read from a cache
   * @param output output tokens a month
   * @param context the context window a prompt needs, in tokens; null for no filter
   * @param modality an input modality the model must read ({@code image}, …); null for text (no filter)
   * @param firstPartyOnly only vendors' own price pages count
   * @param hideFree offers with a $0.00 input or output price are left out (the default)
   */
  public record Workload(long input, long cachedInput, long output, Long context, String modality,
      boolean firstPartyOnly, boolean hideFree) {
    boolean wants(String metric) {
      return switch (metric) {
        case "input" -> input > 0 || cachedInput > 0;
        case "output" -> output > 0;
        default -> false;
      };
    }

    /**
     * The workload named by parameters ({@link #PARAMETERS}; {@code param} gives a parameter's value, null or
     * blank when absent): token counts as digits with an optional k, M or B ({@code 2.5M}); with neither {@code in}
     * nor {@code out} given, 10M in and 2M out; {@code first_party} and {@code free} are flags (1/0, true/false).
     *
     * @throws IllegalArgumentException naming the parameter that is wrong, worded for the person who typed it
     */
    public static Workload parse(Function<String, String> param) {
      Function<String, String> p = name -> {
        String v = param.apply(name);
        return v == null || v.isBlank() ? null : v.trim();
      };
      boolean asked = p.apply("in") != null || p.apply("out") != null;
      long in = tokens(p, "in", asked ? 0 : DEFAULT_INPUT);
      long cached = tokens(p, "cached", 0);
      long out = tokens(p, "out", asked ? 0 : DEFAULT_OUTPUT);
      long context = tokens(p, "context", 0);
      String modality = p.apply("modality");
      if (modality != null && !MODALITIES.contains(modality.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("modality must be one of " + String.join(", ", MODALITIES.stream()
            .sorted().toList()) + ", not '" + modality + "'");
      }
      String mod = modality == null ? null : modality.toLowerCase(Locale.ROOT);
      return new Workload(in, cached, out, context > 0 ? context : null, mod == null || mod.equals("text") ? null
          : mod, flag(p, "first_party"), !flag(p, "free"));
    }

    /** The parameters that name this workload again ({@link #parse} reads them back to an equal workload). */
    public Map<String, String> parameters() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("in", Long.toString(input));
      m.put("cached", Long.toString(cachedInput));
      m.put("out", Long.toString(output));
      if (context != null) {
        m.put("context", Long.toString(context));
      }
      if (modality != null) {
        m.put("modality", modality);
      }
      if (firstPartyOnly) {
        m.put("first_party", "1");
      }
      if (!hideFree) {
        m.put("free", "1");
      }
      return m;
    }

    /** The calculator's query string of this workload ({@code in=…&cached=…&out=…}), URL-encoded. */
    public String query() {
      StringJoiner q = new StringJoiner("&");
      parameters().forEach((k, v) -> q.add(k + "=" + java.net.URLEncoder.encode(v,
          java.nio.charset.StandardCharsets.UTF_8)));
      return q.toString();
    }

    /** As {@code /api/calculator} shows it. */
    public JsonObject toJson() {
      return new JsonObject().put("input_tokens", input).put("cached_input_tokens", cachedInput)
          .put("output_tokens", output).put("context", context).put("modality", modality)
          .put("first_party_only", firstPartyOnly).put("hide_free", hideFree);
    }

    /** One line for people: "10M input, 2M output tokens a month; context ≥ 128k; vendors' prices only". */
    public String describe() {
      StringJoiner tokens = new StringJoiner(", ");
      if (input > 0) {
        tokens.add(count(input) + " input");
      }
      if (cachedInput > 0) {
        tokens.add(count(cachedInput) + " cached input");
      }
      if (output > 0) {
        tokens.add(count(output) + " output");
      }
      StringBuilder b = new StringBuilder(tokens.length() == 0 ? "no tokens" : tokens.toString())
          .append(" tokens a month");
      if (context != null) {
        b.append("; context of ").append(count(context)).append(" tokens or more");
      }
      if (modality != null) {
        b.append("; reads ").append(modality);
      }
      if (firstPartyOnly) {
        b.append("; vendors' own prices only");
      }
      if (!hideFree) {
        b.append("; $0.00 listings included");
      }
      return b.toString();
    }
  }

  /** A token count for people: 10M, 2.5M, 128k, 950. */
  static String count(long n) {
    long[] scales = {1_000_000_000L, 1_000_000L, 1_000L};
    String[] names = {"B", "M", "k"};
    for (int i = 0; i < scales.length; i++) {
      if (n >= scales[i]) {
        return BigDecimal.valueOf(n).divide(BigDecimal.valueOf(scales[i])).stripTrailingZeros().toPlainString()
            + names[i];
      }
    }
    return Long.toString(n);
  }

  /** A token count: digits, optionally with a k, M or B suffix ({@code 2.5M}); absent is {@code otherwise}. */
  static long tokens(Function<String, String> param, String name, long otherwise) {
    String v = param.apply(name);
    if (v == null) {
      return otherwise;
    }
    String t = v.replace(",", "").replace("_", "").trim();
    BigDecimal scale = BigDecimal.ONE;
    char last = Character.toLowerCase(t.charAt(t.length() - 1));
    if (last == 'k' || last == 'm' || last == 'b') {
      scale = BigDecimal.TEN.pow(last == 'k' ? 3 : last == 'm' ? 6 : 9);
      t = t.substring(0, t.length() - 1);
    }
    try {
      BigDecimal n = new BigDecimal(t).multiply(scale);
      if (n.signum() < 0 || n.compareTo(MAX_TOKENS) > 0) {
        throw new NumberFormatException();
      }
      return n.setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + name + "' must be a token count such as 2500000 or 2.5M, not '" + v
          + "'");
    }
  }

  private static boolean flag(Function<String, String> param, String name) {
    String v = param.apply(name);
    if (v == null) {
      return false;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "true", "on", "yes" -> true;
      case "0", "false", "off", "no" -> false;
      default -> throw new IllegalArgumentException("'" + name + "' must be 1 or 0 (true or false), not '" + v + "'");
    };
  }

  /** What is known of a model beyond its prices (context window, input modalities); empty when unknown. */
  public interface Facts {
    Long context(String canonicalModel);

    Set<String> inputModalities(String canonicalModel);

    /** The output modalities the catalogues state for the model ({@code text}, {@code image}); empty when unknown. */
    default Set<String> outputModalities(String canonicalModel) {
      return Set.of();
    }

    /** The kinds the catalogues give the model ({@code chat}, {@code embedding}, {@code image_generation}). */
    Set<String> kinds(String canonicalModel);

    Facts NONE = new Facts() {
      @Override
      public Long context(String canonicalModel) {
        return null;
      }

      @Override
      public Set<String> inputModalities(String canonicalModel) {
        return Set.of();
      }

      @Override
      public Set<String> kinds(String canonicalModel) {
        return Set.of();
      }
    };
  }

  /** One costed offer: a model as one source sells it. */
  public record Offer(String canonical, String source, String provider, String model, boolean firstParty, BigDecimal input,
      BigDecimal cachedInput, BigDecimal output, BigDecimal monthly, int offers, Long context) {}

  /** The ranking and how many offers each filter left out. */
  public record Ranking(List<Offer> offers, int costed, int leftFree, int leftUnpriced, int leftFilters) {
    /** The cheapest offer, or null when no model can be costed. */
    public Offer cheapest() {
      return offers.isEmpty() ? null : offers.get(0);
    }

    /** The offer of a canonical model, or null when it is not in the ranking. */
    public Offer of(String canonical) {
      return offers.stream().filter(o -> o.canonical().equals(canonical)).findFirst().orElse(null);
    }
  }

  /**
   * Ranks {@code prices} (rows of the current price list: source, provider, model, canonical_model, metric,
   * condition, usd_per_1m) for {@code w}; {@code firstParty} says which sources are vendors' own pages.
   */
  public static Ranking rank(Iterable<JsonObject> prices, Predicate<String> firstParty, Facts facts, Workload w) {
    Map<String, Map<String, BigDecimal>> bySeries = new LinkedHashMap<>();
    Map<String, JsonObject> heads = new HashMap<>();
    for (JsonObject p : prices) {
      String cond = p.getString("condition");
      String metric = p.getString("metric");
      String usd = p.getString("usd_per_1m");
      if ((cond != null && !cond.isBlank()) || usd == null
          || !(metric.equals("input") || metric.equals("output") || metric.equals("cache_read"))) {
        continue;
      }
      String key = p.getString("source") + "\u0000" + p.getString("model");
      bySeries.computeIfAbsent(key, k -> new HashMap<>()).put(metric, new BigDecimal(usd));
      heads.putIfAbsent(key, p);
    }
    Map<String, List<Offer>> byModel = new LinkedHashMap<>();
    int free = 0;
    int unpriced = 0;
    int filtered = 0;
    for (Map.Entry<String, Map<String, BigDecimal>> e : bySeries.entrySet()) {
      JsonObject head = heads.get(e.getKey());
      Map<String, BigDecimal> m = e.getValue();
      String source = head.getString("source");
      String canonical = head.getString("canonical_model");
      boolean vendor = firstParty.test(source);
      BigDecimal in = m.get("input");
      BigDecimal out = m.get("output");
      BigDecimal cached = m.getOrDefault("cache_read", in);
      if ((w.wants("input") && in == null) || (w.wants("output") && out == null)) {
        unpriced++;
        continue;
      }
      if (w.hideFree() && ((in != null && in.signum() == 0) || (out != null && out.signum() == 0))) {
        free++;
        continue;
      }
      Long context = facts.context(canonical);
      Set<String> kinds = facts.kinds(canonical);
      Set<String> outputs = facts.outputModalities(canonical);
      boolean writesText = (kinds.isEmpty() || kinds.stream().anyMatch(TEXT_KINDS::contains))
          && (outputs.isEmpty() || outputs.contains("text"));
      Set<String> inputs = facts.inputModalities(canonical);
      // A text workload needs a model that reads text: one the catalogues say reads only audio or images is out.
      boolean readsAsked = w.modality() != null ? inputs.contains(w.modality()) : inputs.isEmpty()
          || inputs.contains("text");
      if ((w.firstPartyOnly() && !vendor) || (w.context() != null && (context == null || context < w.context()))
          || (w.output() > 0 && !writesText) || !readsAsked) {
        filtered++;
        continue;
      }
      BigDecimal monthly = cost(w.input(), in).add(cost(w.cachedInput(), cached)).add(cost(w.output(), out));
      byModel.computeIfAbsent(canonical, k -> new ArrayList<>()).add(new Offer(canonical, source,
          head.getString("provider"), head.getString("model"), vendor, in, cached, out, monthly, 0, context));
    }
    Comparator<Offer> cheapest = Comparator.comparing(Offer::monthly)
        .thenComparing(o -> !o.firstParty()).thenComparing(Offer::source).thenComparing(Offer::model);
    List<Offer> ranked = new ArrayList<>();
    int costed = 0;
    for (List<Offer> offers : byModel.values()) {
      costed += offers.size();
      Offer best = offers.stream().min(cheapest).orElseThrow();
      ranked.add(new Offer(best.canonical(), best.source(), best.provider(), best.model(), best.firstParty(),
          best.input(), best.cachedInput(), best.output(), best.monthly(), offers.size(), best.context()));
    }
    ranked.sort(cheapest.thenComparing(Offer::canonical));
    return new Ranking(ranked, costed, free, unpriced, filtered);
  }

  private static BigDecimal cost(long tokens, BigDecimal perMillion) {
    if (tokens == 0 || perMillion == null) {
      return BigDecimal.ZERO;
    }
    return perMillion.multiply(BigDecimal.valueOf(tokens)).divide(MILLION, MathContext.DECIMAL64);
  }
}
