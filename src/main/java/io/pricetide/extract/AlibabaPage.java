package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Alibaba Cloud Model Studio's model pricing pages (alibabacloud.com/help/en/model-studio/model-pricing in USD,
 * help.aliyun.com/zh/model-studio/model-pricing in CNY). Model families ("Qwen-Max", "千问Plus") hold one table per
 * deployment region, under a region heading ("International (Singapore)", "中国内地", "全球", "国际", "美国"); the
 * source's home {@code region} is the base price; another region becomes a condition part ({@code singapore},
 * {@code beijing}, {@code global}, {@code us}), so catalogue prices compare with the home price. A family
 * without region headings is in the region its note names ("服务部署范围仅支持中国内地", "only … Singapore"), else in
 * the region of the section it sits in; the page starts in the source's {@code region}. A model row spans its tier
 * rows: the first row has the
 * model, an optional mode and the first tier ("0 &lt; Tokens ≤ 32K"), the next rows only a tier and prices; the lowest
 * tier is the base price and the others get {@code 32k-128k}-style conditions. An output column split into
 * "Non-thinking mode | Thinking mode" (or input and output split by modality: 文本 / 音频 / 图片/视频) is read from
 * the sub-header row. A row holding only a model name shares the prices of the model above it (a row span in the
 * page). Token prices are read only from columns whose header states a token unit (每百万Token, Million tokens); a
 * table with no such column may price images, seconds or 10,000 characters, read as typed series by
 * {@link AlibabaMedia}.
 */
final class AlibabaPage implements Extractor {
  private static final Pattern MODEL_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/\\-]*$");
  private final String home;

  AlibabaPage(String home) {
    this.home = home;
  }

  /** The region condition for a heading or setting, or "" when it names none. */
  static String region(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (t.contains("中国内地") || t.contains("mainland") || t.contains("beijing") || t.contains("北京")) {
      return "beijing";
    }
    if (t.contains("国际") || t.contains("international") || t.contains("singapore") || t.contains("新加坡")) {
      return "singapore";
    }
    if (t.contains("全球") || t.contains("global")) {
      return "global";
    }
    if (t.contains("美国") || t.matches(".*\\bus\\b.*") || t.contains("virginia") || t.contains("united states")) {
      return "us";
    }
    return "";
  }

  private static boolean deploymentOnly(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    return (t.contains("仅支持") || t.contains("only")) && !region(text).isEmpty();
  }

  /** One price column after spans are expanded: its metric, unit and the condition parts of its sub-header. */
  private record PriceColumn(String metric, Unit unit, String modality, String mode) {}

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    String region = home;
    boolean newFamily = false;
    for (Block b : PageBlocks.parse(body, ctx.format())) {
      if (b.isHeading()) {
        String r = region(b.text());
        if (!r.isEmpty()) {
          region = r;
          newFamily = false;
        } else if (b.level() <= 3) {
          newFamily = true;
        }
      } else if (b.isText() && newFamily && deploymentOnly(b.text())) {
        // a family deployed in one region says so instead of having region sections: "仅支持中国内地"
        region = region(b.text());
        newFamily = false;
      } else if (b.isTable()) {
        readTable(b, region, sink, ctx);
        newFamily = false;
      }
    }
    return sink.result("Model Studio price tables (模型名称 / Model | … | 输入单价（每百万Token）| 输出单价 …)");
  }

  private void readTable(Block table, String region, PriceSink sink, ExtractContext ctx) {
    List<String> header = table.header();
    if (header.isEmpty()) {
      return;
    }
    if (ModelTables.modelColumn(header) != 0) {
      AlibabaMedia.read(table, region.equals(home) ? "" : region, sink);
      return;
    }
    List<List<String>> body = table.body();
    List<String> sub = List.of();
    if (table.headerRows() > 1) {
      sub = table.rows().get(1);
    } else if (!body.isEmpty() && isSubHeader(body.get(0), header)) {
      sub = body.get(0);
      body = body.subList(1, body.size());
    }
    List<PriceColumn> columns = columns(header, sub, ctx);
    if (columns.isEmpty()) {
      // no column priced per token: prices per image, second or 10,000 characters, if any
      AlibabaMedia.read(table, region.equals(home) ? "" : region, sink);
      return;
    }
    String model = null;
    List<List<String>> modelRows = new ArrayList<>();
    for (List<String> row : body) {
      if (row.isEmpty()) {
        continue;
      }
      int i;
      String tier;
      String first = row.get(0).trim();
      if (isTier(first)) {
        if (model == null) {
          continue;
        }
        tier = PageText.contextTier(first).orElse("");
        i = 1;
      } else {
        String id = modelId(first);
        if (!isModelId(id)) {
          model = null;
          continue;
        }
        if (row.stream().skip(1).allMatch(String::isBlank)) {
          // a row span: this model shares the prices of the one above
          if (model != null) {
            for (List<String> shared : modelRows) {
              emit(id, shared, columns, region, sink, ctx);
            }
          }
          continue;
        }
        model = id;
        modelRows = new ArrayList<>();
        i = 1;
        if (i < row.size() && isMode(row.get(i))) {
          i++;
        }
        tier = "";
        if (i < row.size() && isTier(row.get(i))) {
          tier = PageText.contextTier(row.get(i)).orElse("");
          i++;
        }
      }
      List<String> prices = new ArrayList<>();
      prices.add(tier);
      for (; i < row.size(); i++) {
        String cell = row.get(i).trim();
        if (cell.equals("-") || cell.equals("—") || !PageText.amounts(cell).isEmpty() && !PageText.foreignUnit(cell)) {
          prices.add(cell);
        } else {
          break;
        }
      }
      if (prices.size() > 1) {
        modelRows.add(prices);
        emit(model, prices, columns, region, sink, ctx);
      }
    }
  }

  private static boolean isTier(String cell) {
    String c = cell.trim().toLowerCase(Locale.ROOT);
    return (c.matches("^\\d.*") || c.startsWith("no tiered") || c.startsWith("无阶梯"))
        && PageText.contextTier(c).isPresent();
  }

  private static boolean isModelId(String id) {
    return MODEL_ID.matcher(id).matches() && id.matches(".*[A-Za-z].*");
  }

  /** Emits one tier row: element 0 is the tier condition, the rest are price cells in column order. */
  private void emit(String model, List<String> tierRow, List<PriceColumn> columns, String region,
      PriceSink sink, ExtractContext ctx) {
    if (tierRow.size() - 1 > columns.size()) {
      throw ctx.fail("a row of " + model + " holds " + (tierRow.size() - 1) + " prices for " + columns.size()
          + " price columns");
    }
    for (int c = 1; c < tierRow.size(); c++) {
      List<PageText.Amount> amounts = PageText.amounts(tierRow.get(c));
      if (amounts.isEmpty()) {
        continue;
      }
      PriceColumn col = columns.get(c - 1);
      String condition = Conditions.builder()
          .set(Conditions.Slot.REGION, region.equals(home) ? "" : region)
          .set(Conditions.Slot.CONTEXT, tierRow.get(0)).set(Conditions.Slot.MODALITY, col.modality())
          .set(Conditions.Slot.MODE, col.mode()).build();
      PageText.Amount a = amounts.get(amounts.size() - 1);
      sink.add(model, col.metric(), condition, a.value(), col.unit(), a.currency());
    }
  }

  /** The model id of a first cell: the text before any "&gt; 50% off for batch calls"-style note. */
  private static String modelId(String cell) {
    String id = cell.split(">", 2)[0].trim();
    return id.isEmpty() ? id : id.split("\\s+")[0];
  }

  private static boolean isMode(String cell) {
    String c = cell.toLowerCase(Locale.ROOT);
    return c.contains("模式") || c.contains("mode") || c.contains("思考");
  }

  /** A sub-header row: labels under spanned price headers, no prices and no model. */
  private static boolean isSubHeader(List<String> row, List<String> header) {
    String words = "(?is).*(思考|thinking|文本|音频|图片|视频|text|audio|image|video).*";
    String first = modelId(row.get(0));
    boolean model = isModelId(first) && (first.matches(".*\\d.*") || first.equals(first.toLowerCase(Locale.ROOT)));
    return !row.isEmpty() && !model && PageText.amounts(String.join(" ", row)).isEmpty()
        && (row.get(0).matches(words) || row.get(0).equals(header.get(0)) && String.join(" ", row).matches(words));
  }

  private static List<PriceColumn> columns(List<String> header, List<String> sub, ExtractContext ctx) {
    List<String> metrics = new ArrayList<>();
    List<Unit> units = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    List<Integer> widths = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i);
      Optional<ModelTables.Column> col = ModelTables.classify(h);
      Optional<Unit> unit = PageText.unit(h);
      if (col.isEmpty() || unit.isEmpty() || PageText.foreignUnit(h)) {
        continue;
      }
      // a spanned header is followed by blank cells (markdown) or by copies of itself (expanded HTML)
      int width = 1;
      while (i + width < header.size()
          && (header.get(i + width).isBlank() || header.get(i + width).equals(h))) {
        width++;
      }
      metrics.add(col.get().metric());
      units.add(unit.get());
      starts.add(i);
      widths.add(width);
      i += width - 1;
    }
    List<String> labels = new ArrayList<>();
    if (!sub.isEmpty() && sub.get(0).equals(header.get(0))) {
      // aligned under the header (expanded HTML): only cells under spanned headers are sub-labels
      for (int g = 0; g < metrics.size(); g++) {
        for (int k = 0; widths.get(g) > 1 && k < widths.get(g); k++) {
          labels.add(sub.get(starts.get(g) + k).trim());
        }
      }
    } else {
      sub.stream().map(String::trim).filter(x -> !x.isEmpty()).forEach(labels::add);
    }
    int spanned = widths.stream().filter(w -> w > 1).mapToInt(Integer::intValue).sum();
    boolean thinkingPair = labels.size() == 2 && labels.stream().anyMatch(l -> l.contains("非思考")
        || l.toLowerCase(Locale.ROOT).contains("non-thinking"));
    if (!labels.isEmpty() && spanned != labels.size()) {
      if (thinkingPair && spanned == 0 && metrics.contains("output")) {
        widths.set(metrics.lastIndexOf("output"), 2);
      } else {
        throw ctx.fail("a table's sub-header has " + labels.size() + " labels for " + spanned
            + " spanned price columns: " + labels);
      }
    }
    if (labels.isEmpty() && spanned > 0) {
      throw ctx.fail("a price header spans " + spanned + " columns but the table has no sub-header naming them");
    }
    List<PriceColumn> out = new ArrayList<>();
    int next = 0;
    for (int g = 0; g < metrics.size(); g++) {
      for (int k = 0; k < widths.get(g); k++) {
        String label = widths.get(g) > 1 && next < labels.size() ? labels.get(next++) : "";
        out.add(new PriceColumn(metrics.get(g), units.get(g), modality(label), mode(label)));
      }
    }
    return out;
  }

  private static String mode(String label) {
    String l = label.toLowerCase(Locale.ROOT);
    if (l.contains("非思考") || l.contains("non-thinking")) {
      return Conditions.NON_THINKING;
    }
    if (l.contains("思考") || l.contains("thinking")) {
      return Conditions.THINKING;
    }
    return "";
  }

  private static String modality(String label) {
    String l = label.toLowerCase(Locale.ROOT);
    if (l.contains("音频") || l.contains("audio")) {
      return "audio";
    }
    if (l.contains("多模态") || l.contains("multimodal")) {
      return "multimodal-input";
    }
    if (l.contains("文本") || l.contains("text") || l.isEmpty() || !mode(label).isEmpty()) {
      return "";
    }
    if (l.contains("图片") || l.contains("视频") || l.contains("image") || l.contains("video")) {
      return "image/video";
    }
    return "";
  }
}
