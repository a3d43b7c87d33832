package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Observation;
import io.pricetide.price.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mistral's API pricing (mistral.ai/pricing; docs.mistral.ai/platform/pricing before 2024-06). Tables "Model |
 * Input | Output" per 1M tokens. Where the page quotes the same price in several currencies ("Input (USD) | Output
 * (USD) | Input (EUR) | Output (EUR)") each currency is kept as its own series in its own currency: the source's
 * currency is the base price (no condition), and each other currency carries its ISO code as the condition's
 * currency part ({@code EUR}), with its own USD normalisation beside it; so the base series, which the price views,
 * drift and alerts compare across sources, is the one the page quotes first-hand in the source's currency, and keeps
 * its key when a page adds a currency. The 2024 docs page survives only as a text dump whose table cells ran
 * together ("Mistral Smallmistral-small-latest2$ / 1M tokens6$ / 1M tokens1.85€ / 1M tokens…"); the text format
 * splits it on the price groups and names each model by its API endpoint.
 */
final class MistralPage implements Extractor {
  private static final String PRICE = "(\\d+(?:\\.\\d+)?)\\s?([$€])\\s?/\\s?1M\\s?tokens";
  private static final Pattern HEADER =
      Pattern.compile("Model\\s?Endpoint((?:\\s?(?:Input|Output) \\((?:USD|EUR)\\))+)");
  private static final Pattern HEADER_COLUMN = Pattern.compile("(Input|Output) \\((USD|EUR)\\)");

  @Override
  public List<Observation> extract(String body, ExtractContext ctx) {
    PriceSink sink = new PriceSink(ctx);
    String currency = ctx.source().currency();
    Optional<Unit> around = Optional.empty();
    List<Block> blocks = PageBlocks.parse(body, ctx.format());
    for (Block b : blocks) {
      if (b.isHeading()) {
        around = Optional.empty();
      } else if (b.isText() && PageText.unit(b.text()).isPresent() && !PageText.foreignUnit(b.text())) {
        around = PageText.unit(b.text());
      } else if (b.isTable() && ModelTables.isModelTable(b)) {
        ModelTables.read(inCurrency(b, currency), sink, around, naming(""));
        for (String other : otherCurrencies(b, currency)) {
          // A cell is read only with its currency sign (PageText.amounts), so no EUR cell passes for dollars.
          ModelTables.read(onlyCurrency(b, other), sink, around, naming(other));
        }
      }
    }
    if ("text".equals(ctx.format())) {
      readRunTogether(body, currency, sink);
    }
    Retirements.read(blocks, sink);
    return sink.result("Mistral price tables (Model | Input | Output per 1M tokens)");
  }

  /** Model names from the cell, with the currency part of the condition ("" for the source's own currency). */
  private static java.util.function.Function<String, ModelTables.Named> naming(String otherCurrency) {
    return cell -> {
      String model = PageText.modelName(cell);
      return model.isEmpty() ? null : new ModelTables.Named(model,
          Conditions.builder().set(Conditions.Slot.CURRENCY, otherCurrency));
    };
  }

  /** The currencies other than the source's own whose columns a table quotes beside the source's own. */
  private static List<String> otherCurrencies(Block table, String currency) {
    List<String> header = table.header();
    if (header.stream().noneMatch(h -> currency.equals(headerCurrency(h)))) {
      return List.of();
    }
    return header.stream().map(MistralPage::headerCurrency).filter(c -> c != null && !c.equals(currency))
        .distinct().toList();
  }

  /** Drops the price columns quoted in another currency when the table also quotes the source's own. */
  private static Block inCurrency(Block table, String currency) {
    boolean hasOwn = table.header().stream().anyMatch(h -> currency.equals(headerCurrency(h)));
    return hasOwn ? onlyCurrency(table, currency) : table;
  }

  /** The table with the columns of no currency and those quoted in {@code currency}. */
  private static Block onlyCurrency(Block table, String currency) {
    List<String> header = table.header();
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      String c = headerCurrency(header.get(i));
      if (c == null || c.equals(currency)) {
        keep.add(i);
      }
    }
    List<List<String>> rows = new ArrayList<>();
    for (List<String> row : table.rows()) {
      List<String> r = new ArrayList<>();
      for (int i : keep) {
        r.add(i < row.size() ? row.get(i) : "");
      }
      rows.add(r);
    }
    return Block.table(rows, table.headerRows());
  }

  private static String headerCurrency(String header) {
    String h = header.toUpperCase(Locale.ROOT);
    return h.contains("USD") || h.contains("$") ? "USD" : h.contains("EUR") || h.contains("€") ? "EUR" : null;
  }

  private static void readRunTogether(String body, String currency, PriceSink sink) {
    String text = body.replaceAll("\\s+", " ");
    Matcher h = HEADER.matcher(text);
    while (h.find()) {
      List<String[]> columns = new ArrayList<>();
      Matcher c = HEADER_COLUMN.matcher(h.group(1));
      while (c.find()) {
        columns.add(new String[] {c.group(1).toLowerCase(Locale.ROOT), c.group(2)});
      }
      Pattern row = Pattern.compile("\\G\\s?((?:(?!Model\\s?Endpoint)[^$€]){1,120}?)((?:" + PRICE + "\\s?){"
          + columns.size() + "})");
      boolean hasOwn = columns.stream().anyMatch(col -> col[1].equals(currency));
      Matcher r = row.matcher(text);
      r.region(h.end(), text.length());
      r.useTransparentBounds(true);
      while (r.find()) {
        String model = endpoint(r.group(1).trim());
        Matcher p = Pattern.compile(PRICE).matcher(r.group(2));
        for (int i = 0; p.find() && i < columns.size(); i++) {
          String cur = p.group(2).equals("$") ? "USD" : "EUR";
          if (cur.equals(columns.get(i)[1])) {
            String condition = Conditions.builder().set(Conditions.Slot.CURRENCY, cur.equals(currency) || !hasOwn ? "" : cur)
                .build();
            sink.add(model, columns.get(i)[0], condition, new java.math.BigDecimal(p.group(1)), Unit.PER_1M, cur);
          }
        }
      }
    }
  }

  /**
   * The API endpoint at the end of "display name + endpoint" run together: it starts with "open-" or with the
   * display name's first word in lower case ("Mistral Smallmistral-small-latest" → "mistral-small-latest").
   */
  static String endpoint(String run) {
    int open = run.lastIndexOf("open-");
    if (open > 0) {
      return run.substring(open);
    }
    String first = run.split("[\\s]", 2)[0].toLowerCase(Locale.ROOT);
    int at = run.lastIndexOf(first);
    return at > 0 ? run.substring(at) : run;
  }
}
