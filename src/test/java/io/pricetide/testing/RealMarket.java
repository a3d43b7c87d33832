package io.pricetide.testing;

import io.pricetide.app.App;
import io.pricetide.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real market, loaded once per test JVM: every catalogue history, the usage captures and the vendor pages of
 * {@code ../shared/corpus} replayed into one data dir with the project's own {@code sources/}, and the service
 * started on it (loopback, a free port). Suites that test pages on real data share it, so the corpus is replayed
 * once per run, not once per suite; it is read-only for them (a suite that changes data makes its own). Absent
 * corpus: skipped, or failed under {@code CI=true} ({@link Corpus#dir}).
 */
public final class RealMarket {
  /** Source id and corpus folder, in the order they are replayed (catalogues first, as a user would load them). */
  static final List<String[]> REPLAYS = List.of(
      new String[] {"litellm", "litellm"}, new String[] {"openrouter-models", "openrouter"},
      new String[] {"models-dev", "models-dev"}, new String[] {"genai-prices", "genai-prices"},
      new String[] {"llm-prices", "llm-prices"}, new String[] {"openrouter-rankings", "usage"},
      new String[] {"anthropic", "pages/anthropic"}, new String[] {"openai", "pages/openai"},
      new String[] {"google-gemini", "pages/google"}, new String[] {"mistral", "pages/mistral"},
      new String[] {"xai", "pages/xai"}, new String[] {"deepseek-en", "pages/deepseek"},
      new String[] {"alibaba-intl", "pages/alibaba"}, new String[] {"moonshot", "pages/moonshot"});

  private static RealMarket shared;

  private final Path root;
  private final App app;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private RealMarket(Path root, App app) {
    this.root = root;
    this.app = app;
  }

  /** The shared market, replayed and started at the first call. */
  public static synchronized RealMarket get() {
    for (String[] r : REPLAYS) {
      Corpus.dir(r[1]);
    }
    if (shared == null) {
      try {
        shared = load();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(shared.app::close, "real-market-stop"));
    }
    return shared;
  }

  private static RealMarket load() throws IOException {
    Path root = Files.createTempDirectory("pricetide-real-market");
    Path sources = Files.createDirectories(root.resolve("sources"));
    try (Stream<Path> files = Files.list(Path.of("sources"))) {
      for (Path f : files.toList()) {
        Files.copy(f, sources.resolve(f.getFileName()));
      }
    }
    Map<String, String> env = Map.of("PRICETIDE_DATA_DIR", root.resolve("data").toString(),
        "PRICETIDE_SOURCES_DIR", sources.toString());
    for (String[] r : REPLAYS) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Cli.run(new String[] {"replay", "--source", r[0], Corpus.root().resolve(r[1]).toString()},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
          env);
      // A capture that is a source failure (the usage page of 2026-05-21 has no data) makes replay exit 1; the
      // others must have been read.
      if (code != Cli.OK && code != 1) {
        throw new IllegalStateException("replay of " + r[0] + " exited " + code + ": " + err);
      }
    }
    // No schedule: the shared market is read-only, and a live fetch would leave loopback.
    App app = TestApp.start(TestApp.config(root, Map.of(), Map.of("PRICETIDE_SCHEDULER_ENABLED", "false")), true);
    return new RealMarket(root, app);
  }

  /** The running service's base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public String base() {
    return "http://127.0.0.1:" + app.httpPort();
  }

  public Path root() {
    return root;
  }

  /** GETs {@code path} and returns the body; a status other than 200 fails. */
  public String get(String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + path))
          .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + path + ": HTTP " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: GET " + path);
    }
  }
}
