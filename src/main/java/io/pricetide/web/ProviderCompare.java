package io.pricetide.web;

import io.pricetide.price.Decimals;
import io.pricetide.source.SourceDefinition;
import io.pricetide.web.ModelQueries.Head;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One vendor against another on comparable tiers, from the vendors' own current standard prices only (no
 * catalogue, no reseller, no conditions such as batch or a region). Tiers are matched by price band: each model's
 * blended price (3 × input + output) / 4 in USD per 1M falls in one of {@link #BANDS}; in each band the page lists
 * both vendors' models and the ratio of their cheapest. A band is a band of price, not a claim that the models are
 * equally good. One market per vendor: where a vendor prices in USD, its prices in another currency (Alibaba's
 * mainland CNY list) are left out; a dated snapshot or {@code -latest} is left out when its model is listed; models
 * that are no text chat tier ({@link #NOT_CHAT}: audio, speech, images, embeddings, search) are left out.
 */
final class ProviderCompare {
  /**
   * A price band: blended USD per 1M in [{@code from}, {@code to}), {@code to} null for no upper end.
   *
   * @param name shown name
   * @param from lower end, inclusive
   * @param to upper end, exclusive, null for none
   */
  record Band(String name, BigDecimal from, BigDecimal to) {
    boolean holds(BigDecimal v) {
      return v.compareTo(from) >= 0 && (to == null || v.compareTo(to) < 0);
    }
  }

  static final List<Band> BANDS = List.of(new Band("Small (under $0.30)", BigDecimal.ZERO, new BigDecimal("0.30")),
      new Band("Mid ($0.30 to $1.50)", new BigDecimal("0.30"), new BigDecimal("1.50")),
      new Band("Large ($1.50 to $6)", new BigDecimal("1.50"), new BigDecimal("6")),
      new Band("Frontier ($6 to $20)", new BigDecimal("6"), new BigDecimal("20")),
      new Band("Premium ($20 and more)", new BigDecimal("20"), null));

  /** Models that are no text chat tier (audio, speech, images, embeddings, search, agents): left out of the bands. */
  static final java.util.regex.Pattern NOT_CHAT = java.util.regex.Pattern.compile(
      "(?i)audio|realtime|transcribe|tts|image|embed|search|moderation|computer-use|deep-research|ocr|-mt-|omni");
  /** Models a band lists per vendor, cheapest first, before "+N more". */
  static final int SHOWN = 8;

  /**
   * One vendor model with both prices.
   *
   * @param name the vendor's name of it
   * @param canonical its id, for the link
   * @param input USD per 1M input
   * @param output USD per 1M output
   * @param blended (3 × input + output) / 4
   */
  record Priced(String name, String canonical, BigDecimal input, BigDecimal output, BigDecimal blended) {}

  private final Ui ui;
  private final ModelQueries mq;

  ProviderCompare(Ui ui, ModelQueries mq) {
    this.ui = ui;
    this.mq = mq;
  }

  /** The vendors with a first-party price page. */
  List<String> vendors() {
    TreeSet<String> out = new TreeSet<>();
    ui.sources.all().stream().filter(d -> "prices".equals(d.kind()) && !d.provider().isEmpty())
        .forEach(d -> out.add(d.provider()));
    return new ArrayList<>(out);
  }

  /** The vendor's models with a current standard input and output price (free placeholders left out). */
  List<Priced> priced(String vendor) {
    List<String> sources = ui.sources.all().stream().filter(d -> "prices".equals(d.kind())
        && vendor.equalsIgnoreCase(d.provider())).map(SourceDefinition::id).toList();
    Map<String, Map<String, Head>> byModel = new TreeMap<>();
    for (Head h : mq.currentOf(sources, List.of("input", "output"))) {
      // Several pages of one vendor (international and mainland) may name a model alike: the one priced in USD,
      // the international market, wins over a converted mainland price.
      Map<String, Head> m = byModel.computeIfAbsent(h.model(), k -> new HashMap<>());
      Head had = m.get(h.metric());
      if (had == null || !"USD".equals(had.currency()) && "USD".equals(h.currency())) {
        m.put(h.metric(), h);
      }
    }
    boolean anyUsd = byModel.values().stream().flatMap(m -> m.values().stream())
        .anyMatch(h -> "USD".equals(h.currency()));
    java.util.Set<String> names = byModel.keySet();
    List<Priced> out = new ArrayList<>();
    byModel.forEach((name, m) -> {
      Head in = m.get("input");
      Head o = m.get("output");
      // One market: where the vendor prices in USD, its converted local-currency prices are another market's.
      boolean market = in != null && o != null && (!anyUsd || "USD".equals(in.currency()) && "USD".equals(o.currency()));
      // A variant (dated snapshot, -latest) is listed under its model when the model itself is listed.
      String base = ModelIdentity.base(name);
      boolean variant = !base.equalsIgnoreCase(name) && names.stream().anyMatch(n -> n.equalsIgnoreCase(base));
      if (market && !variant && in.usd().signum() > 0 && !NOT_CHAT.matcher(name).find()) {
        BigDecimal blended = in.usd().multiply(BigDecimal.valueOf(3)).add(o.usd())
            .divide(BigDecimal.valueOf(4), 6, RoundingMode.HALF_UP);
        out.add(new Priced(name, in.canonical(), in.usd(), o.usd(), Decimals.price(blended)));
      }
    });
    out.sort(Comparator.comparing(Priced::blended).thenComparing(Priced::name));
    return out;
  }

  /** Fills {@code m} for vendor {@code a} against vendor {@code b}. */
  void fill(Map<String, Object> m, String a, String b) {
    List<Priced> pa = priced(a);
    List<Priced> pb = priced(b);
    List<Map<String, Object>> bands = new ArrayList<>();
    for (Band band : BANDS) {
      List<Priced> ia = pa.stream().filter(p -> band.holds(p.blended())).toList();
      List<Priced> ib = pb.stream().filter(p -> band.holds(p.blended())).toList();
      if (ia.isEmpty() && ib.isEmpty()) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("band", band.name());
      row.put("a", ia.stream().limit(SHOWN).map(ProviderCompare::cell).toList());
      row.put("b", ib.stream().limit(SHOWN).map(ProviderCompare::cell).toList());
      row.put("a_more", ia.size() > SHOWN ? "+" + (ia.size() - SHOWN) + " more" : "");
      row.put("b_more", ib.size() > SHOWN ? "+" + (ib.size() - SHOWN) + " more" : "");
      if (!ia.isEmpty() && !ib.isEmpty()) {
        Priced ca = ia.get(0);
        Priced cb = ib.get(0);
        row.put("ratio", Map.of("a", ca.name(), "b", cb.name(), "value", Decimals.money(cb.blended()
            .divide(ca.blended(), 4, RoundingMode.HALF_UP).stripTrailingZeros()) + "\u00d7",
            "href", "/compare?m=" + Urls.enc(ca.canonical()) + "&m=" + Urls.enc(cb.canonical())));
      }
      bands.add(row);
    }
    m.put("vs", Map.of("a", a, "b", b, "bands", bands, "a_count", pa.size(), "b_count", pb.size()));
  }

  private static Map<String, Object> cell(Priced p) {
    return Map.of("name", p.name(), "html", Describe.breakable(p.name()), "href", "/model?id=" + Urls.enc(p.canonical()),
        "input", Ui.usd(p.input()), "output", Ui.usd(p.output()), "blended", Ui.usd(p.blended()));
  }
}
