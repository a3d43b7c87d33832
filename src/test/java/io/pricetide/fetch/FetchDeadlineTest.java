package io.pricetide.fetch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.source.FetchSettings;
import io.pricetide.source.Guards;
import io.pricetide.source.SourceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue #16 case 2: a fetch has a total deadline however the server paces its body. Real servers on 127.0.0.1 send
 * the headers and some bytes, then either fall silent or trickle one byte at a time, faster than the read timeout
 * would ever notice.
 */
class FetchDeadlineTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private int serve(java.util.function.Consumer<HttpServerResponse> answer) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      HttpServerResponse resp = req.response().setChunked(true).putHeader("Content-Type", "text/html");
      answer.accept(resp);
    });
    return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  private static SourceDefinition source(int port, FetchSettings s) {
    return new SourceDefinition("slow", "slow", "acme", "prices", "http://127.0.0.1:" + port + "/pricing", "html",
        "0 0 0 1 1 ? 2099", "USD", "per_1m", "html-table", Map.of(), s, Guards.DEFAULTS, true, "slow.yaml");
  }

  private String failure(Future<FetchResult> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause().getMessage();
    }
    throw new AssertionError("the fetch succeeded");
  }

  @Test
  @DisplayName("case 2: headers and 100 bytes, then silence: the fetch fails at its deadline, not after retries "
      + "of the read timeout")
  void case2_silenceAfterTheFirstBytesMeetsTheDeadline() throws Exception {
    int port = serve(resp -> resp.write(Buffer.buffer("x".repeat(100))));
    // A read timeout of 10 s and 3 retries would hold the check over 40 s; the deadline is 1.5 s.
    FetchSettings s = new FetchSettings(2_000, 10_000, 1_000_000, 3, 10, 10, 1_500, true);
    long t0 = System.nanoTime();
    String why = failure(new PageFetcher(vertx, "Pricetide-test").fetch(source(port, s), null, null));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(why.contains("fetch deadline of 1500 ms"), why);
    assertTrue(ms < 10_000, "ended by the deadline, before any read timeout: " + ms + " ms");
  }

  @Test
  @DisplayName("case 2: a trickle of one byte every 200 ms never trips the read timeout, yet the fetch ends at its "
      + "deadline and the connection is dropped")
  void case2_trickleMeetsTheDeadline() throws Exception {
    AtomicInteger closed = new AtomicInteger();
    int port = serve(resp -> {
      long id = vertx.setPeriodic(200, t -> {
        if (!resp.closed()) {
          resp.write("x");
        }
      });
      resp.closeHandler(v -> {
        vertx.cancelTimer(id);
        closed.incrementAndGet();
      });
    });
    FetchSettings s = new FetchSettings(2_000, 1_000, 1_000_000, 0, 10, 10, 2_000, true);
    String why = failure(new PageFetcher(vertx, "Pricetide-test").fetch(source(port, s), null, null));
    assertTrue(why.contains("fetch deadline of 2000 ms"), why);
    io.pricetide.testing.TestApp.awaitTrue("the trickling connection to be dropped",
        java.time.Duration.ofSeconds(10), () -> closed.get() > 0);
  }

  @Test
  @DisplayName("case 2: fetch.deadline_ms is read from a source file; without it the documented default holds")
  void case2_deadlineSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String head = "id: acme\nurl: https://a.example/\nschedule: \"0 0 * * * ?\"\n";
    String ex = "extractor:\n  kind: json\n  prices: {input: a}\n";
    java.nio.file.Files.writeString(dir.resolve("a.yaml"), head + "fetch:\n  deadline_ms: 5000\n" + ex);
    java.nio.file.Files.writeString(dir.resolve("b.yaml"), head.replace("acme", "acme-b") + ex);
    io.pricetide.source.SourceLoader loader = new io.pricetide.source.SourceLoader(
        io.pricetide.extract.ExtractorRegistry.builtIn());
    org.junit.jupiter.api.Assertions.assertEquals(5000, loader.loadFile(dir.resolve("a.yaml")).fetch().deadlineMs());
    org.junit.jupiter.api.Assertions.assertEquals(FetchSettings.DEFAULT_DEADLINE_MS,
        loader.loadFile(dir.resolve("b.yaml")).fetch().deadlineMs());
  }
}
