package io.pricetide.price;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The token quantity a listed price refers to. Read from the page or the source file, never guessed from the
 * magnitude of a number.
 */
public enum Unit {
  PER_TOKEN(6),
  PER_1K(3),
  PER_1M(0);

  /** Powers of ten from this unit to one million tokens. */
  private final int toPerMillion;

  Unit(int toPerMillion) {
    this.toPerMillion = toPerMillion;
  }

  /** The amount per one million tokens of an amount quoted in this unit, exactly (a decimal point move). */
  public BigDecimal toPerMillion(BigDecimal amount) {
    return amount.movePointRight(toPerMillion);
  }

  /** Parses {@code per_token}, {@code per_1k}, {@code per_1m} (case-insensitive, {@code -} or {@code _}). */
  public static Unit parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    return switch (t) {
      case "per_token", "token" -> PER_TOKEN;
      case "per_1k", "1k", "per_thousand" -> PER_1K;
      case "per_1m", "1m", "per_million" -> PER_1M;
      default -> throw new IllegalArgumentException("unknown unit '" + text + "' (use per_token, per_1k or per_1m)");
    };
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
