package io.pricetide.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pricetide.source.FetchSettings;
import io.pricetide.source.Guards;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered-page fetch against real headless Chromium and a real Vert.x server on 127.0.0.1. Skipped only
 * where {@code /usr/bin/chromium} is missing and {@code CI} is not true; under {@code CI=true} it is required.
 */
class BrowserFetcherTest {
  private static final String UA = "Pricetide-test/1 (+https://example.invalid/render)";
  private static final String CHART = "{\"weeks\":[{\"week\":\"2025-07-27\",\"tokens\":\"361.8B\"},"
      + "{\"week\":\"2025-08-03\",\"tokens\":\"188.0B\"}]}";
  /** The chart's rows exist only once the page's script has fetched the data and inserted them. */
  private static final String PAGE = """
      <!doctype html><html><head><title>Weekly chart</title></head><body>
      <ul id="chart"></ul>
      <script>
      Promise.all([fetch('/api/chart').then(r => r.json()), fetch('/api/note').then(r => r.text())])
        .then(([d, note]) => {
          const ul = document.getElementById('chart');
          for (const w of d.weeks) {
            const li = document.createElement('li');
            li.textContent = 'week ' + w.week + ': ' + w.tokens;
            ul.appendChild(li);
          }
          ul.dataset.note = note;
        });
      </script></body></html>""";

  private Vertx vertx;
  private HttpServer server;
  private final Map<String, List<String>> agents = new ConcurrentHashMap<>();
  private final AtomicInteger flaky = new AtomicInteger();
  @TempDir
  Path profiles;

  @BeforeAll
  static void needsChromium() {
    boolean present = Files.isExecutable(BrowserFetcher.CHROMIUM);
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("the rendered-page tests need " + BrowserFetcher.CHROMIUM + " when CI=true (apt-get install -y chromium)");
    }
    assumeTrue(present, "Chromium not installed (apt-get install -y chromium); rendered-page tests skipped");
  }

  @BeforeEach
  void serve() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)).requestHandler(this::handle);
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void handle(HttpServerRequest req) {
    agents.computeIfAbsent(req.path(), k -> new CopyOnWriteArrayList<>()).add(req.getHeader("User-Agent"));
    switch (req.path()) {
      case "/page" -> html(req, PAGE);
      // Answered late, so the data arrives after the page's load event.
      case "/api/chart" -> vertx.setTimer(300, t -> req.response().putHeader("Content-Type", "application/json")
          .end(CHART));
      case "/api/note" -> req.response().putHeader("Content-Type", "text/plain").end("not chart data");
      case "/hang" -> html(req, "<!doctype html><html><body><p>loading</p><script src=\"/never.js\"></script>"
          + "</body></html>");
      case "/never.js" -> { } // never answered: the load event never comes
      case "/poll" -> html(req, "<!doctype html><html><body><script>setInterval(() => fetch('/api/tick'), 100);"
          + "</script></body></html>");
      case "/api/tick" -> req.response().putHeader("Content-Type", "application/json").end("{\"tick\":1}");
      case "/big" -> html(req, "<!doctype html><html><body><script>fetch('/api/big').then(r => r.json())"
          + ".then(d => document.body.append(String(d.rows.length)));</script></body></html>");
      case "/api/big" -> {
        StringBuilder rows = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < 20_000; i++) {
          rows.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append('}');
        }
        req.response().putHeader("Content-Type", "application/json").end(rows.append("]}").toString());
      }
      case "/flaky" -> {
        if (flaky.getAndIncrement() == 0) {
          req.response().setStatusCode(503).end("busy");
        } else {
          html(req, PAGE);
        }
      }
      case "/outside" -> html(req, "<!doctype html><html><body><script>fetch('/api/chart');"
          + "fetch('http://pricetide-outside.invalid/data.json').catch(e => 0);"
          + "fetch('http://localhost:' + location.port + '/api/secret').catch(e => 0);</script></body></html>");
      default -> req.response().setStatusCode(404).putHeader("Content-Type", "text/html").end("<p>no such page</p>");
    }
  }

  private static void html(HttpServerRequest req, String body) {
    req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(body);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  private static SourceDefinition source(String url, long maxBytes, long timeoutMs) {
    FetchSettings s = new FetchSettings(5_000, 5_000, maxBytes, 0, 100, 100).rendered(timeoutMs);
    return new SourceDefinition("rendered-test", "Rendered test", "acme", "usage", url, RenderedFetch.FORMAT,
        "0 0 0 1 1 ? 2099", "USD", "per_1m", "openrouter-rankings", Map.of(), s, Guards.DEFAULTS, true,
        "rendered-test.yaml");
  }

  private BrowserFetcher fetcher() {
    return new BrowserFetcher(vertx, UA, BrowserFetcher.CHROMIUM, profiles);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private static FetchException failure(Future<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
    assertTrue(e.getCause() instanceof FetchException, "not a fetch failure: " + e.getCause());
    return (FetchException) e.getCause();
  }

  /** Processes started for this test's renders: each names its folder under {@link #profiles}. */
  private List<ProcessHandle> browsers() {
    String root = profiles.toString();
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine().orElse("").contains(root)).toList();
  }

  /** After a render: no process of it runs and its profile is deleted. */
  private void assertBrowserGone() throws Exception {
    List<ProcessHandle> left = browsers();
    assertTrue(left.isEmpty(), () -> "browser processes left behind: "
        + left.stream().map(h -> h.pid() + " " + h.info().command().orElse("?")).toList());
    try (Stream<Path> s = Files.list(profiles)) {
      assertEquals(List.of(), s.toList(), "profile folders left behind");
    }
  }

  @Test
  @DisplayName("A page that loads its chart data by script: the rendered document holds the inserted rows, the"
      + " JSON response is captured as served (the text one is not), every request carries our User-Agent")
  void rendersScriptLoadedData() throws Exception {
    RenderedFetch page = await(fetcher().fetch(source(url("/page"), 1_000_000, 30_000)));
    assertEquals(200, page.status());
    assertEquals(url("/page"), page.url());
    assertFalse(PAGE.contains("<li>"), "the served page itself has no rows");
    assertTrue(page.html().contains("<li>week 2025-07-27: 361.8B</li><li>week 2025-08-03: 188.0B</li>"),
        page.html());
    assertEquals(List.of(new RenderedFetch.Response(url("/api/chart"), 200, "application/json", CHART)),
        page.responses());
    assertEquals(List.of(UA), agents.get("/page"));
    assertEquals(List.of(UA), agents.get("/api/chart"));
    assertTrue(page.html().contains("data-note=\"not chart data\""), "the text response was loaded, not kept");
    assertEquals(List.of(UA), agents.get("/api/note"));
    assertBrowserGone();

    FetchResult r = await(fetcher().fetchResult(source(url("/page"), 1_000_000, 30_000)));
    assertEquals(200, r.status());
    assertEquals(RenderedFetch.CONTENT_TYPE, r.contentType());
    assertEquals(1, r.attempts());
    String container = new String(r.decoded(1_000_000), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(container.startsWith("{\"format\":\"rendered\",\"version\":1,"), container);
    assertBrowserGone();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/hang", "/poll"})
  @DisplayName("A page that never finishes (a script never answered; polling forever) fails at the time limit,"
      + " and its browser is stopped")
  void timeLimit(String path) throws Exception {
    Future<RenderedFetch> f = fetcher().fetch(source(url(path), 1_000_000, 4_000));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (browsers().isEmpty() && !f.isComplete() && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertFalse(browsers().isEmpty(), "the process check sees the browser while it renders");
    FetchException e = failure(f);
    assertTrue(e.getMessage().contains("render did not finish within 4000 ms"), e.getMessage());
    assertTrue(e.getMessage().startsWith("source rendered-test, stage fetch: "), e.getMessage());
    assertTrue(e.isRetryable());
    assertBrowserGone();
  }

  @Test
  @DisplayName("The size cap counts the JSON responses: a page whose data is larger than max_bytes fails")
  void sizeCap() throws Exception {
    FetchException e = failure(fetcher().fetch(source(url("/big"), 100_000, 30_000)));
    assertTrue(e.getMessage().contains("larger than the cap of 100000 bytes"), e.getMessage());
    assertFalse(e.isRetryable());
    assertBrowserGone();
    // The same page under a cap that holds it renders.
    RenderedFetch ok = await(fetcher().fetch(source(url("/big"), 1_000_000, 30_000)));
    assertTrue(ok.html().contains("20000"), ok.html());
    assertBrowserGone();
  }

  @Test
  @DisplayName("A document answered 404 is a fetch failure with its status, not a rendered page")
  void errorStatus() throws Exception {
    FetchException e = failure(fetcher().fetch(source(url("/missing"), 1_000_000, 30_000)));
    assertEquals(404, e.statusCode());
    assertFalse(e.isRetryable());
    assertBrowserGone();
  }

  @Test
  @DisplayName("A source that does not set fetch.render is never rendered")
  void onlyWhenTheSourceSetsIt() throws Exception {
    SourceDefinition plain = new SourceDefinition("plain", "Plain", "acme", "usage", url("/page"), "html",
        "0 0 0 1 1 ? 2099", "USD", "per_1m", "openrouter-rankings", Map.of(), FetchSettings.DEFAULTS,
        Guards.DEFAULTS, true, "plain.yaml");
    FetchException e = failure(fetcher().fetch(plain));
    assertTrue(e.getMessage().contains("does not set fetch.render"), e.getMessage());
    assertEquals(null, agents.get("/page"), "no request was made");
    assertBrowserGone();
  }

  @Test
  @DisplayName("A failure that may pass (503) is retried with the source's retries and backoff")
  void retries() throws Exception {
    FetchSettings once = new FetchSettings(5_000, 5_000, 1_000_000, 1, 100, 100).rendered(30_000);
    SourceDefinition src = source(url("/flaky"), 1_000_000, 30_000);
    src = new SourceDefinition(src.id(), src.name(), src.provider(), src.kind(), src.url(), src.format(),
        src.schedule(), src.currency(), src.unit(), src.extractorKind(), src.extractorConfig(), once, src.guards(),
        true, src.file());
    FetchResult r = await(fetcher().fetchResult(src));
    assertEquals(2, r.attempts());
    assertEquals(200, r.status());
    assertEquals(2, agents.get("/flaky").size());
    assertBrowserGone();
  }

  @Test
  @DisplayName("A page the browser cannot reach fails naming the browser's error")
  void unreachable() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    FetchException e = failure(fetcher().fetch(source("http://127.0.0.1:" + closed + "/page", 1_000_000, 30_000)));
    assertTrue(e.getMessage().contains("the browser could not load the page: net::ERR_CONNECTION_REFUSED"),
        e.getMessage());
    assertBrowserGone();
  }

  @Test
  @DisplayName("Off the network: the page reaches its own host; its call to another site, one to this machine"
      + " under another name, and the browser's own background requests are refused by the render's proxy")
  void offTheNetworkButThePage() throws Exception {
    RenderedFetch page = await(fetcher().fetch(source(url("/outside"), 1_000_000, 30_000)));
    assertEquals(List.of(url("/api/chart")), page.responses().stream().map(RenderedFetch.Response::url).toList());
    assertTrue(page.refused().contains("GET http://pricetide-outside.invalid/data.json"), page.refused().toString());
    assertTrue(page.refused().contains("GET http://localhost:" + server.actualPort() + "/api/secret"),
        page.refused().toString());
    assertEquals(null, agents.get("/api/secret"), "loopback under another name than the source's is refused");
    for (String r : page.refused()) {
      assertFalse(r.contains("127.0.0.1"), "the source's own host goes direct: " + r);
    }
    assertBrowserGone();
  }
}
