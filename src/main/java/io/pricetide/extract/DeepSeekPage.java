package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DeepSeek's "Models &amp; Pricing" page (api-docs.deepseek.com/quick_start/pricing, and /zh-cn/ in CNY). The table
 * is transposed: its first row names the models ("MODEL | deepseek-chat | deepseek-reasoner", "模型 | …"), later
 * rows are labelled by metric ("1M INPUT TOKENS (CACHE HIT)", "百万tokens输入（缓存未命中）", "1M OUTPUT TOKENS") and
 * hold one price per model, or one price spanning every model. Rows may be grouped into time-of-day bands:
 * "STANDARD PRICE (UTC 00:30-16:30)" is the base price, "DISCOUNT PRICE (UTC 16:30-00:30)" (or 优惠时段 in Beijing
 * time) gets the condition {@code UTC 16:30-00:30}.
 *
 * <p>Older pages put models in rows ("MODEL | … | 1M TOKENS INPUT PRICE (CACHE HIT) | …"), and during a promotion
 * showed two prices per cell, the list price then the promotional one, with a footnote "until 2025-02-08 16:00
 * (UTC)": the promotional price is the price now, and the list price is announced on the same series from
 * 2025-02-08 16:00 UTC ({@link Observation#effectiveFrom}: the promotion's end is an announced change back); read
 * after that time, the list price is the price now. A table captioned "Starting from &lt;date&gt; (UTC)" is
 * announced the same way, from 00:00 UTC when no time is given. The off-peak band is no announcement: it recurs
 * every day, so it stays a condition of its own series. Text dumps (tab-separated copies of the table, cells
 * broken over lines) are read too.
 */
final class DeepSeekPage implements Extractor {
  private static final Pattern MODEL_HEAD = Pattern.compile("(?i)^\\W*(model|模型)\\s*(\\(\\d+\\))?\\W*$");
  private static final Pattern MODEL_ID = Pattern.compile("^deepseek-[a-z0-9.\\-]+$");
  private static final Pattern UNTIL = Pattern.compile(
      "(?i)until\\s+(\\d{4}-\\d{2}-\\d{2})\\s+(\\d{1,2}:\\d{2})\\s*\\(?UTC\\)?");
  private static final Pattern STARTING = Pattern.compile(
      "(?i)(?:starting from|effective from|from)\\s+(\\d{4}-\\d{2}-\\d{2})(?:\\s+(\\d{1,2}:\\d{2}))?\\s*\\(?UTC\\)?");

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    Optional<Unit> pageUnit = PageText.unit(introText(body));
    java.time.Instant promoEnd = promoEnd(body);
    if ("text".equals(ctx.format())) {
      readRows(textRows(body), sink, pageUnit, null, promoEnd, ctx);
    } else {
      List<String> caption = new ArrayList<>();
      for (Block b : PageBlocks.parse(body, ctx.format())) {
        if (b.isHeading()) {
          caption.clear();
        } else if (b.isText()) {
          caption.add(b.text());
        } else if (b.isTable()) {
          readRows(b.rows(), sink, pageUnit, announced(String.join(" ", caption)), promoEnd, ctx);
          caption.clear();
        }
      }
    }
    return sink.result("the DeepSeek pricing table (MODEL | deepseek-chat | … with 1M TOKENS INPUT/OUTPUT rows)");
  }

  /** The sentence that states the unit of every price ("The prices listed below are in units of per 1M tokens"). */
  private static String introText(String body) {
    Matcher m = Pattern.compile("(?i)(prices listed below[^\\n]{0,80}|价格单位[^\\n]{0,40}|以下价格[^\\n]{0,60})")
        .matcher(body);
    return m.find() ? m.group() : "";
  }

  /** The end of a promotion ("until 2025-02-08 16:00 (UTC)"), or null. */
  private static java.time.Instant promoEnd(String body) {
    Matcher m = UNTIL.matcher(body);
    return m.find() ? utc(m.group(1), m.group(2)) : null;
  }

  /** The time a table's caption says its prices start ("Starting from 2025-09-05 16:00 (UTC)"), or null. */
  private static java.time.Instant announced(String caption) {
    Matcher m = STARTING.matcher(caption);
    return m.find() ? utc(m.group(1), m.group(2) == null ? "00:00" : m.group(2)) : null;
  }

  private static java.time.Instant utc(String date, String hm) {
    return java.time.LocalDateTime.parse(date + "T" + pad(hm)).toInstant(java.time.ZoneOffset.UTC);
  }

  private static String pad(String hm) {
    return hm.length() == 4 ? "0" + hm : hm;
  }

  /** The rows of a tab-separated copy: from the MODEL line to the first footnote, cells broken over lines joined. */
  static List<List<String>> textRows(String body) {
    String[] lines = body.split("\r?\n");
    List<List<String>> rows = new ArrayList<>();
    boolean transposed = false;
    boolean in = false;
    for (String line : lines) {
      List<String> fields = new ArrayList<>(Arrays.asList(line.split("\t", -1)));
      fields.replaceAll(String::trim);
      if (!in) {
        if (MODEL_HEAD.matcher(fields.get(0)).matches()) {
          in = true;
          transposed = fields.size() > 1 && MODEL_ID.matcher(fields.get(1)).matches();
          rows.add(fields);
        }
        continue;
      }
      if (line.trim().matches("^\\(\\d+\\).*") || line.trim().isEmpty() && !rows.isEmpty() && !transposed) {
        break;
      }
      if (transposed || MODEL_ID.matcher(fields.get(0)).matches()) {
        rows.add(fields);
      } else {
        // a cell broken over lines: the first field continues the last cell, the rest are new cells
        List<String> last = rows.get(rows.size() - 1);
        last.set(last.size() - 1, (last.get(last.size() - 1) + "\n" + fields.get(0)).trim());
        last.addAll(fields.subList(1, fields.size()));
      }
    }
    return rows;
  }

  private static void readRows(List<List<String>> rows, PriceSink sink, Optional<Unit> pageUnit,
      java.time.Instant from, java.time.Instant promoEnd, ExtractContext ctx) {
    if (rows.isEmpty()) {
      return;
    }
    List<String> first = rows.get(0);
    if (first.isEmpty() || !MODEL_HEAD.matcher(first.get(0)).matches()) {
      return;
    }
    List<String> models = first.subList(1, first.size()).stream().map(String::trim)
        .filter(s -> MODEL_ID.matcher(s).matches()).toList();
    if (!models.isEmpty()) {
      readTransposed(rows, models, sink, pageUnit, from, ctx);
    } else {
      readByModel(rows, sink, pageUnit, from, promoEnd, ctx);
    }
  }

  private static void readTransposed(List<List<String>> rows, List<String> models, PriceSink sink,
      Optional<Unit> pageUnit, java.time.Instant from, ExtractContext ctx) {
    boolean discount = false;
    String band = "";
    for (List<String> row : rows.subList(1, rows.size())) {
      int label = -1;
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String upper = cell.toUpperCase(Locale.ROOT);
        if (upper.contains("DISCOUNT") || upper.contains("OFF-PEAK") || cell.contains("优惠")) {
          discount = true;
          band = "";
        } else if (upper.contains("STANDARD") || cell.contains("标准")) {
          discount = false;
          band = "";
        }
        Optional<String> time = PageText.timeBand(cell);
        if (time.isPresent() && !isPriceLabel(cell)) {
          band = time.get();
        }
        if (isPriceLabel(cell)) {
          label = i;
          break;
        }
      }
      if (label < 0) {
        continue;
      }
      String labelText = row.get(label);
      List<PageText.Amount> prices = new ArrayList<>();
      for (String cell : row.subList(label + 1, row.size())) {
        List<PageText.Amount> a = PageText.amounts(cell);
        if (!a.isEmpty()) {
          prices.add(a.get(0));
        }
      }
      if (prices.isEmpty()) {
        continue;
      }
      if (prices.size() != 1 && prices.size() != models.size()) {
        throw ctx.fail("row '" + labelText + "' holds " + prices.size() + " prices for " + models.size() + " models");
      }
      if (discount && band.isEmpty()) {
        throw ctx.fail("a discount price band without a time of day: '" + labelText + "'");
      }
      Unit unit = PageText.unit(labelText).or(() -> pageUnit)
          .orElseThrow(() -> ctx.fail("no token unit for row '" + labelText + "'"));
      String metric = ModelTables.classify(labelText).orElseThrow().metric();
      String condition = Conditions.builder().set(Conditions.Slot.BAND, discount ? band : "").build();
      for (int m = 0; m < models.size(); m++) {
        PageText.Amount a = prices.size() == 1 ? prices.get(0) : prices.get(m);
        sink.announce(models.get(m), metric, condition, a.value(), unit, a.currency(), from);
      }
    }
  }

  private static boolean isPriceLabel(String cell) {
    String l = cell.toLowerCase(Locale.ROOT);
    return (l.contains("token") || l.contains("百万")) && !l.startsWith("max") && !l.contains("最大")
        && ModelTables.classify(cell).isPresent();
  }

  private static void readByModel(List<List<String>> rows, PriceSink sink, Optional<Unit> pageUnit,
      java.time.Instant from, java.time.Instant promoEnd, ExtractContext ctx) {
    List<String> header = rows.get(0);
    for (List<String> row : rows.subList(1, rows.size())) {
      if (row.isEmpty() || !MODEL_ID.matcher(row.get(0).trim()).matches()) {
        continue;
      }
      String model = row.get(0).trim();
      for (int c = 1; c < row.size() && c < header.size(); c++) {
        String h = header.get(c);
        if (!isPriceLabel(h)) {
          continue;
        }
        List<PageText.Amount> amounts = PageText.amounts(row.get(c));
        if (amounts.isEmpty()) {
          continue;
        }
        Unit unit = PageText.unit(h).or(() -> pageUnit)
            .orElseThrow(() -> ctx.fail("no token unit for column '" + h + "'"));
        String metric = ModelTables.classify(h).orElseThrow().metric();
        if (amounts.size() == 2) {
          if (promoEnd == null) {
            throw ctx.fail("cell of " + model + " holds two prices and the page gives no date for the change");
          }
          // The promotional price now, and the list price back from the promotion's end (at once when it is over).
          PageText.Amount list = amounts.get(0);
          PageText.Amount promo = amounts.get(1);
          if (promoEnd.isAfter(ctx.observedAt())) {
            sink.announce(model, metric, "", promo.value(), unit, promo.currency(), from);
          }
          sink.announce(model, metric, "", list.value(), unit, list.currency(),
              from != null && from.isAfter(promoEnd) ? from : promoEnd);
        } else if (amounts.size() == 1) {
          PageText.Amount current = amounts.get(0);
          sink.announce(model, metric, "", current.value(), unit, current.currency(), from);
        } else if (amounts.size() > 2) {
          throw ctx.fail("cell of " + model + " holds " + amounts.size() + " prices");
        }
      }
    }
  }
}
