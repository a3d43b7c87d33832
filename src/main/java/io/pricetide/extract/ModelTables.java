package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The layout most vendor pages share: a table with one row per model and one column per price ("Model | Input |
 * Cached input | Output", "模型 | 输入价格（缓存命中）| …"). Header words decide the metric and the condition part
 * of each column; the unit comes from the cell, else the header, else a unit column of the row, else the text
 * around the table.
 */
final class ModelTables {
  private static final Pattern NUMBERED_MODEL = Pattern.compile("model\\s*\\(\\d\\)");
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final Pattern NOT_A_PRICE = Pattern.compile("storage|存储|context window|上下文|free quota|免费额度|"
      + "rate limit|estimated|tool|modalit|capabilit|计费单位|^unit$|description|per second|per image");
  private static final Pattern FIVE_MINUTES = Pattern.compile("\\b5m\\b|5-minute|5 min");
  private static final Pattern ONE_HOUR = Pattern.compile("\\b1h\\b|1-hour|1 hour");
  private static final Pattern CACHE_WRITE = Pattern.compile("(cache|缓存).*(write|creation|写入)|(write|写入).*(cache|缓存)");
  private static final Pattern CACHE_READ = Pattern.compile("cached|cache hit|cache read|缓存命中|命中缓存|cache refresh");
  private static final Pattern INPUT = Pattern.compile("input|输入|prompt");
  private static final Pattern OUTPUT = Pattern.compile("output|输出|completion");

  private ModelTables() {}

  /** What a price column holds: a metric plus the service tier and cache duration its header names. */
  record Column(String metric, String service, String cache) {}

  /** The index of the model column ("Model", "Models", "模型", "模型名称"), or -1. */
  static int modelColumn(List<String> header) {
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i).toLowerCase(Locale.ROOT).trim();
      if (h.equals("model") || h.equals("models") || h.startsWith("model name") || h.equals("模型")
          || h.equals("模型名称") || h.equals("model (1)") || NUMBERED_MODEL.matcher(h).matches()) {
        return i;
      }
    }
    return -1;
  }

  /** The index of a per-row unit column ("Unit", "计费单位"), or -1. */
  static int unitColumn(List<String> header) {
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i).toLowerCase(Locale.ROOT).trim();
      if (h.equals("unit") || h.equals("计费单位") || h.equals("billing unit")) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The metric a price column's header names, or empty for columns that hold no per-token price (storage, context
   * window, free quota, rate limits, tools, per-minute estimates).
   */
  static Optional<Column> classify(String header) {
    String h = BLANKS.matcher(header.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    if (h.isEmpty() || NOT_A_PRICE.matcher(h).find()) {
      return Optional.empty();
    }
    String service = h.contains("batch") ? Conditions.BATCH : "";
    String cache = FIVE_MINUTES.matcher(h).find() ? "5m" : ONE_HOUR.matcher(h).find() ? "1h" : "";
    if (CACHE_WRITE.matcher(h).find()) {
      return Optional.of(new Column("cache_write", service, cache));
    }
    if (h.contains("miss") || h.contains("未命中")) {
      return Optional.of(new Column("input", service, ""));
    }
    if (CACHE_READ.matcher(h).find()) {
      return Optional.of(new Column("cache_read", service, ""));
    }
    if (INPUT.matcher(h).find()) {
      return Optional.of(new Column("input", service, ""));
    }
    if (OUTPUT.matcher(h).find()) {
      return Optional.of(new Column("output", service, ""));
    }
    if (h.contains("training")) {
      return Optional.of(new Column("training", service, ""));
    }
    return Optional.empty();
  }

  /** True when the header has a model column and at least one price column. */
  static boolean isModelTable(Block table) {
    List<String> header = table.header();
    return table.isTable() && modelColumn(header) >= 0 && header.stream().anyMatch(h -> classify(h).isPresent());
  }

  /**
   * Reads a model table into the sink. {@code around} is the unit stated by the text around the table, if any;
   * {@code naming} turns a model cell into a model name and the condition parts of the row, the table's included
   * (or {@code null} to skip the row).
   */
  static void read(Block table, PriceSink sink, Optional<Unit> around, Function<String, Named> naming) {
    List<String> header = table.header();
    int modelCol = modelColumn(header);
    int unitCol = unitColumn(header);
    List<Optional<Column>> columns = header.stream().map(ModelTables::classify).toList();
    for (List<String> row : table.body()) {
      if (row.size() <= modelCol || row.get(modelCol).isBlank()) {
        continue;
      }
      Named named = naming.apply(row.get(modelCol));
      if (named == null) {
        continue;
      }
      Optional<Unit> rowUnit = unitCol >= 0 && unitCol < row.size() ? PageText.unit(row.get(unitCol))
          : Optional.empty();
      for (int c = 0; c < header.size() && c < row.size(); c++) {
        if (c == modelCol) {
          continue;
        }
        Optional<Column> column = columns.get(c);
        if (column.isEmpty()) {
          continue;
        }
        String cell = row.get(c);
        String head = header.get(c);
        if (PageText.foreignUnit(cell) || PageText.foreignUnit(head)) {
          continue;
        }
        Optional<Unit> unit = PageText.unit(cell).or(() -> PageText.unit(head)).or(() -> rowUnit)
            .or(() -> around);
        BigDecimal value;
        String currency = null;
        if (PageText.isFree(cell)) {
          value = BigDecimal.ZERO;
        } else {
          List<PageText.Amount> amounts = PageText.amounts(cell);
          if (amounts.isEmpty()) {
            continue;
          }
          // A promotion shows the list price before the price in force; the last amount is what is charged.
          PageText.Amount a = amounts.get(amounts.size() - 1);
          value = a.value();
          currency = a.currency();
        }
        if (unit.isEmpty()) {
          continue;
        }
        Column col = column.get();
        Conditions.Builder condition = named.condition().copy();
        if (!col.service().isEmpty()) {
          condition.set(Conditions.Slot.SERVICE, col.service());
        }
        if (!col.cache().isEmpty()) {
          condition.set(Conditions.Slot.CACHE, col.cache());
        }
        sink.add(named.model(), col.metric(), condition.build(), value, unit.get(), currency);
      }
    }
  }

  /** A model name read from a cell, with the condition parts the row carries (the table's base plus any of its own). */
  record Named(String model, Conditions.Builder condition) {}
}
