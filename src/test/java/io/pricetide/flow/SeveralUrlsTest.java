package io.pricetide.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.TestApp;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source of several URLs ({@code urls:}): one check fetches them all and extracts their answers together. */
class SeveralUrlsTest {
  @TempDir
  Path root;

  private static final String SOURCE = """
      id: hub
      provider: huggingface
      kind: usage
      url: %s
      urls:
        - %s
      format: json
      schedule: "0 0 0 * * ?"
      fetch:
        allow_private: true
        retries: 0
      extractor:
        kind: huggingface-hub
      """;

  @Test
  @DisplayName("Every URL's answer is read in one check; one URL failing fails the check and changes nothing")
  void everyUrlInOneCheck() throws Exception {
    String qwen = Files.readString(Path.of("src/test/resources/usage/hub-author-qwen.json"));
    String llama = Files.readString(Path.of("src/test/resources/usage/hub-search-llama.json"));
    try (FakeVendor a = new FakeVendor().serve(qwen).contentType("application/json");
        FakeVendor b = new FakeVendor().serve(llama).contentType("application/json")) {
      var cfg = TestApp.config(root, Map.of("hub.yaml", SOURCE.formatted(a.url("/api/models?author=Qwen"),
          b.url("/api/models?search=llama"))));
      try (App app = TestApp.start(cfg, true)) {
        CheckOutcome o = TestApp.check(app, "hub");
        assertEquals(CheckOutcome.NEW, o.outcome(), o.toString());
        List<String> models = app.queries.usage("downloads_30d").stream().map(JsonObject.class::cast)
            .map(j -> j.getString("model")).toList();
        assertTrue(models.stream().anyMatch(m -> m.startsWith("Qwen/")), models.toString());
        assertTrue(a.requests() >= 1 && b.requests() >= 1, "both URLs were fetched");
        int before = app.queries.usage("downloads_30d").size();
        b.failNext(503, 5, 0);
        CheckOutcome failed = TestApp.check(app, "hub");
        assertEquals(CheckOutcome.ERROR, failed.outcome());
        assertEquals("fetch", failed.stage());
        assertEquals(before, app.queries.usage("downloads_30d").size(), "a partial answer changes nothing");
      }
    }
  }
}
