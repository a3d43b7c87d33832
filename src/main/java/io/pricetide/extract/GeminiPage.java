package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's Gemini API pricing page (ai.google.dev/gemini-api/docs/pricing, markdown at {@code .md.txt}). Each model
 * has a section: a heading ("Gemini 2.5 Pro"), a line with its API ids ({@code *`gemini-2.5-pro`*}), a description,
 * then one table, or a "Standard" and a "Batch" table. Tables are transposed: rows "Input price", "Output price",
 * "Context caching price"; columns "Free Tier" and "Paid Tier, per 1M tokens in USD". A paid cell holds several
 * prices, each qualified by the words after it: {@code $1.25, prompts <= 200k tokens $2.50, prompts > 200k tokens}
 * (tiers, {@code >200k}), {@code $0.30 (text / image / video) $1.00 (audio)} (modality, {@code audio}); storage
 * prices per hour and per-image prices are skipped. "Free of charge" in the free tier is a zero price under
 * {@code free-tier}. The model is named by its first API id, else by the heading.
 *
 * <p>A section ends at the first paragraph after its tables, so a capture that lost the model headings (a reader
 * tool dropping them) does not hand the next model's prices to the previous one: unnamed tables are not read.
 */
final class GeminiPage implements Extractor {
  private static final Pattern IDS = Pattern.compile(
      "^[*_]?([a-z][a-z0-9.\\-]+)[*_]?(\\s*,\\s*[*_]?[a-z][a-z0-9.\\-]+[*_]?)*$");
  private static final Pattern PAREN = Pattern.compile("\\(([^)]*)\\)");

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    List<Block> blocks = PageBlocks.parse(body, ctx.format());
    String model = null;
    List<String> ids = List.of();
    String service = "";
    boolean labelled = false;
    int tables = 0;
    boolean closed = false;
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      if (b.isHeading()) {
        String t = b.text().trim().toLowerCase(Locale.ROOT);
        if (model != null && (t.equals("standard") || t.equals("batch"))) {
          service = t.equals("batch") ? Conditions.BATCH : "";
          labelled = true;
          closed = false;
          continue;
        }
        ids = i + 1 < blocks.size() && blocks.get(i + 1).isText() ? ids(blocks.get(i + 1).text()) : List.of();
        model = !ids.isEmpty() ? ids.get(0) : b.level() <= 2 ? PageText.modelName(b.text()) : null;
        service = "";
        labelled = false;
        tables = 0;
        closed = false;
      } else if (b.isText()) {
        if (model != null && tables > 0 && !isFootnote(b.text())) {
          closed = true;
        }
      } else if (b.isTable()) {
        if (model != null && !closed && (tables == 0 || labelled)) {
          readTable(b, model, ids.isEmpty() ? List.of(model) : ids, service, sink);
        }
        tables++;
        labelled = false;
      }
    }
    Retirements.read(blocks, sink);
    return sink.result("Gemini model sections with price tables (Input price | Free Tier | Paid Tier, per 1M tokens)");
  }

  /** The API ids of a line such as {@code *`imagen-4.0-generate-001`,`imagen-4.0-fast-generate-001`*}, in order. */
  private static List<String> ids(String text) {
    Matcher m = IDS.matcher(text.trim());
    if (!m.matches()) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      String id = part.replaceAll("[*_`\\s]", "");
      if (!id.isEmpty()) {
        out.add(id);
      }
    }
    return out;
  }

  private static boolean isFootnote(String text) {
    String t = text.trim();
    return t.startsWith("[*") || t.startsWith("^*") || t.startsWith("*") || t.startsWith("[") && t.contains("]");
  }

  private static void readTable(Block table, String model, List<String> ids, String service, PriceSink sink) {
    List<String> header = table.header();
    Optional<Unit> unit = Optional.empty();
    for (String h : header) {
      if (PageText.foreignUnit(h)) {
        PageText.otherUnit(h).ifPresent(u -> readMediaTable(table, ids, service, u, sink));
        return; // priced per image or per second
      }
      unit = unit.or(() -> PageText.unit(h));
    }
    if (unit.isEmpty()) {
      return;
    }
    for (List<String> row : table.body()) {
      if (row.isEmpty()) {
        continue;
      }
      Optional<String> metric = metric(row.get(0));
      if (metric.isEmpty()) {
        continue;
      }
      for (int c = 1; c < row.size() && c < header.size(); c++) {
        String h = header.get(c).toLowerCase(Locale.ROOT);
        if (h.contains("free tier")) {
          if (PageText.isFree(row.get(c)) && TOKEN_METRICS.contains(metric.get())) {
            String condition = Conditions.builder().set(Conditions.Slot.SERVICE, Conditions.FREE_TIER).build();
            sink.add(model, metric.get(), condition, java.math.BigDecimal.ZERO, unit.get(), null);
          }
        } else if (h.contains("paid tier")) {
          readPaidCell(row.get(c), model, metric.get(), service, unit.get(), sink);
        }
      }
    }
  }

  /**
   * What a row prices: a token metric, or {@link #IMAGE_ROW} ("Image generation pricing", per image), {@link #SEARCH}
   * ("Grounding with Google Search") or {@link #MAPS} ("Grounding with Google Maps"), whose amounts count only with
   * their own unit ("$35 / 1,000 grounded prompts").
   */
  private static Optional<String> metric(String label) {
    String l = label.toLowerCase(Locale.ROOT);
    if (l.startsWith("grounding with google search")) {
      return Optional.of(SEARCH);
    }
    if (l.startsWith("grounding with google maps")) {
      return Optional.of(MAPS);
    }
    if (l.contains("image generation")) {
      return Optional.of(IMAGE_ROW);
    }
    if (l.contains("storage") || l.contains("grounding") || l.contains("live api") || l.contains("tuning")
        || l.contains("improve")) {
      return Optional.empty();
    }
    if (l.contains("context caching")) {
      return Optional.of("cache_read");
    }
    if (l.startsWith("input price")) {
      return Optional.of("input");
    }
    if (l.startsWith("output price")) {
      return Optional.of("output");
    }
    return Optional.empty();
  }

  private static final String IMAGE_ROW = "image-row";
  private static final String SEARCH = "search-row";
  private static final String MAPS = "maps-row";
  private static final List<String> TOKEN_METRICS = List.of("input", "output", "cache_read");
  private static final Pattern COMING_SOON = Pattern.compile("(?i)coming soon");

  /**
   * A table priced per image or per second (Imagen, Veo): rows "Imagen 4 Fast image price", "Veo 3 Standard video
   * with audio price (default)", "Image price", each the price of the section's API id that the row's words name
   * ("fast", "ultra"), else of the shortest id (the standard model). "without audio" is condition {@code no-audio}.
   */
  private static void readMediaTable(Block table, List<String> ids, String service, Unit unit, PriceSink sink) {
    String metric = switch (unit.quantity()) {
      case IMAGES -> io.pricetide.price.Metrics.OUTPUT_IMAGE;
      case SECONDS -> io.pricetide.price.Metrics.OUTPUT_SECOND;
      default -> null;
    };
    if (metric == null) {
      return;
    }
    List<String> header = table.header();
    for (List<String> row : table.body()) {
      String label = row.isEmpty() ? "" : row.get(0).toLowerCase(Locale.ROOT);
      if (!label.contains("price")) {
        continue;
      }
      for (int c = 1; c < row.size() && c < header.size(); c++) {
        if (!header.get(c).toLowerCase(Locale.ROOT).contains("paid tier")) {
          continue;
        }
        List<PageText.Amount> amounts = PageText.amounts(row.get(c));
        if (amounts.size() != 1) {
          continue;
        }
        String condition = Conditions.builder().set(Conditions.Slot.SERVICE, service)
            .set(Conditions.Slot.MODE, label.contains("without audio") ? "no-audio" : "").build();
        sink.add(modelFor(label, ids), metric, condition, amounts.get(0).value(), unit, amounts.get(0).currency());
      }
    }
  }

  /** The id whose own word ("fast", "ultra") the label names; else the shortest (the standard model). */
  static String modelFor(String label, List<String> ids) {
    java.util.Set<String> words = new java.util.HashSet<>(List.of(label.toLowerCase(Locale.ROOT).split("[^a-z0-9.]+")));
    for (String id : ids) {
      for (String part : id.split("-")) {
        if (part.matches("[a-z]+") && words.contains(part) && !ids.stream().allMatch(x -> x.contains("-" + part + "-")
            || x.startsWith(part + "-"))) {
          return id;
        }
      }
    }
    return ids.stream().min(java.util.Comparator.comparingInt(String::length)).orElseThrow();
  }

  /** Splits a paid cell into its prices; the words after each price up to the next one qualify it. */
  private static void readPaidCell(String cell, String model, String metric, String service, Unit tableUnit,
      PriceSink sink) {
    List<PageText.Amount> amounts = PageText.amounts(cell);
    for (int i = 0; i < amounts.size(); i++) {
      PageText.Amount a = amounts.get(i);
      String qualifier = cell.substring(a.end(), i + 1 < amounts.size() ? amounts.get(i + 1).start() : cell.length());
      String before = cell.substring(i > 0 ? amounts.get(i - 1).end() : 0, a.start());
      // "(text / image / video)" names modalities, not a unit
      Optional<Unit> other = PageText.otherUnit(qualifier.replaceAll("\\([^)]*\\)", " "));
      if (other.isPresent()) {
        if (!COMING_SOON.matcher(before).find()) {
          readOther(model, metric, service, qualifier, other.get(), a, sink);
        }
        continue;
      }
      if (!TOKEN_METRICS.contains(metric) || PageText.foreignUnit(qualifier.replaceAll("\\([^)]*\\)", " "))) {
        continue;
      }
      if (PageText.unit(qualifier).isEmpty() && !modality(qualifier).isEmpty()
          && FOOTNOTED.matcher(qualifier).find()) {
        // "$0.0011 (image)^*^" under a per-1M header: its footnote gives another unit (per image), not read here
        continue;
      }
      Unit unit = PageText.unit(qualifier).orElse(tableUnit);
      String condition = Conditions.builder()
          .set(Conditions.Slot.SERVICE, service)
          .set(Conditions.Slot.CONTEXT, PageText.contextTier(qualifier).orElse(""))
          .set(Conditions.Slot.MODALITY, modality(qualifier))
          .build();
      sink.add(model, metric, condition, a.value(), unit, a.currency());
    }
  }

  /**
   * An amount of a paid cell in its own unit: per image on an output or image generation row ({@code output_image},
   * size from "per 1K/2K image"), on an input row {@code input_image}; per 1,000 on a grounding row
   * ({@code web_search}, or {@code tool_call} with tool {@code google-maps}). "(Coming soon)" prices are not charged yet
   * and not read.
   */
  private static void readOther(String model, String row, String service, String qualifier, Unit unit,
      PageText.Amount a, PriceSink sink) {
    Conditions.Builder c = Conditions.builder().set(Conditions.Slot.SERVICE, service);
    String metric = null;
    if (unit == Unit.PER_IMAGE && (row.equals("output") || row.equals(IMAGE_ROW))) {
      metric = io.pricetide.price.Metrics.OUTPUT_IMAGE;
      List<String> sizes = PageText.sizes(qualifier);
      c.set(Conditions.Slot.SIZE, sizes.isEmpty() ? "" : sizes.get(0));
    } else if (unit == Unit.PER_IMAGE && row.equals("input")) {
      metric = io.pricetide.price.Metrics.INPUT_IMAGE;
    } else if (unit == Unit.PER_1K_CALLS && row.equals(SEARCH)) {
      metric = io.pricetide.price.Metrics.WEB_SEARCH;
    } else if (unit == Unit.PER_1K_CALLS && row.equals(MAPS)) {
      metric = io.pricetide.price.Metrics.TOOL_CALL;
      c.set(Conditions.Slot.TOOL, "google-maps");
    }
    if (metric != null) {
      sink.add(model, metric, c.build(), a.value(), unit, a.currency());
    }
  }

  /** A footnote mark right after a modality: "(image)^\\*^" in markdown, "(image)*", "(image)[1]", a dagger. */
  private static final Pattern FOOTNOTED = Pattern.compile("\\)\\s*(?:\\^?\\\\?\\*+\\^?|[\u2020\u2021]|\\[\\d+]|\\^\\d+\\^)");

  /** "(text / image / video)" and "(text)" are the base price; "(audio)" → {@code audio}, "(image)" → {@code image}. */
  private static String modality(String qualifier) {
    Matcher m = PAREN.matcher(qualifier);
    if (!m.find()) {
      return "";
    }
    String inside = m.group(1).toLowerCase(Locale.ROOT);
    if (inside.contains("text")) {
      return "";
    }
    return inside.replaceAll("\\[", "/").replaceAll("[\\]\\s]", "").replaceAll("/+", "/");
  }
}
