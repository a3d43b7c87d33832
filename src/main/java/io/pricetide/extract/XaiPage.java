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
 * ({@code $0.20$0.50}). A token price cell with other than two amounts is a layout change and fails the extraction.
 * A section "Per image output" gives {@code output_image} per image. The tool tables ("Tool | Cost per 1,000 calls",
 * "Item | Price": {@link OtherPrices}), Live Search ("$25 per 1,000 sources", {@code search_source}) and the
 * retirement dates the page states ({@link Retirements}) are read beside them.
 */
final class XaiPage implements Extractor {
  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    List<Block> blocks = PageBlocks.parse(body, ctx.format());
    for (Block b : blocks) {
      if (!b.isTable()) {
        continue;
      }
      if (OtherPrices.isToolTable(b)) {
        OtherPrices.readToolTable(b, sink);
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
    OtherPrices.readSearchSentences(blocks, sink);
    Retirements.read(blocks, sink);
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
    Optional<Unit> other = Optional.empty();
    for (List<String> row : table.body()) {
      String joined = String.join(" ", row);
      if (isSectionRow(row, model)) {
        unit = PageText.foreignUnit(joined) ? Optional.empty() : PageText.unit(joined);
        other = unit.isEmpty() ? PageText.otherUnit(joined).filter(u -> u == Unit.PER_IMAGE) : Optional.empty();
        continue;
      }
      if (row.size() <= Math.max(model, pricing) || row.get(model).isBlank()) {
        continue;
      }
      String name = PageText.modelName(row.get(model));
      String cell = row.get(pricing);
      List<PageText.Amount> amounts = PageText.amounts(cell);
      if (other.isPresent() && amounts.size() == 1) {
        // "Image generation models … Per image output": one price per generated image
        sink.add(name, io.pricetide.price.Metrics.OUTPUT_IMAGE, "", amounts.get(0).value(), other.get(),
            amounts.get(0).currency());
        continue;
      }
      if (unit.isEmpty()) {
        continue;
      }
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
