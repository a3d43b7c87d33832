package io.pricetide.detect;

/** Which events a source's checks yield, by the source's kind. */
public enum EventMode {
  /** Price sources: every change event, and catalogue drift. */
  PRICES,
  /** Exchange-rate sources: the series are kept, only source failures are events. */
  RATES,
  /** Usage sources: overtakes, rank and share changes ({@link UsageDetector}) instead of value changes. */
  USAGE;

  public static EventMode of(String sourceKind) {
    return switch (sourceKind) {
      case "fx" -> RATES;
      case "usage" -> USAGE;
      default -> PRICES;
    };
  }
}
