package io.pricetide.price;

/** Metric names with a meaning beyond token prices. */
public final class Metrics {
  /** Exchange-rate sources record USD per one unit of the currency named as the model under this metric. */
  public static final String FX_RATE = "fx_rate";

  private Metrics() {}
}
