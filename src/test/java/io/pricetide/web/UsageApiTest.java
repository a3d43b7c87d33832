package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.template.Templates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/usage} and its history form over {@link UsageFixture}; the usage page escapes what it prints. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageApiTest {
  UsageFixture fx;

  @BeforeAll
  void start(@TempDir Path root) throws Exception {
    fx = UsageFixture.start(root, true);
  }

  @AfterAll
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @DisplayName("history=1: each series' weekly points with the week they are valid from, filtered by provider, "
      + "metric and weeks")
  void history() throws Exception {
    JsonObject all = new JsonObject(fx.get("/api/usage?history=1&provider=qwen&metric=provider_weekly_tokens"));
    JsonArray series = all.getJsonArray("series");
    assertEquals(1, series.size(), series.encodePrettily());
    JsonObject qwen = series.getJsonObject(0);
    assertEquals("openrouter-rankings", qwen.getString("source"));
    assertEquals("qwen", qwen.getString("model"));
    List<String> weeks = qwen.getJsonArray("points").stream().map(JsonObject.class::cast)
        .map(p -> p.getString("valid_from").substring(0, 10) + "=" + p.getString("value")).toList();
    assertEquals(List.of("2025-12-08=220", "2025-12-15=260", "2025-12-22=530", "2025-12-29=500", "2026-01-05=450"),
        weeks);
    assertEquals("2026-01-13T00:00:00Z", qwen.getJsonArray("points").getJsonObject(0).getString("observed_at"),
        "the check that read the year");

    JsonObject window = new JsonObject(fx.get("/api/usage?history=1&provider=qwen&metric=provider_weekly_tokens"
        + "&from=2025-12-20&to=2025-12-29"));
    assertEquals(List.of("2025-12-22T00:00:00Z", "2025-12-29T00:00:00Z"), window.getJsonArray("series")
        .getJsonObject(0).getJsonArray("points").stream().map(JsonObject.class::cast)
        .map(p -> p.getString("valid_from")).toList());

    JsonObject models = new JsonObject(fx.get("/api/usage?history=1&metric=weekly_tokens"));
    assertEquals(3, models.getJsonArray("series").size(), "three models; the rest bucket is no series");
    JsonObject hub = new JsonObject(fx.get("/api/usage?history=1&source=huggingface-hub&metric=derivatives"));
    assertFalse(hub.getJsonArray("series").isEmpty());
    assertTrue(hub.getJsonArray("series").stream().map(JsonObject.class::cast)
        .allMatch(s -> s.getString("condition") != null), "derivatives carry their relation");
  }

  @Test
  @DisplayName("Without history the current values as before; bad dates, metrics and sources are clear 4xx")
  void currentAndErrors() throws Exception {
    JsonObject now = new JsonObject(fx.get("/api/usage?metric=provider_weekly_tokens"));
    assertEquals("openai", now.getJsonArray("usage").getJsonObject(0).getString("provider"));
    HttpResponse<String> date = fx.send("/api/usage?history=1&from=last-week");
    assertEquals(400, date.statusCode());
    assertTrue(date.body().contains("from and to must be dates like 2025-07-28"), date.body());
    HttpResponse<String> metric = fx.send("/api/usage?history=1&metric=input");
    assertEquals(400, metric.statusCode());
    assertTrue(metric.body().contains("metric must be one of"), metric.body());
    HttpResponse<String> source = fx.send("/api/usage?history=1&source=acme");
    assertEquals(404, source.statusCode());
    assertTrue(source.body().contains("unknown usage source 'acme'"), source.body());
    JsonObject api = new JsonObject(fx.get("/api/openapi.json"));
    assertTrue(api.getJsonObject("paths").getJsonObject("/api/usage").getJsonObject("get").getJsonArray("parameters")
        .stream().map(JsonObject.class::cast).anyMatch(p -> "history".equals(p.getString("name"))));
  }

  @Test
  @DisplayName("Every name the usage page prints from a source is escaped: overtakes, providers, the Hub's state")
  void escaped() {
    String evil = "<img src=x onerror=alert(1)>";
    Map<String, Object> row = Map.of("sentence", evil + " passed openai", "week", "2025-07-28", "iso",
        "2025-07-28T00:00:00Z", "shares", "1%", "sent", "yes", "source", evil);
    String html = Templates.pages(null).render("usage", Map.of("title", "Usage", "nav", List.of(), "sections",
        List.of(), "has_overtakes", true, "has_provider_overtakes", true, "provider_overtakes_ctx", Map.of("rows",
            List.of(row), "caption", "c"), "vs", Map.of("a", evil, "b", "openai", "latest", evil, "unknown", evil,
            "overtakes", List.of(row)), "ecosystem", Map.of("empty", true, "configured", true, "hub_sources",
            List.of(Map.of("id", "hub", "name", evil, "never", false, "checked", Map.of("iso", "x", "minute", "y"),
                "outcome", "error", "reason", evil)))));
    assertFalse(html.contains("<img"), html);
    assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt; passed openai"), html);
  }
}
