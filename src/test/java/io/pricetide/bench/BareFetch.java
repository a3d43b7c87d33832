package io.pricetide.bench;

import io.pricetide.config.ConfigLoader;
import io.pricetide.fetch.PageFetcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
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

  /** Fetches every URL (all requested at once, queued on the pool); fails unless every answer is a 200. */
  List<byte[]> fetchAll(List<String> urls) throws Exception {
    List<Future<HttpResponse<Buffer>>> fs = new ArrayList<>();
    for (String u : urls) {
      fs.add(client.getAbs(u).putHeader("Accept", "text/html").send());
    }
    Future.join(fs).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    List<byte[]> out = new ArrayList<>(urls.size());
    for (int i = 0; i < fs.size(); i++) {
      HttpResponse<Buffer> r = fs.get(i).result();
      if (r == null || r.statusCode() != 200) {
        throw new IllegalStateException("bare fetch of " + urls.get(i) + " failed: "
            + (r == null ? fs.get(i).cause() : r.statusCode()));
      }
      out.add(r.body().getBytes());
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
