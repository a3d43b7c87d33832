package io.pricetide.bus;

import io.pricetide.price.Observation;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The body of {@link Addresses#PRICES_EXTRACTED}: what extraction made of one fetched body, to be recorded in
 * history: the observations, or the reason extraction failed (then {@code observations} is empty).
 */
public record PricesExtracted(PageFetched page, List<Observation> observations, String failure) {
  public boolean failed() {
    return failure != null;
  }

  public JsonObject toJson() {
    return page.toJson(null).put("observations", Observation.toJsonArray(observations)).put("failure", failure);
  }

  public static PricesExtracted fromJson(JsonObject j) {
    return new PricesExtracted(PageFetched.fromJson(j), Observation.fromJsonArray(j.getJsonArray("observations")),
        j.getString("failure"));
  }
}
