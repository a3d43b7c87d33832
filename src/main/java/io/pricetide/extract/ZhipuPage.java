package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.List;
import java.util.Optional;

/**
 * Zhipu's Z.ai pricing page (docs.z.ai/guides/overview/pricing.md): sections "Text Models", "Vision Models", …, each
 * with "Prices per 1M tokens." and a table "Model | Input | Cached Input | Cached Input Storage | Output". A promotion
 * strikes the list price through ({@code ~~$0.15~~ $0.075}); the price in force is read. "Free" is a price of zero;
 * "Limited-time Free" storage is not a token price. Sections priced per image, video or use are skipped.
 */
final class ZhipuPage implements Extractor {
  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    Optional<Unit> sectionUnit = Optional.empty();
    boolean foreignSection = false;
    List<Block> blocks = PageBlocks.parse(body, ctx.format());
    for (Block b : blocks) {
      if (b.isHeading()) {
        sectionUnit = Optional.empty();
        foreignSection = false;
      } else if (b.isText() && b.text().toLowerCase(java.util.Locale.ROOT).startsWith("prices per")) {
        foreignSection = PageText.foreignUnit(b.text()) || PageText.unit(b.text()).isEmpty();
        sectionUnit = PageText.unit(b.text());
      } else if (b.isTable() && !foreignSection && ModelTables.isModelTable(b)) {
        ModelTables.read(b, sink, sectionUnit, cell -> {
          String model = PageText.modelName(cell);
          return model.isEmpty() ? null : new ModelTables.Named(model, Conditions.builder());
        });
      }
    }
    Retirements.read(blocks, sink);
    return sink.result("Z.ai price tables (Model | Input | Cached Input | Output) under \"Prices per 1M tokens.\"");
  }
}
