package io.pricetide.price;

/** A series within one source: the model as the source names it, the metric and the condition ("" for none). */
public record SeriesKey(String model, String metric, String condition) {
  @Override
  public String toString() {
    return model + " " + metric + (condition.isEmpty() ? "" : " [" + condition + "]");
  }
}
