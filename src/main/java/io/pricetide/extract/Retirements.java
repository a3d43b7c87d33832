package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retirement dates a vendor page states for the models it prices, recorded with {@link PriceSink#retires} so that
 * history raises {@code model_deprecated} with the date, as it does for the catalogues' dates. Read only where the
 * page says so in one place: a sentence (a paragraph, a list item) holding a lifecycle word ("deprecated",
 * "retire", "discontinued", "shut down", "sunset", "下线") and a date ("January 12, 2026", "12 Jan 2026",
 * "2026-01-12", "2026年1月12日") and naming the model (before the lifecycle word, or as the only model it names); or a table row whose model cell names the model and whose
 * cell under a lifecycle header ("Shutdown date", "Retirement date") or with a lifecycle word holds the date.
 * "(deprecated)" with no date, "deprecated soon", or a date with no model named is nothing. Of several dates in one
 * sentence the latest counts (deprecated on one day, shut down on a later one: it retires at the second).
 */
final class Retirements {
  private static final Pattern LIFECYCLE = Pattern.compile("(?i)(deprecat|retir(e|ed|es|ing|ement)\\b|discontinu"
      + "|shut\\s?down|shutting down|sunset|end[- ]of[- ]life|will be removed|下线|停止服务|弃用|退役)");
  private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?";
  private static final Pattern MONTH_FIRST = Pattern.compile("(?i)\\b" + MONTH + "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?"
      + "\\s+(\\d{4})\\b");
  private static final Pattern DAY_FIRST = Pattern.compile("(?i)\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+" + MONTH
      + ",?\\s+(\\d{4})\\b");
  private static final Pattern ISO = Pattern.compile("(?<![\\w-])(20\\d{2})-(\\d{2})-(\\d{2})(?![\\w-])");
  private static final Pattern CHINESE = Pattern.compile("(20\\d{2})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。；;])\\s+(?=[A-Z\\p{IsHan}*_\\[])");
  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2),
      Map.entry("mar", 3), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
      Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));

  private Retirements() {}

  /** Reads the page's retirement dates for the models already in {@code sink}; call after the prices are read. */
  static void read(List<Block> blocks, PriceSink sink) {
    List<String> models = new ArrayList<>(sink.models());
    if (models.isEmpty()) {
      return;
    }
    models.sort(Comparator.comparingInt(String::length).reversed());
    for (Block b : blocks) {
      if (b.isText()) {
        for (String sentence : SENTENCE_END.split(b.text())) {
          readSentence(sentence, models, sink);
        }
      } else if (b.isTable()) {
        readTable(b, models, sink);
      }
    }
  }

  /**
   * A sentence retires the models it names before its lifecycle word ("X will be retired on …; move to Y": X, not
   * Y); when it names none before, the one model it names after ("Deprecated on …: X").
   */
  private static void readSentence(String sentence, List<String> models, PriceSink sink) {
    Matcher word = LIFECYCLE.matcher(sentence);
    if (!word.find()) {
      return;
    }
    Optional<LocalDate> date = latest(sentence);
    if (date.isEmpty()) {
      return;
    }
    List<String> before = named(sentence.substring(0, word.start()), models);
    List<String> all = named(sentence, models);
    for (String model : !before.isEmpty() ? before : all.size() == 1 ? all : List.<String>of()) {
      sink.retires(model, date.get());
    }
  }

  private static void readTable(Block table, List<String> models, PriceSink sink) {
    List<String> header = table.header();
    int modelCol = Math.max(ModelTables.modelColumn(header), 0);
    for (List<String> row : table.body()) {
      if (row.size() <= modelCol) {
        continue;
      }
      List<String> named = named(row.get(modelCol), models);
      if (named.size() != 1) {
        continue;
      }
      for (int c = 0; c < row.size(); c++) {
        if (c == modelCol) {
          continue;
        }
        String head = c < header.size() ? header.get(c) : "";
        String cell = row.get(c);
        if (LIFECYCLE.matcher(head).find() || LIFECYCLE.matcher(cell).find()) {
          latest(cell).ifPresent(d -> sink.retires(named.get(0), d));
        }
      }
    }
  }

  /** The priced models a text names, each at most once; a longer name wins over a shorter one inside it. */
  static List<String> named(String text, List<String> longestFirst) {
    String lower = text.toLowerCase(Locale.ROOT).replace('\u00a0', ' ');
    boolean[] taken = new boolean[lower.length()];
    List<String> out = new ArrayList<>();
    for (String model : longestFirst) {
      String m = model.toLowerCase(Locale.ROOT);
      int from = 0;
      int at;
      while (!m.isEmpty() && (at = lower.indexOf(m, from)) >= 0) {
        int end = at + m.length();
        from = at + 1;
        if (taken[at] || !boundary(lower, at - 1) || !after(lower, end)) {
          continue;
        }
        java.util.Arrays.fill(taken, at, end, true);
        if (!out.contains(model)) {
          out.add(model);
        }
      }
    }
    return out;
  }

  private static boolean boundary(String s, int i) {
    return i < 0 || !(Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == '.'
        || s.charAt(i) == '_');
  }

  private static boolean after(String s, int i) {
    if (i >= s.length()) {
      return true;
    }
    char c = s.charAt(i);
    if (c == '.' || c == '-') {
      return i + 1 >= s.length() || !Character.isLetterOrDigit(s.charAt(i + 1));
    }
    return !(Character.isLetterOrDigit(c) || c == '_');
  }

  /** The latest calendar date a text writes, in any of the forms above. */
  static Optional<LocalDate> latest(String text) {
    List<LocalDate> dates = new ArrayList<>();
    Matcher m = MONTH_FIRST.matcher(text);
    while (m.find()) {
      date(m.group(3), month(m.group(1)), m.group(2)).ifPresent(dates::add);
    }
    m = DAY_FIRST.matcher(text);
    while (m.find()) {
      date(m.group(3), month(m.group(2)), m.group(1)).ifPresent(dates::add);
    }
    m = ISO.matcher(text);
    while (m.find()) {
      date(m.group(1), Integer.parseInt(m.group(2)), m.group(3)).ifPresent(dates::add);
    }
    m = CHINESE.matcher(text);
    while (m.find()) {
      date(m.group(1), Integer.parseInt(m.group(2)), m.group(3)).ifPresent(dates::add);
    }
    return dates.stream().max(Comparator.naturalOrder());
  }

  private static int month(String name) {
    return MONTHS.getOrDefault(name.substring(0, 3).toLowerCase(Locale.ROOT), 0);
  }

  private static Optional<LocalDate> date(String year, int month, String day) {
    try {
      return Optional.of(LocalDate.of(Integer.parseInt(year), month, Integer.parseInt(day)));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty(); // "February 30" is no date
    }
  }
}
