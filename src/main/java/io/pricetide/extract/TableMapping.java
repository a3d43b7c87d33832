package io.pricetide.extract;

import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The declarative part shared by the HTML-table and markdown-table extractors: which header holds the model, which
 * header label maps to which metric, and how cells become observations. A header matches the label it equals
 * (ignoring case and blanks) or else the longest label it contains, so "Cached input" does not fall to "Input".
 * The unit comes from the header text ("per 1M tokens"), else from the source file.
 */
final class TableMapping {
  static final java.util.Set<String> KEYS = java.util.Set.of("model_column", "columns", "unit", "condition");

  private final String modelColumn;
  private final Map<String, String> columns = new LinkedHashMap<>();
  private final Unit defaultUnit;
  private final String condition;

  TableMapping(Map<String, Object> cfg, String sourceUnit) {
    this.modelColumn = norm(Configs.string(cfg, "model_column", "model"));
    Configs.map(cfg, "columns").forEach((label, metric) -> columns.put(norm(label), String.valueOf(metric)));
    this.defaultUnit = Unit.parse(Configs.string(cfg, "unit", sourceUnit == null ? "per_1m" : sourceUnit));
    this.condition = Configs.string(cfg, "condition", "");
  }

  static String norm(String s) {
    return s.replace('\u00a0', ' ').replaceAll("\\s+", " ").trim().toLowerCase(Locale.ROOT);
  }

  /** True when these headers hold the model column and at least one mapped price column. */
  boolean matches(List<String> headers) {
    return modelIndex(headers) >= 0 && headers.stream().anyMatch(h -> metricFor(h) != null);
  }

  private int modelIndex(List<String> headers) {
    for (int i = 0; i < headers.size(); i++) {
      String h = norm(headers.get(i));
      if (h.equals(modelColumn) || h.startsWith(modelColumn)) {
        return i;
      }
    }
    return -1;
  }

  private String metricFor(String header) {
    String h = norm(header);
    if (columns.containsKey(h)) {
      return columns.get(h);
    }
    String best = null;
    int bestLen = -1;
    for (Map.Entry<String, String> e : columns.entrySet()) {
      if (h.contains(e.getKey()) && e.getKey().length() > bestLen) {
        best = e.getValue();
        bestLen = e.getKey().length();
      }
    }
    return best;
  }

  /** Rows to observations; a row without a model name or without any price is skipped. */
  List<Observation> read(List<String> headers, List<List<String>> rows, ExtractContext ctx) {
    int modelIdx = modelIndex(headers);
    List<Observation> out = new ArrayList<>();
    String[] metrics = new String[headers.size()];
    Unit[] units = new Unit[headers.size()];
    for (int i = 0; i < headers.size(); i++) {
      metrics[i] = i == modelIdx ? null : metricFor(headers.get(i));
      units[i] = CellValues.unit(headers.get(i)).orElse(defaultUnit);
    }
    for (List<String> row : rows) {
      if (row.size() <= modelIdx) {
        continue;
      }
      String model = row.get(modelIdx).replace('\u00a0', ' ').trim();
      if (model.isEmpty()) {
        continue;
      }
      for (int i = 0; i < row.size() && i < metrics.length; i++) {
        if (metrics[i] == null) {
          continue;
        }
        Optional<CellValues.Money> money = CellValues.money(row.get(i));
        if (money.isEmpty()) {
          continue;
        }
        String currency = money.get().currency() != null ? money.get().currency() : ctx.source().currency();
        out.add(ctx.observation(ctx.source().provider(), model, metrics[i], condition, money.get().amount(),
            units[i], currency));
      }
    }
    return out;
  }
}
