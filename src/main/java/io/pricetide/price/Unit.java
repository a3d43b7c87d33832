package io.pricetide.price;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The token quantity a listed price refers to. Read from the page or the source file, never guessed from the
 * magnitude of a number.
 */
public enum Unit {
  PER_TOKEN(new BigDecimal("1000000")),
  PER_1K(new BigDecimal("1000")),
  PER_1M(BigDecimal.ONE);

  private final BigDecimal toPerMillion;

  Unit(BigDecimal toPerMillion) {
    this.toPerMillion = toPerMillion;
  }

  /** Multiplies an amount quoted in this unit to the amount per one million tokens, exactly. */
  public BigDecimal toPerMillion(BigDecimal amount) {
    return amount.multiply(toPerMillion);
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
