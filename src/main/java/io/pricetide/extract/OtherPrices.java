package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import io.pricetide.price.Metrics;
import io.pricetide.price.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prices on vendor pages that are not per token, read as typed series in the unit the page states
 * ({@link PageText#otherUnit}): never folded into a token price, never a unit guessed from a number.
 *
 * <ul>
 *   <li>Media tables ("Model | Quality | 1024 x 1024 | 1024 x 1536", "Model | Size: Output resolution | Price per
 *       second") under a line or header saying "per image" or "per second": one series per model, quality and size
 *       ({@link Conditions.Slot#QUALITY}, {@link Conditions.Slot#SIZE}; "Standard" quality is the base, as the
 *       standard service tier is). A row that lost its model cell to a row span (markdown copies) belongs to the
 *       model above it; a repeated header row inside the table starts new columns, and rows after a blank row
 *       with no header of their own are not read (a copy that dropped the header of a sub-table with other sizes
 *       would give its prices the sizes above).</li>
 *   <li>Tool tables ("Tool | Cost", "Tool | Cost per 1,000 calls | Description", "Item | Price"): the tool as the
 *       page names it is the model; web search tools are {@link Metrics#WEB_SEARCH}, search sources
 *       {@link Metrics#SEARCH_SOURCE}, other tools {@link Metrics#TOOL_CALL}, per 1,000 calls as the page says.
 *       Prices per container, per GB of storage, per hour or "Token-based only" are no such price and are
 *       skipped.</li>
 *   <li>Cost columns whose cells carry their unit ("TTS | Speech generation | $15.00 / 1M characters"): per 1M
 *       characters is {@link Metrics#INPUT_CHARACTER} (text read aloud), per image {@link Metrics#OUTPUT_IMAGE};
 *       per minute has no stored unit and is skipped.</li>
 *   <li>Sentences ("Web search is available … for $10 per 1,000 searches", "Live Search costs $25 per 1,000 sources
 *       requested"): a web, live or Google search named before an amount followed by its unit.</li>
 * </ul>
 */
final class OtherPrices {
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
  private static final Pattern FOOTNOTE = Pattern.compile("\\\\?\\[\\d+\\\\?]|\\^[^^]*\\^|[*†‡`]+");
  private static final Pattern API_ONLY = Pattern.compile("(?i)\\s*\\b?(Responses|Chat Completions|Assistants|Realtime)"
      + " API only$");
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final Pattern SEARCH_TOOL = Pattern.compile("(?i)\\b((?:web|live|google) search)\\b");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z*_\\[])");

  private OtherPrices() {}

  /** True for a header that prices something other than models: "Tool | Cost", "Item | Price". */
  static boolean isToolTable(Block table) {
    List<String> header = table.header();
    if (header.size() < 2) {
      return false;
    }
    String first = header.get(0).toLowerCase(Locale.ROOT).trim();
    return (first.equals("tool") || first.equals("tools") || first.equals("item") || first.equals("feature"))
        && priceColumn(header) > 0;
  }

  private static int priceColumn(List<String> header) {
    for (int i = 1; i < header.size(); i++) {
      String h = header.get(i).toLowerCase(Locale.ROOT);
      if (h.contains("cost") || h.contains("price")) {
        return i;
      }
    }
    return -1;
  }

  /** Reads a tool table; rows without an amount in a per-call or per-source unit are skipped. */
  static void readToolTable(Block table, PriceSink sink) {
    List<String> header = table.header();
    int col = priceColumn(header);
    for (List<String> row : table.body()) {
      if (row.size() <= col) {
        continue;
      }
      String name = toolName(row.get(0));
      String cell = row.get(col);
      Optional<Unit> unit = PageText.otherUnit(cell).or(() -> PageText.otherUnit(header.get(col)));
      List<PageText.Amount> amounts = PageText.amounts(cell);
      if (name.isEmpty() || unit.isEmpty() || amounts.isEmpty() || !perCall(unit.get())) {
        continue;
      }
      PageText.Amount a = amounts.get(0);
      sink.add(name, toolMetric(name, unit.get()), "", a.value(), unit.get(), a.currency());
    }
  }

  private static boolean perCall(Unit unit) {
    return unit.quantity() == Unit.Quantity.CALLS || unit.quantity() == Unit.Quantity.SOURCES;
  }

  private static String toolMetric(String name, Unit unit) {
    if (unit.quantity() == Unit.Quantity.SOURCES) {
      return Metrics.SEARCH_SOURCE;
    }
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("web search") || n.contains("google search") ? Metrics.WEB_SEARCH : Metrics.TOOL_CALL;
  }

  /** A tool's name as the page writes it, without links, footnote marks and a glued "Responses API only" note. */
  static String toolName(String cell) {
    String s = LINK.matcher(cell).replaceAll("$1");
    s = FOOTNOTE.matcher(s).replaceAll("");
    s = BLANKS.matcher(s.replace('\u00a0', ' ')).replaceAll(" ").trim();
    return API_ONLY.matcher(s).replaceAll("").trim();
  }

  /**
   * Reads a table priced per {@code unit} (an image or a second) into {@code metric}: sizes from the headers
   * ("1024 x 1024") or from a size column, quality from a "Quality" column.
   */
  static void readMediaTable(Block table, Unit unit, String metric, Conditions.Builder base, PriceSink sink) {
    Layout layout = Layout.of(table.header());
    if (layout == null) {
      return;
    }
    String model = null;
    boolean known = true;
    for (List<String> row : table.body()) {
      if (row.stream().allMatch(String::isBlank)) {
        // a blank row parts sub-tables whose sizes differ: what follows is read only under a header of its own
        known = false;
        model = null;
        continue;
      }
      Layout again = Layout.of(row);
      if (again != null) {
        layout = again; // a header repeated inside the table, with sizes of its own
        known = true;
        continue;
      }
      if (!known) {
        // Still on the page, in a table of this metric, but its columns are unknown: neither read nor gone.
        if (row.size() >= layout.width() && !row.get(layout.model()).isBlank()) {
          sink.unread(PageText.modelName(row.get(layout.model())), metric);
        }
        continue;
      }
      int shift = 0;
      if (row.size() == layout.width() - 1 && layout.model() == 0 && model != null) {
        shift = -1; // the model cell went with a row span: the row continues the model above
      } else if (row.size() < layout.width()) {
        continue;
      } else if (!row.get(layout.model()).isBlank()) {
        model = PageText.modelName(row.get(layout.model()));
      }
      if (model == null || model.isEmpty()) {
        continue;
      }
      String quality = layout.quality() >= 0 ? quality(row.get(layout.quality() + shift)) : "";
      for (int c : layout.prices()) {
        String cell = row.get(c + shift);
        List<PageText.Amount> amounts = PageText.amounts(cell);
        if (amounts.size() != 1) {
          continue;
        }
        List<String> sizes = layout.sizedHeaders() ? PageText.sizes(layout.header().get(c))
            : layout.size() >= 0 ? PageText.sizes(row.get(layout.size() + shift)) : List.of();
        Unit u = PageText.otherUnit(cell).orElse(unit);
        if (u != unit) {
          continue;
        }
        for (String size : sizes.isEmpty() ? List.of("") : sizes) {
          String condition = base.copy().set(Conditions.Slot.QUALITY, quality).set(Conditions.Slot.SIZE, size)
              .build();
          sink.add(model, metric, condition, amounts.get(0).value(), unit, amounts.get(0).currency());
        }
      }
    }
  }

  /** Where a media table keeps its model, quality, size and prices. */
  private record Layout(List<String> header, int model, int quality, int size, List<Integer> prices,
      boolean sizedHeaders) {
    int width() {
      return header.size();
    }

    static Layout of(List<String> header) {
      int model = ModelTables.modelColumn(header);
      if (model < 0) {
        return null;
      }
      int quality = -1;
      int size = -1;
      List<Integer> sized = new ArrayList<>();
      List<Integer> priced = new ArrayList<>();
      for (int i = 0; i < header.size(); i++) {
        String h = header.get(i).toLowerCase(Locale.ROOT);
        if (i == model) {
          continue;
        }
        if (h.contains("quality")) {
          quality = i;
        } else if (!PageText.sizes(h).isEmpty()) {
          sized.add(i);
        } else if (h.contains("size") || h.contains("resolution")) {
          size = i;
        } else if (h.contains("price") || h.contains("cost")) {
          priced.add(i);
        }
      }
      return sized.isEmpty() && priced.isEmpty() ? null
          : new Layout(List.copyOf(header), model, quality, size, sized.isEmpty() ? priced : sized, !sized.isEmpty());
    }
  }

  /** A quality as a condition part: lower case; "Standard" (and none) is the base. */
  static String quality(String cell) {
    String q = BLANKS.matcher(FOOTNOTE.matcher(cell).replaceAll("")).replaceAll(" ").trim().toLowerCase(Locale.ROOT);
    return q.equals("standard") ? "" : q;
  }

  /**
   * Reads a model table's cost column whose cells state their own unit ("$15.00 / 1M characters"); other rows are
   * left alone. True when the table has a model column and a cost column.
   */
  static boolean readCostTable(Block table, Conditions.Builder base, PriceSink sink) {
    List<String> header = table.header();
    int model = ModelTables.modelColumn(header);
    int col = priceColumn(header);
    if (model < 0 || col < 0 || col == model) {
      return false;
    }
    for (List<String> row : table.body()) {
      if (row.size() <= Math.max(model, col) || row.get(model).isBlank()) {
        continue;
      }
      String cell = row.get(col);
      List<PageText.Amount> amounts = PageText.amounts(cell);
      Optional<Unit> unit = PageText.otherUnit(cell);
      if (amounts.size() != 1 || unit.isEmpty()) {
        continue;
      }
      String metric = switch (unit.get().quantity()) {
        case CHARACTERS -> Metrics.INPUT_CHARACTER;
        case IMAGES -> Metrics.OUTPUT_IMAGE;
        default -> null; // per second of what (speech in or out) the cell does not say
      };
      if (metric != null) {
        sink.add(PageText.modelName(row.get(model)), metric, base.build(), amounts.get(0).value(), unit.get(),
            amounts.get(0).currency());
      }
    }
    return true;
  }

  /** Sentences pricing a search tool: "Web search is available … for $10 per 1,000 searches". */
  static void readSearchSentences(List<Block> blocks, PriceSink sink) {
    for (Block b : blocks) {
      if (!b.isText()) {
        continue;
      }
      for (String sentence : SENTENCE_END.split(b.text())) {
        readSearchSentence(sentence, sink);
      }
    }
  }

  private static void readSearchSentence(String sentence, PriceSink sink) {
    Matcher tool = SEARCH_TOOL.matcher(sentence);
    if (!tool.find()) {
      return;
    }
    String plain = FOOTNOTE.matcher(sentence).replaceAll("");
    Matcher again = SEARCH_TOOL.matcher(plain);
    if (!again.find()) {
      return;
    }
    for (PageText.Amount a : PageText.amounts(plain)) {
      if (a.start() < again.end()) {
        continue;
      }
      String after = plain.substring(a.end(), Math.min(plain.length(), a.end() + 40));
      Optional<Unit> unit = PageText.otherUnit(after).filter(OtherPrices::perCall);
      if (unit.isPresent() && after.matches("(?is)^\\s*(/|per)\\b?.*")) {
        String name = Character.toUpperCase(again.group(1).charAt(0)) + again.group(1).substring(1);
        sink.add(name, toolMetric(name, unit.get()), "", a.value(), unit.get(), a.currency());
        return;
      }
    }
  }
}
