package io.pricetide.extract;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads money and units out of the text of a table cell or header, as pages write them: {@code "$2.50"},
 * {@code "¥4 / 1M tokens"}, {@code "2,50 €"}, {@code "Free"}. Blank, dash and "N/A" cells hold no price.
 */
public final class CellValues {
  private static final Pattern NUMBER = Pattern.compile(
      "(US\\$|\\$|¥|￥|€|RMB\\s*)?\\s*(" + io.pricetide.price.Numerals.NUMBER + ")\\s*(€|元|USD|CNY|EUR)?");
  private static final Pattern DECIMAL_COMMA = Pattern.compile("(\\d),(\\d{1,2})(?!\\d)");
  private static final Pattern PER_1K = Pattern.compile("(?i)(1\\s*k\\b|1,?000\\s*tokens|thousand)");
  private static final Pattern PER_1M = Pattern.compile("(?i)(1\\s*m\\b|1m\\s*tokens|million|mtok)");

  private CellValues() {}

  /** A price found in a cell, with the currency the cell itself shows ({@code null} when it shows none). */
  public record Money(BigDecimal amount, String currency) {}

  /** The first amount in the cell; empty for blank, dash, N/A or text without a number. */
  public static Optional<Money> money(String cell) {
    String t = io.pricetide.price.Numerals.ascii(cell).replace('\u00a0', ' ').trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.isEmpty() || lower.equals("-") || lower.equals("—") || lower.equals("–") || lower.startsWith("n/a")) {
      return Optional.empty();
    }
    if (lower.equals("free") || lower.startsWith("free ") || lower.equals("免费")) {
      return Optional.of(new Money(BigDecimal.ZERO, null));
    }
    if (!t.contains(".")) {
      // A decimal comma ("2,50 €"): a comma followed by one or two digits that end the number.
      t = DECIMAL_COMMA.matcher(t).replaceAll("$1.$2");
    }
    Matcher m = NUMBER.matcher(t);
    if (!m.find() || io.pricetide.price.Numerals.isPartial(t, m.start(2), m.end(2))) {
      // No number, or one written in a form read only partly ("1,2345", "1.234.567"): no price, not a wrong one.
      return Optional.empty();
    }
    return Optional.of(new Money(io.pricetide.price.Numerals.value(m.group(2)),
        currencyOf(m.group(1), m.group(3), t)));
  }

  private static String currencyOf(String prefix, String suffix, String cell) {
    String sign = prefix != null ? prefix.trim() : suffix;
    if (sign == null) {
      if (cell.contains("元") || cell.contains("¥")) {
        return "CNY";
      }
      return null;
    }
    return switch (sign) {
      case "$", "US$", "USD" -> "USD";
      case "¥", "￥", "元", "CNY", "RMB" -> "CNY";
      case "€", "EUR" -> "EUR";
      default -> null;
    };
  }

  /** The token unit a header or caption states, if it states one. */
  public static Optional<io.pricetide.price.Unit> unit(String text) {
    if (PER_1M.matcher(text).find()) {
      return Optional.of(io.pricetide.price.Unit.PER_1M);
    }
    if (PER_1K.matcher(text).find()) {
      return Optional.of(io.pricetide.price.Unit.PER_1K);
    }
    return Optional.empty();
  }
}
