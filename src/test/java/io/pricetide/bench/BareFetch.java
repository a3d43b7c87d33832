package io.pricetide.bench;

import io.pricetide.config.ConfigLoader;
import io.pricetide.fetch.PageFetcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fetch baseline: a Vert.x WebClient with the pipeline's client settings (keep-alive, gzip, the same
 * connections per host, the same User-Agent) that GETs every URL at once and keeps the decoded bodies, and does
 * nothing else: no database, no hashing, no archive, no parsing.
 */
final class BareFetch implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions()
      .setUserAgent(ConfigLoader.DEFAULT_USER_AGENT).setDecompressionSupported(true).setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(PageFetcher.PER_HOST_CONNECTIONS));

  /** Fetches every URL and keeps the bodies (the input of the Jsoup baseline). */
  List<byte[]> fetchAll(List<String> urls) throws Exception {
    List<byte[]> out = new ArrayList<>(urls.size());
    fetch(urls, b -> out.add(b.getBytes()));
    return out;
  }

  /**
   * The fetch baseline: fetches every URL (all requested at once, queued on the pool), takes each decoded body's
   * bytes as the pipeline does, and lets it go; returns the bytes received. Fails unless every answer is a 200.
   */
  long fetchAndDrop(List<String> urls) throws Exception {
    long[] bytes = new long[1];
    fetch(urls, b -> bytes[0] += b.getBytes().length);
    return bytes[0];
  }

  private void fetch(List<String> urls, java.util.function.Consumer<Buffer> body) throws Exception {
    List<Future<Void>> fs = new ArrayList<>();
    for (String u : urls) {
      fs.add(client.getAbs(u).putHeader("Accept", "text/html").send().compose(r -> {
        if (r.statusCode() != 200) {
          return Future.failedFuture("bare fetch of " + u + " answered " + r.statusCode());
        }
        synchronized (this) {
          body.accept(r.body());
        }
        return Future.<Void>succeededFuture();
      }));
    }
    Future.join(fs).toCompletionStage().handle((x, e) -> null).toCompletableFuture().get(10, TimeUnit.MINUTES);
    for (Future<Void> f : fs) {
      if (f.failed()) {
        throw new IllegalStateException(f.cause());
      }
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
