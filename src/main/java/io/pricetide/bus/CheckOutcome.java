package io.pricetide.bus;

import io.pricetide.bus.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How one check of one source ended: {@code new} (baseline), {@code changed}, {@code unchanged} or {@code error},
 * with the stage and reason of an error and the events it produced.
 */
public record CheckOutcome(long checkId, String sourceId, String outcome, String stage, String reason,
    int observations, List<ChangeEvent> events) {
  public static final String NEW = "new";
  public static final String CHANGED = "changed";
  public static final String UNCHANGED = "unchanged";
  public static final String ERROR = "error";

  public boolean isError() {
    return ERROR.equals(outcome);
  }

  public JsonObject toJson() {
    JsonArray ev = new JsonArray();
    events.forEach(e -> ev.add(e.toJson()));
    return new JsonObject().put("checkId", checkId).put("sourceId", sourceId).put("outcome", outcome)
        .put("stage", stage).put("reason", reason).put("observations", observations).put("events", ev);
  }

  public static CheckOutcome fromJson(JsonObject j) {
    JsonArray ev = j.getJsonArray("events", new JsonArray());
    List<ChangeEvent> events = new java.util.ArrayList<>();
    for (int i = 0; i < ev.size(); i++) {
      events.add(ChangeEvent.fromJson(ev.getJsonObject(i)));
    }
    return new CheckOutcome(j.getLong("checkId", 0L), j.getString("sourceId"), j.getString("outcome"),
        j.getString("stage"), j.getString("reason"), j.getInteger("observations", 0), events);
  }
}
