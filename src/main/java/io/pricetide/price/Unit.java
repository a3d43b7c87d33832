package io.pricetide.price;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The quantity a listed price refers to: so many tokens, or one image, megapixel, second, character, request or
 * search call or source. Read from the page or the source file, never guessed from the magnitude of a number.
 *
 * <p>Each unit belongs to one {@link Quantity}, and every quantity is stored in one unit of its own (tokens per 1M,
 * images per image, pixels per megapixel, characters per 1M, calls and search sources per 1,000): {@link #toStored} moves the decimal
 * point only, so the stored value is exact. A series' metric fixes its quantity ({@link Metrics#quantity}), so prices
 * of different quantities are different series and never mixed in one sort.
 */
public enum Unit {
  PER_TOKEN(Quantity.TOKENS, 6),
  PER_1K(Quantity.TOKENS, 3),
  PER_1M(Quantity.TOKENS, 0),
  PER_IMAGE(Quantity.IMAGES, 0),
  PER_PIXEL(Quantity.MEGAPIXELS, 6),
  PER_MEGAPIXEL(Quantity.MEGAPIXELS, 0),
  PER_SECOND(Quantity.SECONDS, 0),
  PER_CHARACTER(Quantity.CHARACTERS, 6),
  /** Per 10,000 characters (Alibaba's speech synthesis, "元/万字符", "每万字符"): stored per 1M, two places. */
  PER_10K_CHARACTERS(Quantity.CHARACTERS, 2),
  PER_1M_CHARACTERS(Quantity.CHARACTERS, 0),
  PER_REQUEST(Quantity.REQUESTS, 0),
  PER_CALL(Quantity.CALLS, 3),
  PER_1K_CALLS(Quantity.CALLS, 0),
  PER_1K_SOURCES(Quantity.SOURCES, 0);

  /** What is counted, and the unit it is stored in ({@link #label}: how events and the API name it). */
  public enum Quantity {
    TOKENS("1M tokens"),
    IMAGES("image"),
    MEGAPIXELS("megapixel"),
    SECONDS("second"),
    CHARACTERS("1M characters"),
    REQUESTS("request"),
    CALLS("1k calls"),
    /** Search sources a request used (xAI Live Search bills each source: Web, X, News, RSS). */
    SOURCES("1k sources");

    private final String label;

    Quantity(String label) {
      this.label = label;
    }

    /** The stored unit as text: {@code 1M tokens}, {@code image}, {@code 1k calls}. */
    public String label() {
      return label;
    }

    /** The contract's unit of a price in USD: {@code USD/1M tokens}, {@code USD/image}. */
    public String usdLabel() {
      return "USD/" + label;
    }
  }

  private final Quantity quantity;
  /** Powers of ten from this unit to its quantity's stored unit. */
  private final int toStored;

  Unit(Quantity quantity, int toStored) {
    this.quantity = quantity;
    this.toStored = toStored;
  }

  public Quantity quantity() {
    return quantity;
  }

  /** The amount in the stored unit of this unit's quantity, exactly (a decimal point move). */
  public BigDecimal toStored(BigDecimal amount) {
    return amount.movePointRight(toStored);
  }

  /**
   * The amount per one million tokens of an amount quoted in this token unit, exactly (a decimal point move).
   *
   * @throws IllegalArgumentException for a unit that does not count tokens
   */
  public BigDecimal toPerMillion(BigDecimal amount) {
    if (quantity != Quantity.TOKENS) {
      throw new IllegalArgumentException(key() + " is not a token unit");
    }
    return toStored(amount);
  }

  /**
   * Parses a token unit as source files and table headers name it: {@code per_token}, {@code per_1k},
   * {@code per_1m} (case-insensitive, {@code -} or {@code _}), or {@code token}, {@code 1k}, {@code 1m}.
   */
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
