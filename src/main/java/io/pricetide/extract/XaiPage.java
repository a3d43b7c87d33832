package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * xAI's models page (docs.x.ai/docs/models): one table "Model | Modalities | Capabilities | Context | Rate limits |
 * Pricing" whose rows are grouped by section rows ("Language models … Per million tokens", "Image generation models
 * … Per image output"). The Pricing cell shows the input price then the output price with nothing between them
 * ({@code $0.20$0.50}). Only sections priced per tokens are read; a token price cell with other than two amounts
 * is a layout change and fails the extraction.
 */
final class XaiPage implements Extractor {
  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    for (Block b : PageBlocks.parse(body, ctx.format())) {
      if (!b.isTable()) {
        continue;
      }
      List<String> header = b.header();
      int model = ModelTables.modelColumn(header);
      int pricing = pricingColumn(header);
      if (model < 0 || pricing < 0) {
        continue;
      }
      read(b, model, pricing, sink, ctx);
    }
    return sink.result("the xAI model table (Model | … | Pricing) with a \"Per million tokens\" section");
  }

  private static int pricingColumn(List<String> header) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).trim().toLowerCase(Locale.ROOT).startsWith("pricing")) {
        return i;
      }
    }
    return -1;
  }

  private static void read(Block table, int model, int pricing, PriceSink sink, ExtractContext ctx) {
    Optional<Unit> unit = Optional.empty();
    for (List<String> row : table.body()) {
      String joined = String.join(" ", row);
      if (isSectionRow(row, model)) {
        unit = PageText.foreignUnit(joined) ? Optional.empty() : PageText.unit(joined);
        continue;
      }
      if (unit.isEmpty() || row.size() <= Math.max(model, pricing) || row.get(model).isBlank()) {
        continue;
      }
      String name = PageText.modelName(row.get(model));
      String cell = row.get(pricing);
      List<PageText.Amount> amounts = PageText.amounts(cell);
      if (amounts.size() != 2) {
        throw ctx.fail("pricing cell of " + name + " holds " + amounts.size()
            + " amounts; expected input then output: '" + cell + "'");
      }
      sink.add(name, "input", "", amounts.get(0).value(), unit.get(), amounts.get(0).currency());
      sink.add(name, "output", "", amounts.get(1).value(), unit.get(), amounts.get(1).currency());
    }
  }

  /** A row that names a group of models and its price unit instead of a model ("Language models … Per …"). */
  private static boolean isSectionRow(List<String> row, int model) {
    String first = row.size() > model ? row.get(model).trim() : "";
    return first.matches(".*\\s.*") && PageText.amounts(String.join(" ", row)).isEmpty();
  }
}
