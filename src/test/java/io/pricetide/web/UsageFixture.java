package io.pricetide.web;

import static io.pricetide.testing.RankingsPages.week;

import io.pricetide.app.App;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.check.Replayer;
import io.pricetide.source.SourceBodies;
import io.pricetide.testing.Pages;
import io.pricetide.testing.RankingsPages;
import io.pricetide.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running Pricetide with a small usage history written here, for the usage page's tests: OpenAI's own pricing
 * page (a cut of gpt-5 on 2025-12-24), a rankings page whose weeks have qwen pass openai (week of 2025-12-22) and
 * openai take the lead back (week of 2026-01-05), and two checks of the Hugging Face Hub over answers we wrote
 * ({@code src/test/resources/usage/hub-*.json}), the second with one family more.
 */
final class UsageFixture implements AutoCloseable {
  static final String NEVER = "0 0 0 1 1 ? 2099";

  final App app;
  final String base;

  private UsageFixture(App app) {
    this.app = app;
    this.base = "http://127.0.0.1:" + app.httpPort();
  }

  /** The fixture's sources and history; {@code withHistory} false leaves every source unchecked. */
  static UsageFixture start(Path root, boolean withHistory) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("openai.yaml", Pages.sourceYaml("openai", "http://127.0.0.1:9/pricing", NEVER)
        .replace("provider: acme", "provider: openai").replace("name: Acme AI pricing page", "name: OpenAI pricing"));
    files.put("openrouter-rankings.yaml", shipped("openrouter-rankings"));
    files.put("huggingface-hub.yaml", shipped("huggingface-hub"));
    App app = TestApp.start(TestApp.config(root, files), true);
    UsageFixture f = new UsageFixture(app);
    if (withHistory) {
      try {
        f.history();
      } catch (Exception | AssertionError e) {
        f.close();
        throw e;
      }
    }
    return f;
  }

  /** A shipped source file, never scheduled. */
  static String shipped(String id) throws Exception {
    return Files.readString(Path.of("sources", id + ".yaml")).replaceAll("(?m)^schedule: .*$",
        "schedule: \"" + NEVER + "\"");
  }

  private void history() throws Exception {
    Replayer r = new Replayer(app.extractors, app.store, app.archive);
    replay(r, "openai", "2025-12-01", prices("10.00", "40.00"), "html");
    replay(r, "openai", "2025-12-24", prices("5.00", "20.00"), "html");
    // One page: the first point is the window's edge, the last the week in progress.
    replay(r, "openrouter-rankings", "2026-01-13", RankingsPages.page(week("2025-12-01", 500, 300, 200),
        week("2025-12-08", 510, 300, 220), week("2025-12-15", 520, 310, 260), week("2025-12-22", 480, 300, 530),
        week("2025-12-29", 470, 320, 500), week("2026-01-05", 560, 330, 450), week("2026-01-12", 40, 30, 20)),
        "html");
    replay(r, "huggingface-hub", "2026-01-01", hub("hub-author-qwen.json", "hub-search-llama.json"), "json");
    replay(r, "huggingface-hub", "2026-01-08", hub("hub-author-qwen.json", "hub-search-llama.json",
        "hub-search-gemma.json"), "json");
  }

  private static String prices(String in, String out) {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put("gpt-5", new String[] {in, out, null});
    m.put("gpt-5-mini", new String[] {"0.25", "2.00", null});
    return Pages.table(m);
  }

  private String hub(String... files) throws Exception {
    List<String> urls = app.sources.source("huggingface-hub").orElseThrow().urls();
    List<SourceBodies.Part> parts = new ArrayList<>();
    for (int i = 0; i < files.length; i++) {
      parts.add(new SourceBodies.Part(urls.get(i), Files.readString(Path.of("src/test/resources/usage", files[i]))));
    }
    return SourceBodies.join(parts);
  }

  static void replay(Replayer r, String source, String day, String body, String format) {
    CheckOutcome o = r.replay(source, Instant.parse(day + "T00:00:00Z"), body.getBytes(StandardCharsets.UTF_8),
        format);
    if ("error".equals(o.outcome())) {
      throw new AssertionError("replay of " + source + " " + day + " failed: " + o);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(java.time.Duration.ofSeconds(10)).build();

  HttpResponse<String> send(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** GET {@code path}; the body, or an AssertionError naming the status. */
  String get(String path) throws Exception {
    HttpResponse<String> r = send(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  @Override
  public void close() {
    app.close();
  }
}
