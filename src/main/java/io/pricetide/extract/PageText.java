package io.pricetide.extract;

import io.pricetide.price.Unit;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How vendor pages write prices, units, tiers and times, read into values: {@code "$1.25"}, {@code "2.5元"},
 * {@code "¥1.30"}, {@code "0.2€ / 1M tokens"}, {@code "$15 / MTok"}, {@code "每百万Token"},
 * {@code "32K < Tokens ≤ 128K"}, {@code "prompts > 200k"}, {@code "（UTC 16:30-00:30）"}. Nothing here guesses: a text
 * without a currency sign yields no amount unless the caller allows bare numbers, and a text without a unit yields
 * no unit.
 */
final class PageText {
  private static final Pattern AMOUNT = Pattern.compile(
      "(US\\$|\\$|¥|￥|€|RMB\\s?)?\\s?(" + io.pricetide.price.Numerals.NUMBER + ")"
          + "(?![\\d.,]*\\s?[KkMmBb%](?![a-z]))(?:\\s?(元|€|\\$(?!\\d)|USD\\b|CNY\\b|EUR\\b|RMB\\b))?");
  private static final Pattern PER_1M = Pattern.compile(
      "(?i)(\\b1\\s?M\\b|/\\s?M\\b|\\bper\\s+M\\b|mtok|million|1,000,000|百万|\\bper\\s+1M\\b)");
  private static final Pattern PER_1K = Pattern.compile(
      "(?i)(\\b1\\s?K\\s*tokens|/\\s?1K\\b(?!\\s*(calls?|images?|searches|requests?))|1,000 tokens|thousand tokens"
          + "|千\\s*tokens|每千)");
  private static final Pattern FOREIGN = Pattern.compile(
      "(?i)(/\\s*(minute|min\\b|image|second|sec\\b|hour|hr\\b|gb|session|container|request|call|search|"
          + "character|page|day)|per\\s+(image|second|minute|hour|request|call|1k/2k image|4k image)|calls\\b"
          + "|searches\\b|characters\\b|元/张|元/秒|元/分钟|元/小时|字符|/\\s*张|/\\s*秒|每\\s*张|每\\s*秒"
          + "|per\\s+search|grounded prompts)");
  private static final Pattern PER_1K_SOURCES = Pattern.compile(
      "(?i)(?:/|\\bper)\\s*(?:1\\s?k|1,000|1000|thousand)\\s+sources\\b");
  private static final Pattern PER_1K_CALLS = Pattern.compile("(?i)(?:/|\\bper)\\s*(?:1\\s?k|1,000|1000|thousand)\\s+"
      + "(calls?|searches|search queries|queries|requests?|grounded prompts|prompts|invocations)\\b");
  private static final Pattern PER_1M_CHARACTERS = Pattern.compile(
      "(?i)(?:/|\\bper)\\s*(?:1\\s?M|1,000,000|million)\\s+characters\\b");
  private static final Pattern PER_10K_CHARACTERS = Pattern.compile(
      "(?i)((?:/|每)\\s*万\\s*字符|(?:/|\\bper)\\s*(?:10,000|10000|10\\s?k|ten thousand)\\s+characters\\b)");
  /** "元/张", "元/每张", "每张": per image on Chinese pages ("100张" alone is a count, not a unit). */
  private static final Pattern PER_IMAGE_ZH = Pattern.compile("(?:/|每)\\s*(?:每\\s*)?张");
  /** "元/秒", "元/每秒", "元 / 秒", "每秒": per second on Chinese pages ("36,000秒" alone is a count). */
  private static final Pattern PER_SECOND_ZH = Pattern.compile("(?:/|每)\\s*(?:每\\s*)?秒");
  private static final Pattern PER_IMAGE = Pattern.compile(
      "(?i)(?:/|\\bper)\\s*(?:(?:\\d+\\s?K(?:/\\d+\\s?K)?|\\d{3,4}\\s?[x×]\\s?\\d{3,4})\\s+)?(?:output\\s+)?images?\\b(?!\\s*/)");
  private static final Pattern PER_SECOND = Pattern.compile("(?i)(?:/|\\bper)\\s*(?:seconds?|sec)\\b");
  private static final Pattern PIXELS = Pattern.compile("(\\d{3,4})\\s?[x×]\\s?(\\d{3,4})");
  private static final Pattern K_SIZE = Pattern.compile("(?i)\\b(\\d\\s?K(?:\\s?/\\s?\\d\\s?K)?)\\s+image");
  private static final Pattern FREE = Pattern.compile("(?i)^(free|free of charge|免费)$");
  private static final Pattern NOTE = Pattern.compile(
      "\\s*[(（](deprecated|legacy|retired|new|beta|latest|已下线|即将下线)[)）]\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern RANGE = Pattern.compile(
      "(\\d+(?:\\.\\d+)?\\s?[KkMm]?)\\s*(?:<|＜)\\s*(?:input\\s+)?(?:tokens?|token数|输入)?\\s*(?:≤|<=|＜=|<|＜)\\s*"
          + "(\\d+(?:\\.\\d+)?\\s?[KkMm]?)", Pattern.CASE_INSENSITIVE);
  private static final Pattern ABOVE = Pattern.compile(
      "(?i)(?:>|＞|over|above|exceeds?|exceeding|more than|greater than)\\s*(\\d+(?:\\.\\d+)?\\s?[KkMm])");
  private static final Pattern UP_TO = Pattern.compile(
      "(?i)(?:<=|≤|＜=|up to|under|less than)\\s*(\\d+(?:\\.\\d+)?\\s?[KkMm])");
  private static final Pattern BAND = Pattern.compile("(\\d{1,2}:\\d{2})\\s*[-–~至到]\\s*(\\d{1,2}:\\d{2})");
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final Pattern STARS = Pattern.compile("[*†‡]+$");
  private static final Pattern UNTIERED = Pattern.compile("(?i)(no tiered pricing|无阶梯)");
  private static final Pattern UTC8 = Pattern.compile("UTC\\s*\\+\\s*8");
  private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("H:mm");

  private PageText() {}

  /** A money amount found in a text: where it is and the currency its sign shows ({@code null} for none). */
  record Amount(BigDecimal value, String currency, int start, int end) {}

  /** Amounts that carry a currency sign ({@code $}, {@code ¥}, {@code 元}, {@code €}, …), in order. */
  static List<Amount> amounts(String text) {
    return amounts(text, false);
  }

  /**
   * Amounts in order; with {@code bare} also plain numbers (for cells under a header that names the currency).
   * Numbers directly followed by K, M, B or % (token counts, context sizes, discounts) are never amounts.
   */
  static List<Amount> amounts(String text, boolean bare) {
    List<Amount> out = new ArrayList<>();
    String t = io.pricetide.price.Numerals.ascii(text);
    Matcher m = AMOUNT.matcher(t);
    while (m.find()) {
      String currency = currencyOf(m.group(1), m.group(3));
      if (currency == null && !bare) {
        continue;
      }
      if (io.pricetide.price.Numerals.isPartial(t, m.start(2), m.end(2))) {
        continue;
      }
      out.add(new Amount(io.pricetide.price.Numerals.value(m.group(2)), currency, m.start(), m.end()));
    }
    return out;
  }

  private static String currencyOf(String prefix, String suffix) {
    String sign = prefix != null ? prefix.trim() : suffix;
    if (sign == null) {
      return null;
    }
    return switch (sign) {
      case "$", "US$", "USD" -> "USD";
      case "¥", "￥", "元", "CNY", "RMB" -> "CNY";
      case "€", "EUR" -> "EUR";
      default -> null;
    };
  }

  /** True for a cell that says the thing is free ("Free", "Free of charge", "免费"). */
  static boolean isFree(String text) {
    return FREE.matcher(text.trim()).matches();
  }

  /** The token unit a text states ("per 1M tokens", "/ MTok", "每百万Token", "per 1K tokens"), if any. */
  static Optional<Unit> unit(String text) {
    if (PER_1M.matcher(text).find()) {
      return Optional.of(Unit.PER_1M);
    }
    if (PER_1K.matcher(text).find()) {
      return Optional.of(Unit.PER_1K);
    }
    return Optional.empty();
  }

  /** True when a text prices something other than tokens: per image, second, minute, hour, call, character… */
  static boolean foreignUnit(String text) {
    return FOREIGN.matcher(text).find();
  }

  /**
   * The unit of a price that is not per token, as a text states it: "per image", "$0.134 per 1K/2K image" and
   * "Paid Tier, per Image in USD" ({@link Unit#PER_IMAGE}), "per second" ({@link Unit#PER_SECOND}), "/ 1k calls",
   * "per 1,000 searches", "/ 1,000 grounded prompts", "/1k requests" ({@link Unit#PER_1K_CALLS}), "per 1,000 sources"
   * ({@link Unit#PER_1K_SOURCES}), "/ 1M characters" ({@link Unit#PER_1M_CHARACTERS}), "per 10,000 characters",
   * "每万字符" ({@link Unit#PER_10K_CHARACTERS}), "元/张" (per image), "元/秒", "元/每秒" (per second); empty for
   * anything else (tokens, minutes, hours, containers, storage).
   */
  static Optional<Unit> otherUnit(String text) {
    if (PER_1K_SOURCES.matcher(text).find()) {
      return Optional.of(Unit.PER_1K_SOURCES);
    }
    if (PER_1K_CALLS.matcher(text).find()) {
      return Optional.of(Unit.PER_1K_CALLS);
    }
    if (PER_1M_CHARACTERS.matcher(text).find()) {
      return Optional.of(Unit.PER_1M_CHARACTERS);
    }
    if (PER_10K_CHARACTERS.matcher(text).find()) {
      return Optional.of(Unit.PER_10K_CHARACTERS);
    }
    if (PER_IMAGE.matcher(text).find() || PER_IMAGE_ZH.matcher(text).find()) {
      return Optional.of(Unit.PER_IMAGE);
    }
    if (PER_SECOND.matcher(text).find() || PER_SECOND_ZH.matcher(text).find()) {
      return Optional.of(Unit.PER_SECOND);
    }
    return Optional.empty();
  }

  /**
   * The sizes a text names, as condition parts: {@code 1024x1024} for "1024 x 1024" or "1024×1024" (each size of
   * "1024×1792, 1792×1024" or "Portrait: 720x1280 Landscape: 1280x720" on its own, in order), {@code 1k/2k} or
   * {@code 4k} for "per 1K/2K image"; empty when it names none.
   */
  static List<String> sizes(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PIXELS.matcher(text);
    while (m.find()) {
      out.add(m.group(1) + "x" + m.group(2));
    }
    if (out.isEmpty()) {
      Matcher k = K_SIZE.matcher(text);
      if (k.find()) {
        out.add(BLANKS.matcher(k.group(1)).replaceAll("").toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** A model name without a trailing "(deprecated)"-style note, footnote stars and extra blanks. */
  static String modelName(String text) {
    String s = BLANKS.matcher(text.replace('\u00a0', ' ')).replaceAll(" ").trim();
    s = STARS.matcher(s).replaceAll("").trim();
    String before;
    do {
      before = s;
      s = NOTE.matcher(s).replaceAll("").trim();
    } while (!s.equals(before));
    return s;
  }

  /**
   * The context tier a text states, as a condition: {@code ""} for the lowest tier ("0 < Tokens ≤ 32K",
   * "prompts <= 200k tokens", "No tiered pricing"), {@code "32k-128k"} for a bounded higher tier, {@code ">200k"}
   * for an open one; empty when the text states no tier.
   */
  static Optional<String> contextTier(String text) {
    String t = text.replace('\u00a0', ' ');
    if (UNTIERED.matcher(t).find()) {
      return Optional.of("");
    }
    Matcher r = RANGE.matcher(t);
    if (r.find()) {
      String lo = size(r.group(1));
      String hi = size(r.group(2));
      return Optional.of(lo.equals("0") ? "" : lo + "-" + hi);
    }
    Matcher above = ABOVE.matcher(t);
    if (above.find()) {
      return Optional.of(">" + size(above.group(1)));
    }
    if (UP_TO.matcher(t).find()) {
      return Optional.of("");
    }
    return Optional.empty();
  }

  private static String size(String s) {
    return BLANKS.matcher(s).replaceAll("").toLowerCase(Locale.ROOT);
  }

  /**
   * A daily time band as a condition in UTC, {@code "UTC 16:30-00:30"}; a band given in Beijing time (北京时间,
   * UTC+8) is shifted to UTC. Empty when the text holds no band.
   */
  static Optional<String> timeBand(String text) {
    Matcher m = BAND.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    boolean beijing = text.contains("北京时间") || UTC8.matcher(text).find();
    if (!beijing && !text.toUpperCase(Locale.ROOT).contains("UTC") && !text.contains("GMT")) {
      return Optional.empty();
    }
    LocalTime from = LocalTime.parse(m.group(1), HM);
    LocalTime to = LocalTime.parse(m.group(2), HM);
    if (beijing) {
      from = from.minusHours(8);
      to = to.minusHours(8);
    }
    return Optional.of("UTC " + from + "-" + to);
  }
}
