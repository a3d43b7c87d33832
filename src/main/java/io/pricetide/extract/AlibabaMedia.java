package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Metrics;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model Studio's tables priced per image ("0.5元/张", "per image"), per second of audio or video ("0.6元/秒",
 * "/second") and per 10,000 characters of speech ("输入单价（每万字符）", "per 10,000 characters"): typed series in the
 * unit the cell or its header states (#12 point 5), never a token price.
 *
 * <p>The metric is the column's direction: 输入单价 / input is {@code input_*}, 输出单价 / output {@code output_*}; a
 * column that names neither ("单价") is {@code output_image} per image unless the cell says "输入图像", and
 * {@code input_character} per character (text read aloud); a second of what it does not say is not read, nor is a
 * column priced "输入和输出单价" (input and output together, no metric of its own). Conditions: the region as for token
 * prices, the size a resolution column states ({@code 720p}, {@code 1k}), {@code no-audio} for a silent video type
 * (有声视频 is the base) and {@code reference-video} for "（有参考视频）", the mode id a mode column names
 * ({@code wan-pro}). A row without a model cell continues the model above (a row span): its cells are read by what
 * they hold (size, video type, mode, one price), the columns it lost are those of the row above. A cell listing
 * several prices gives each the condition its label states: a size ("480P：0.5元/秒" → {@code 480p}), an aspect ratio
 * ("1:1画幅视频：" → {@code 1:1}) or {@code prompt-extend} for "prompt_extend=true" (false is the base); a list whose
 * labels state none of these is not read. Not read either: free-quota columns (免费额度), cells without an amount
 * ("不计费", "限时免费"), prices per call (元/次) or voice (每个音色), and rows tiered by volume (阶梯层级 other than 无).
 */
final class AlibabaMedia {
  private static final Pattern SIZE = Pattern.compile("(?i)^(\\d{3,4}\\s?P|\\d\\s?K|\\d{3,4}\\s?[x×*]\\s?\\d{3,4})$");
  private static final Pattern MODE_ID = Pattern.compile("`?([A-Za-z][A-Za-z0-9._-]*)`?");
  private static final Pattern LABEL_SIZE = Pattern.compile("(?i)(?<![\\d.])(\\d{3,4}\\s?P|\\d\\s?K)(?![a-z])");
  private static final Pattern ASPECT = Pattern.compile("(\\d{1,2}:\\d{1,2})\\s*画幅");
  private static final Pattern PROMPT_EXTEND = Pattern.compile("prompt_extend\\s*=\\s*(true|false)");
  private static final Pattern MODEL_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/\\-]*$");

  private AlibabaMedia() {}

  private enum Role { PRICE, SIZE, TYPE, MODE, TIER, OTHER }

  /** One column: what it holds and, for a price column, its direction ("input", "output" or "" for none said). */
  private record Column(Role role, String direction, Optional<Unit> unit) {}

  /** What a row states for one model, carried to the rows that continue it. */
  private static final class State {
    String model;
    String size = "";
    String type = "";
    String mode = "";
    List<Integer> priced = List.of();
    final List<Object[]> added = new ArrayList<>();
  }

  /** True for a table whose header has a model column and a price column that is not per token. */
  static boolean read(Block table, String regionPart, PriceSink sink) {
    List<String> header = table.header();
    int m = ModelTables.modelColumn(header);
    if (m < 0) {
      return false;
    }
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      columns.add(i == m ? new Column(Role.OTHER, "", Optional.empty()) : column(header.get(i)));
    }
    if (columns.stream().noneMatch(c -> c.role() == Role.PRICE)) {
      return false;
    }
    State s = null;
    for (List<String> row : table.body()) {
      if (row.stream().allMatch(String::isBlank)) {
        continue;
      }
      String id = row.size() > m ? modelId(row.get(m)) : "";
      if (isModelId(id) && size(id).isEmpty()) {
        if (row.stream().filter(c -> !c.isBlank()).count() == 1 && s != null && s.model != null) {
          // a model-only row: a row span gives it the prices of the model above
          for (Object[] a : s.added) {
            sink.add(id, (String) a[0], (String) a[1], (BigDecimal) a[2], (Unit) a[3], (String) a[4]);
          }
          continue;
        }
        s = new State();
        s.model = id;
        List<Integer> priced = new ArrayList<>();
        for (int i = 0; i < row.size() && i < columns.size(); i++) {
          Column c = columns.get(i);
          String cell = row.get(i).trim();
          switch (c.role()) {
            case SIZE -> s.size = size(cell);
            case TYPE -> s.type = cell;
            case MODE -> s.mode = cell;
            case TIER -> {
              if (!cell.isEmpty() && !cell.equals("无")) {
                s.model = null; // tiered by volume: neither this row nor the tiers below it are read
              }
            }
            default -> { }
          }
          if (c.role() == Role.PRICE && !cell.isEmpty()) {
            priced.add(i);
          }
        }
        s.priced = priced;
        if (s.model == null) {
          continue;
        }
        for (int i : priced) {
          add(s, columns.get(i), row.get(i), regionPart, sink);
        }
      } else if (s != null && s.model != null) {
        List<String> prices = new ArrayList<>();
        for (String raw : row) {
          String cell = raw.trim();
          if (!PageText.amounts(cell).isEmpty() || cell.contains("计费") || cell.contains("免费")) {
            prices.add(cell);
          } else if (!size(cell).isEmpty()) {
            s.size = size(cell);
          } else if (cell.contains("视频")) {
            s.type = cell;
          } else if (cell.contains("模式") || cell.toLowerCase(Locale.ROOT).contains("mode")) {
            s.mode = cell;
          }
        }
        if (prices.size() == s.priced.size()) {
          for (int k = 0; k < prices.size(); k++) {
            add(s, columns.get(s.priced.get(k)), prices.get(k), regionPart, sink);
          }
        }
      }
    }
    return true;
  }

  private static void add(State s, Column col, String cell, String regionPart, PriceSink sink) {
    List<PageText.Amount> amounts = PageText.amounts(cell);
    Optional<Unit> cellUnit = PageText.otherUnit(cell);
    Optional<Unit> unit = cellUnit.isPresent() ? cellUnit : col.unit();
    if (amounts.isEmpty() || unit.isEmpty()
        || col.unit().isPresent() && cellUnit.isPresent() && col.unit().get() != cellUnit.get()) {
      return;
    }
    String direction = cell.contains("输入") ? "input" : cell.contains("输出") ? "output" : col.direction();
    String metric = metric(unit.get(), direction);
    String type = videoType(s.type);
    if (metric == null || type == null) {
      return;
    }
    Matcher mode = MODE_ID.matcher(s.mode);
    Conditions.Builder base = Conditions.builder().set(Conditions.Slot.REGION, regionPart)
        .set(Conditions.Slot.MODALITY, s.type.contains("有参考视频") ? "reference-video" : "")
        .set(Conditions.Slot.MODE, type.isEmpty() ? (mode.find() ? mode.group(1) : "") : type)
        .set(Conditions.Slot.SIZE, s.size);
    List<String> conditions = new ArrayList<>();
    if (amounts.size() == 1) {
      conditions.add(base.build());
    } else {
      // a list in one cell: each price after the label that tells it apart ("480P：", "1:1画幅视频：", "prompt_extend=true")
      int from = 0;
      for (int k = 0; k < amounts.size(); k++) {
        PageText.Amount a = amounts.get(k);
        String label = cell.substring(from, a.start());
        int next = k + 1 < amounts.size() ? amounts.get(k + 1).start() : cell.length();
        from = a.end();
        Optional<String> condition = labelled(base.copy(), label);
        if (condition.isEmpty() || !PageText.otherUnit(cell.substring(a.end(), next)).equals(unit)
            || conditions.contains(condition.get())) {
          return; // a price the cell does not tell apart from the others, or in another unit: none is read
        }
        conditions.add(condition.get());
      }
    }
    for (int k = 0; k < amounts.size(); k++) {
      PageText.Amount a = amounts.get(k);
      if (a.value().signum() == 0) {
        continue;
      }
      sink.add(s.model, metric, conditions.get(k), a.value(), unit.get(), a.currency());
      s.added.add(new Object[] {metric, conditions.get(k), a.value(), unit.get(), a.currency()});
    }
  }

  /** The condition of one price of a list in a cell, by its label's size, aspect ratio or prompt_extend setting. */
  private static Optional<String> labelled(Conditions.Builder b, String label) {
    Matcher size = LABEL_SIZE.matcher(label);
    Matcher aspect = ASPECT.matcher(label);
    Matcher extend = PROMPT_EXTEND.matcher(label);
    if (size.find()) {
      return Optional.of(b.set(Conditions.Slot.SIZE, size.group(1).replaceAll("\\s", "").toLowerCase(Locale.ROOT))
          .build());
    }
    if (aspect.find()) {
      return Optional.of(b.set(Conditions.Slot.SIZE, aspect.group(1)).build());
    }
    if (extend.find()) {
      return Optional.of(b.set(Conditions.Slot.MODE, extend.group(1).equals("true") ? "prompt-extend" : "").build());
    }
    return Optional.empty();
  }

  /** The metric of a price per {@code unit} in a direction; null when the direction is needed and not said. */
  private static String metric(Unit unit, String direction) {
    boolean input = direction.equals("input");
    return switch (unit.quantity()) {
      case IMAGES -> input ? Metrics.INPUT_IMAGE : Metrics.OUTPUT_IMAGE;
      case SECONDS -> direction.isEmpty() ? null : input ? Metrics.INPUT_SECOND : Metrics.OUTPUT_SECOND;
      case CHARACTERS -> direction.equals("output") ? Metrics.OUTPUT_CHARACTER : Metrics.INPUT_CHARACTER;
      default -> null;
    };
  }

  /** "" for a video with sound (or no type), {@code no-audio} for a silent one; null for a type not understood. */
  private static String videoType(String type) {
    if (type.isEmpty() || type.startsWith("有声视频")) {
      return "";
    }
    return type.startsWith("无声视频") ? "no-audio" : null;
  }

  private static Column column(String header) {
    String h = header.toLowerCase(Locale.ROOT);
    Optional<Unit> unit = PageText.otherUnit(header);
    if (h.contains("免费") || h.contains("free")) {
      return new Column(Role.OTHER, "", Optional.empty());
    }
    if (h.contains("阶梯")) {
      return new Column(Role.TIER, "", Optional.empty());
    }
    if (h.contains("分辨率") || h.contains("resolution") || h.contains("size")) {
      return new Column(Role.SIZE, "", Optional.empty());
    }
    if (h.contains("视频类型") || h.contains("video type")) {
      return new Column(Role.TYPE, "", Optional.empty());
    }
    if (h.contains("模式") || h.contains("mode")) {
      return new Column(Role.MODE, "", Optional.empty());
    }
    if (h.contains("单价") || h.contains("price") || h.contains("cost")) {
      if (PageText.unit(header).isPresent() || h.contains("输入和输出") || h.contains("input and output")
          || h.contains("每个") || h.contains("per voice")) {
        return new Column(Role.OTHER, "", Optional.empty()); // tokens, in and out together, per voice
      }
      String direction = h.contains("输入") || h.contains("input") ? "input"
          : h.contains("输出") || h.contains("output") ? "output" : "";
      return new Column(Role.PRICE, direction, unit);
    }
    return new Column(Role.OTHER, "", Optional.empty());
  }

  /** A size as a condition part: {@code 720p}, {@code 1k}, {@code 1024x1024}; "" when the cell states none. */
  private static String size(String cell) {
    String c = cell.replace('\u00a0', ' ').trim();
    if (!SIZE.matcher(c).matches()) {
      return "";
    }
    return c.replaceAll("\\s", "").replace('×', 'x').replace('*', 'x').toLowerCase(Locale.ROOT);
  }

  /** The model id of a cell: before a "> note" and any blank, markdown's escaping backslashes dropped. */
  private static String modelId(String cell) {
    String id = cell.replace("\\", "").split(">", 2)[0].trim();
    return id.isEmpty() ? id : id.split("\\s+")[0];
  }

  private static boolean isModelId(String id) {
    return MODEL_ID.matcher(id).matches() && id.matches(".*[A-Za-z].*");
  }
}
