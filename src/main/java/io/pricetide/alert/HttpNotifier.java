package io.pricetide.alert;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

/**
 * Delivers jobs by HTTP POST: the generic signed webhook, Slack and Discord differ only in the body they send.
 * Every request goes to the address {@link WebhookGuard} checked, follows no redirect, has connect and idle
 * timeouts and an overall deadline, and reads at most {@value #MAX_RESPONSE} bytes of the answer. Only 2xx counts.
 */
final class HttpNotifier implements Notifier {
  static final int MAX_RESPONSE = 64 * 1024;
  /**
   * The longest one delivery attempt may take, connecting, sending and reading the answer included; then the
   * request is reset and the attempt counts as failed, so the delivery waits its backoff (a slow receiver is backed
   * off, never held open or hammered). No shorter idle timeout cuts in first: a receiver silent for 14 s still
   * gets its 15 s.
   */
  static final long DEADLINE_MS = 15_000;
  static final long CONNECT_TIMEOUT_MS = 5_000;
  static final String USER_AGENT = "Pricetide-Webhook/0.1 (+https://github.com/pricetide/pricetide)";

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final WebhookGuard guard;
  private final String channel;
  private final Function<Job, String> body;
  private final boolean signed;

  private HttpNotifier(Vertx vertx, HttpClientAgent client, WebhookGuard guard, String channel,
      Function<Job, String> body, boolean signed) {
    this.vertx = vertx;
    this.client = client;
    this.guard = guard;
    this.channel = channel;
    this.body = body;
    this.signed = signed;
  }

  /** One HTTP client shared by the three HTTP channels. */
  static HttpClientAgent client(Vertx vertx, int connections) {
    return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) CONNECT_TIMEOUT_MS)
        .setIdleTimeout((int) (DEADLINE_MS / 1000)),
        new PoolOptions().setHttp1MaxSize(Math.max(1, connections)));
  }

  static HttpNotifier webhook(Vertx vertx, HttpClientAgent client, WebhookGuard guard, Messages messages) {
    return new HttpNotifier(vertx, client, guard, Subscription.WEBHOOK, messages::webhookBody, true);
  }

  static HttpNotifier slack(Vertx vertx, HttpClientAgent client, WebhookGuard guard, Messages messages) {
    return new HttpNotifier(vertx, client, guard, Subscription.SLACK, job -> messages.slack(job).encode(), false);
  }

  static HttpNotifier discord(Vertx vertx, HttpClientAgent client, WebhookGuard guard, Messages messages) {
    return new HttpNotifier(vertx, client, guard, Subscription.DISCORD, job -> messages.discord(job).encode(), false);
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public Future<Outcome> send(Job job) {
    URI u;
    byte[] payload;
    try {
      u = URI.create(job.subscription().target());
      payload = body.apply(job).getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      return Future.succeededFuture(Outcome.permanent(null, "cannot build the request: " + e.getMessage()));
    }
    boolean https = u.getScheme().toLowerCase(Locale.ROOT).equals("https");
    int port = u.getPort() > 0 ? u.getPort() : https ? 443 : 80;
    String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    return guard.resolve(u.getHost(), job.subscription().operator()).compose(address -> {
      RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost(u.getHost()).setPort(port)
          .setSsl(https).setURI(path).setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
          .setFollowRedirects(false).setConnectTimeout(CONNECT_TIMEOUT_MS).setIdleTimeout(DEADLINE_MS)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("User-Agent", USER_AGENT).putHeader("Pricetide-Delivery", job.deliveryId());
      if (signed) {
        o.putHeader("Pricetide-Event", job.messageType().equals(Job.CHANGE)
            ? Groups.isGroup(job) ? "prices.changed" : "price.changed"
            : job.messageType().equals(Job.WORKLOAD) ? WorkloadLines.WEBHOOK_TYPE
            : job.messageType().replace('_', '.'));
        String secret = job.subscription().secret();
        if (secret != null && !secret.isEmpty()) {
          o.putHeader("Pricetide-Signature", Tokens.webhookSignature(secret, System.currentTimeMillis() / 1000,
              payload));
        }
      }
      Promise<Outcome> done = Promise.promise();
      HttpClientRequest[] inflight = {null};
      long timer = vertx.setTimer(DEADLINE_MS, t -> {
        if (done.tryComplete(Outcome.failed(null, "no answer within " + DEADLINE_MS + " ms")) && inflight[0] != null) {
          inflight[0].reset();
        }
      });
      client.request(o).compose(req -> {
        inflight[0] = req;
        return req.send(Buffer.buffer(payload));
      }).compose(this::drain).onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          int status = ar.result();
          done.tryComplete(status >= 200 && status < 300 ? Outcome.delivered(status)
              : Outcome.failed(status, "HTTP " + status + (status >= 300 && status < 400
                  ? " (redirects are not followed)" : "")));
        } else {
          done.tryComplete(Outcome.failed(null, describe(ar.cause())));
        }
      });
      return done.future();
    }, err -> Future.succeededFuture(Outcome.failed(null, err.getMessage())));
  }

  /** Reads and drops the answer (the connection is then reusable); gives up on bodies over the cap. */
  private Future<Integer> drain(HttpClientResponse resp) {
    Promise<Integer> p = Promise.promise();
    int status = resp.statusCode();
    long[] seen = {0};
    resp.handler(b -> {
      seen[0] += b.length();
      if (seen[0] > MAX_RESPONSE) {
        resp.request().reset();
        p.tryComplete(status);
      }
    });
    resp.exceptionHandler(err -> p.tryComplete(status));
    resp.endHandler(v -> p.tryComplete(status));
    return p.future();
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
