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
        String id = i + 1 < blocks.size() && blocks.get(i + 1).isText() ? firstId(blocks.get(i + 1).text()) : null;
        model = id != null ? id : b.level() <= 2 ? PageText.modelName(b.text()) : null;
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
          readTable(b, model, service, sink);
        }
        tables++;
        labelled = false;
      }
    }
    return sink.result("Gemini model sections with price tables (Input price | Free Tier | Paid Tier, per 1M tokens)");
  }

  private static String firstId(String text) {
    Matcher m = IDS.matcher(text.trim());
    return m.matches() ? m.group(1) : null;
  }

  private static boolean isFootnote(String text) {
    String t = text.trim();
    return t.startsWith("[*") || t.startsWith("^*") || t.startsWith("*") || t.startsWith("[") && t.contains("]");
  }

  private static void readTable(Block table, String model, String service, PriceSink sink) {
    List<String> header = table.header();
    Optional<Unit> unit = Optional.empty();
    for (String h : header) {
      if (PageText.foreignUnit(h)) {
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
          if (PageText.isFree(row.get(c))) {
            String condition = Conditions.builder().set(Conditions.Slot.SERVICE, Conditions.FREE_TIER).build();
            sink.add(model, metric.get(), condition, java.math.BigDecimal.ZERO, unit.get(), null);
          }
        } else if (h.contains("paid tier")) {
          readPaidCell(row.get(c), model, metric.get(), service, unit.get(), sink);
        }
      }
    }
  }

  private static Optional<String> metric(String label) {
    String l = label.toLowerCase(Locale.ROOT);
    if (l.contains("storage") || l.contains("grounding") || l.contains("live api") || l.contains("image generation")
        || l.contains("tuning") || l.contains("improve")) {
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

  /** Splits a paid cell into its prices; the words after each price up to the next one qualify it. */
  private static void readPaidCell(String cell, String model, String metric, String service, Unit tableUnit,
      PriceSink sink) {
    List<PageText.Amount> amounts = PageText.amounts(cell);
    for (int i = 0; i < amounts.size(); i++) {
      PageText.Amount a = amounts.get(i);
      String qualifier = cell.substring(a.end(), i + 1 < amounts.size() ? amounts.get(i + 1).start() : cell.length());
      if (PageText.foreignUnit(qualifier.replaceAll("\\([^)]*\\)", " "))) {
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
