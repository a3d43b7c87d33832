package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Anthropic's pricing page (docs.claude.com/en/docs/about-claude/pricing, markdown at {@code .md}). The model table
 * "Model | Base Input Tokens | 5m Cache Writes | 1h Cache Writes | Cache Hits &amp; Refreshes | Output Tokens" gives
 * input, {@code cache_write} under {@code 5m} and {@code 1h}, {@code cache_read} and output, all "$x / MTok"; the
 * batch table "Model | Batch input | Batch output" gives the {@code batch} prices; the long-context table has no
 * model column ("≤ 200K input tokens | > 200K input tokens", cells "Input: $6 / MTok") and applies to the models the
 * text above it names, which it finds among the models of the model table; its prices get {@code >200k}.
 * "(deprecated)" is dropped from model names.
 *
 * <p>The 2024 marketing page survives as a text dump of cards (a capitalised name such as "HAIKU" under "CLAUDE 3
 * PRICING", then "Input: $0.25 / MTok" bullets); the text format reads those, naming the model "Claude 3 Haiku".
 */
final class AnthropicPage implements Extractor {
  private static final Pattern BULLET = Pattern.compile("^\\*?\\s*(Input|Output):\\s*(\\$[\\d.,]+\\s*/\\s*\\S+)");
  private static final Pattern FAMILY = Pattern.compile("^CLAUDE (\\S+) PRICING$");

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    List<Block> blocks = PageBlocks.parse(body, ctx.format());
    Set<String> models = new LinkedHashSet<>();
    List<String> textSinceHeading = new ArrayList<>();
    for (Block b : blocks) {
      if (b.isHeading()) {
        textSinceHeading.clear();
      } else if (b.isText()) {
        textSinceHeading.add(b.text());
      } else if (ModelTables.isModelTable(b)) {
        ModelTables.read(b, sink, Optional.empty(), cell -> {
          String model = PageText.modelName(cell);
          if (model.isEmpty()) {
            return null;
          }
          models.add(model);
          return new ModelTables.Named(model, Conditions.builder());
        });
      } else if (b.isTable() && isTierTable(b)) {
        readLongContext(b, String.join(" ", textSinceHeading), models, sink, ctx);
      }
    }
    if ("text".equals(ctx.format())) {
      readCards(blocks, sink);
    }
    OtherPrices.readSearchSentences(blocks, sink);
    Retirements.read(blocks, sink);
    return sink.result("the Claude model price table (Model | Base Input Tokens | … | Output Tokens)");
  }

  /** A table whose headers are prompt-size tiers ("≤ 200K input tokens | > 200K input tokens"). */
  private static boolean isTierTable(Block b) {
    return !b.header().isEmpty() && b.header().stream().allMatch(h -> PageText.contextTier(h).isPresent());
  }

  private static void readLongContext(Block table, String text, Set<String> models, PriceSink sink,
      ExtractContext ctx) {
    List<String> named = new ArrayList<>();
    for (String model : models) {
      String shortName = model.replaceFirst("^Claude\\s+", "");
      Pattern p = Pattern.compile("(?<![\\w.])(?:Claude\\s+)?" + Pattern.quote(shortName) + "(?![\\w]|\\.\\d)");
      if (p.matcher(text).find()) {
        named.add(model);
      }
    }
    if (named.isEmpty()) {
      throw ctx.fail("the long-context price table follows text naming no model of the model table: '"
          + text.substring(0, Math.min(200, text.length())) + "'");
    }
    List<String> header = table.header();
    for (int c = 0; c < header.size(); c++) {
      String tier = PageText.contextTier(header.get(c)).orElse("");
      if (tier.isEmpty()) {
        continue; // the lowest tier repeats the model table's base prices
      }
      for (List<String> row : table.body()) {
        if (c >= row.size()) {
          continue;
        }
        String cell = row.get(c);
        int colon = cell.indexOf(':');
        Optional<ModelTables.Column> metric = colon < 0 ? Optional.empty()
            : ModelTables.classify(cell.substring(0, colon));
        List<PageText.Amount> amounts = PageText.amounts(cell);
        Optional<Unit> unit = PageText.unit(cell);
        if (metric.isEmpty() || amounts.size() != 1 || unit.isEmpty()) {
          continue;
        }
        String condition = Conditions.builder().set(Conditions.Slot.CONTEXT, tier)
            .set(Conditions.Slot.CACHE, metric.get().cache()).build();
        for (String model : named) {
          sink.add(model, metric.get().metric(), condition, amounts.get(0).value(), unit.get(),
              amounts.get(0).currency());
        }
      }
    }
  }

  /** The 2024 text dump: "CLAUDE 3 PRICING", then a name in capitals and "* Input: $x / MTok" bullets. */
  private static void readCards(List<Block> blocks, PriceSink sink) {
    String family = "";
    String name = "";
    for (Block b : blocks) {
      String line = b.text().trim();
      String bare = line.replaceFirst("^\\*\\s*", "");
      Matcher f = FAMILY.matcher(bare);
      if (f.matches() || bare.endsWith(" PRICING")) {
        family = f.matches() ? f.group(1) : "";
        name = "";
        continue;
      }
      if (bare.length() > 1 && bare.equals(bare.toUpperCase(Locale.ROOT)) && bare.matches(".*[A-Z].*")
          && !bare.contains("$") && !bare.contains("[")) {
        name = bare;
        continue;
      }
      Matcher m = BULLET.matcher(line);
      if (!m.find() || name.isEmpty()) {
        continue;
      }
      List<PageText.Amount> amounts = PageText.amounts(m.group(2));
      Optional<Unit> unit = PageText.unit(m.group(2));
      if (amounts.size() != 1 || unit.isEmpty()) {
        continue;
      }
      String model = titleCase(name.startsWith("CLAUDE") || family.isEmpty() ? name : "CLAUDE " + family + " " + name);
      sink.add(model, m.group(1).toLowerCase(Locale.ROOT), "", amounts.get(0).value(), unit.get(),
          amounts.get(0).currency());
    }
  }

  private static String titleCase(String upper) {
    StringBuilder sb = new StringBuilder();
    for (String w : upper.toLowerCase(Locale.ROOT).split(" ")) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(w.isEmpty() ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
    }
    return sb.toString();
  }
}
