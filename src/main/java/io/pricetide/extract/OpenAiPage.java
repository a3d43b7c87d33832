package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's pricing page (platform.openai.com/docs/pricing). Sections ("Text tokens", "Image tokens", "Audio tokens",
 * "Fine-tuning", "Embeddings", "Legacy models", "Transcription…") each state their unit ("Prices per 1M tokens.")
 * and hold one table per service tier, labelled by the line before it: Batch, Flex, Standard, Priority. Columns are
 * "Model | Input | Cached input | Output" (fine-tuning adds Training; embeddings say "Cost | Batch cost").
 * Conditions: {@code batch}, {@code flex}, {@code priority}; {@code image} or {@code audio} for those token kinds;
 * {@code fine-tuned} (and {@code data-sharing}) for fine-tuned inference. Sections priced per image, second or
 * minute are skipped.
 *
 * <p>The 2024 page survives as a text dump of price cards (a model name in capitals, then "Input" / "$10.00 / 1M
 * tokens" lines); the text format reads those cards.
 */
final class OpenAiPage implements Extractor {
  private static final Pattern DATA_SHARING = Pattern.compile("(?i)\\s*with data sharing$");
  private static final Pattern CARD_VALUE = Pattern.compile("^\\$([\\d.,]+)\\s*/\\s*(1[MK])\\s+tokens$");
  private static final List<String> CARD_LABELS = List.of("input", "output", "training", "input usage",
      "output usage", "usage");

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    List<Block> blocks = PageBlocks.parse(body, ctx.format());
    readTables(blocks, sink);
    if ("text".equals(ctx.format())) {
      readCards(blocks, sink);
    }
    Retirements.read(blocks, sink);
    return sink.result("OpenAI price tables (Model | Input | Cached input | Output) under \"Prices per 1M tokens.\"");
  }

  private static void readTables(List<Block> blocks, PriceSink sink) {
    String section = "";
    String subsection = "";
    Optional<Unit> unit = Optional.empty();
    Optional<Unit> other = Optional.empty();
    boolean foreign = false;
    String label = "";
    for (Block b : blocks) {
      if (b.isHeading()) {
        if (b.level() <= 3) {
          section = b.text().toLowerCase(Locale.ROOT);
          subsection = "";
          unit = Optional.empty();
          other = Optional.empty();
          foreign = false;
        } else {
          subsection = b.text().toLowerCase(Locale.ROOT);
        }
        label = "";
      } else if (b.isText()) {
        String t = b.text().trim();
        if (t.toLowerCase(Locale.ROOT).startsWith("prices per")) {
          foreign = PageText.foreignUnit(t) || PageText.unit(t).isEmpty();
          unit = PageText.unit(t);
          other = foreign ? PageText.otherUnit(t) : Optional.empty();
        }
        label = t.toLowerCase(Locale.ROOT);
      } else if (b.isTable()) {
        Conditions.Builder c = condition(section, subsection, label);
        if (foreign) {
          Unit u = other.orElse(null);
          other.flatMap(OpenAiPage::mediaMetric)
              .ifPresent(metric -> OtherPrices.readMediaTable(b, u, metric, c, sink));
        } else if (OtherPrices.isToolTable(b)) {
          OtherPrices.readToolTable(b, sink);
        } else if (ModelTables.isModelTable(headers(b, section, false))) {
          readTable(headers(b, section, !label.isEmpty() && !label.equals("standard")), sink, unit, c);
        } else {
          OtherPrices.readCostTable(b, c, sink);
        }
        label = "";
      }
    }
  }

  /** A section priced per image is image generation, one priced per second video generation. */
  private static Optional<String> mediaMetric(Unit unit) {
    return switch (unit.quantity()) {
      case IMAGES -> Optional.of(io.pricetide.price.Metrics.OUTPUT_IMAGE);
      case SECONDS -> Optional.of(io.pricetide.price.Metrics.OUTPUT_SECOND);
      default -> Optional.empty();
    };
  }

  /**
   * Header words that mean something else in a section: in embeddings "Cost" is the input price and "Batch cost"
   * its batch price; a Batch fine-tuning table repeats the training price, which has no batch variant.
   */
  private static Block headers(Block b, String section, boolean tiered) {
    List<List<String>> rows = new ArrayList<>(b.rows());
    if (rows.isEmpty()) {
      return b;
    }
    List<String> header = new ArrayList<>(b.header());
    if (section.contains("embedding")) {
      header.replaceAll(h -> h.equalsIgnoreCase("cost") ? "Input"
          : h.equalsIgnoreCase("batch cost") ? "Batch input" : h);
    }
    if (tiered) {
      header.replaceAll(h -> h.equalsIgnoreCase("training") ? "" : h);
    }
    rows.set(0, header);
    return Block.table(rows, b.headerRows());
  }

  private static Conditions.Builder condition(String section, String subsection, String label) {
    Conditions.Builder c = Conditions.builder();
    switch (label) {
      case "batch" -> c.set(Conditions.Slot.SERVICE, Conditions.BATCH);
      case "flex" -> c.set(Conditions.Slot.SERVICE, Conditions.FLEX);
      case "priority" -> c.set(Conditions.Slot.SERVICE, Conditions.PRIORITY);
      default -> {
        // standard, or no label: the base price
      }
    }
    if (section.contains("fine-tuning") || section.contains("fine tuning")) {
      c.set(Conditions.Slot.TUNING, Conditions.FINE_TUNED);
    }
    String kind = subsection.isEmpty() ? section : subsection;
    if (kind.startsWith("image tokens")) {
      c.set(Conditions.Slot.MODALITY, "image");
    } else if (kind.startsWith("audio tokens")) {
      c.set(Conditions.Slot.MODALITY, "audio");
    }
    return c;
  }

  private static void readTable(Block table, PriceSink sink, Optional<Unit> unit, Conditions.Builder base) {
    if (!ModelTables.isModelTable(table)) {
      return;
    }
    ModelTables.read(table, sink, unit, cell -> {
      String model = PageText.modelName(cell);
      Conditions.Builder c = base.copy();
      Matcher shared = DATA_SHARING.matcher(model);
      if (shared.find()) {
        model = model.substring(0, shared.start()).trim();
        c.set(Conditions.Slot.SHARING, Conditions.DATA_SHARING);
      }
      return model.isEmpty() ? null : new ModelTables.Named(model, c);
    });
  }

  /** The 2024 text dump: cards of a capitalised model name followed by label and price lines. */
  private static void readCards(List<Block> blocks, PriceSink sink) {
    String section = "";
    for (int i = 0; i < blocks.size(); i++) {
      String line = blocks.get(i).text().trim();
      if (!isCapitals(line)) {
        continue;
      }
      int j = i + 1;
      if (j + 1 < blocks.size() && CARD_LABELS.contains(blocks.get(j).text().trim().toLowerCase(Locale.ROOT))
          && CARD_VALUE.matcher(blocks.get(j + 1).text().trim()).matches()) {
        i = readCard(line.toLowerCase(Locale.ROOT), section, blocks, j, sink) - 1;
      } else {
        section = line;
      }
    }
  }

  private static int readCard(String model, String section, List<Block> blocks, int start, PriceSink sink) {
    Conditions.Builder c = Conditions.builder();
    if (section.contains("FINE-TUNING")) {
      c.set(Conditions.Slot.TUNING, Conditions.FINE_TUNED);
    }
    int j = start;
    while (j + 1 < blocks.size()) {
      String label = blocks.get(j).text().trim().toLowerCase(Locale.ROOT);
      Matcher v = CARD_VALUE.matcher(blocks.get(j + 1).text().trim());
      if (!CARD_LABELS.contains(label) || !v.matches()) {
        break;
      }
      BigDecimal amount = new BigDecimal(v.group(1).replace(",", ""));
      Unit unit = v.group(2).equals("1M") ? Unit.PER_1M : Unit.PER_1K;
      String condition = c.build();
      switch (label) {
        case "input", "input usage" -> sink.add(model, "input", condition, amount, unit, "USD");
        case "output", "output usage" -> sink.add(model, "output", condition, amount, unit, "USD");
        case "training" -> sink.add(model, "training", condition, amount, unit, "USD");
        default -> {
          // "Usage": one price for every token; embeddings have no output tokens
          sink.add(model, "input", condition, amount, unit, "USD");
          if (!section.contains("EMBEDDING")) {
            sink.add(model, "output", condition, amount, unit, "USD");
          }
        }
      }
      j += 2;
    }
    return j;
  }

  private static boolean isCapitals(String line) {
    return line.length() > 1 && line.matches(".*[A-Z].*") && line.equals(line.toUpperCase(Locale.ROOT))
        && !line.contains("$") && !line.startsWith("*") && !line.contains("[");
  }
}
