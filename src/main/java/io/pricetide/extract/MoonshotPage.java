package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.List;
import java.util.Optional;

/**
 * Moonshot / Kimi pricing pages (platform.kimi.com/docs/pricing/*.md): an MDX {@code <DocTable columns rows/>} or a
 * pipe table per model family, "模型 | 计费单位 | 输入价格（缓存命中）| 输入价格（缓存未命中）| 输出价格 | 上下文窗口"
 * (or its English twin), prices in ¥ with the unit in its own column ("1M tokens").
 */
final class MoonshotPage implements Extractor {
  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    Optional<Unit> around = Optional.empty();
    List<Block> blocks = PageBlocks.parse(body, ctx.format());
    for (Block b : blocks) {
      if (b.isHeading()) {
        around = Optional.empty();
      } else if (b.isText() && around.isEmpty() && !PageText.foreignUnit(b.text())) {
        around = PageText.unit(b.text());
      } else if (b.isTable() && ModelTables.isModelTable(b)) {
        ModelTables.read(b, sink, around, cell -> {
          String model = PageText.modelName(cell);
          return model.isEmpty() ? null : new ModelTables.Named(model, Conditions.builder());
        });
      }
    }
    Retirements.read(blocks, sink);
    return sink.result("a Kimi price table (模型 | 计费单位 | 输入价格（缓存命中）| 输入价格（缓存未命中）| 输出价格)");
  }
}
