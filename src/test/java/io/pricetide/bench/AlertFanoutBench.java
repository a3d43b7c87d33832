package io.pricetide.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.pricetide.app.App;
import io.pricetide.bus.Addresses;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.testing.FakeVendor;
import io.pricetide.testing.Pages;
import io.pricetide.testing.TestApp;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert benchmarks (not a timed test; run with {@code mvn -Pbench test -Dtest=AlertFanoutBench}):
 *
 * <ol>
 *   <li>Fan-out: a price change sent by the real pipeline (check, history, matcher, outbox, workers) to 10,000
 *       webhook subscribers on a loopback receiver, to 10,000 email subscribers on GreenMail, and to both at once;
 *       several changes per running service, each followed by the baselines measured in the same run: a bare
 *       WebClient POST loop of a body of the same size to the same receiver with the same concurrency, and a bare
 *       Vert.x MailClient loop of a like message to the same GreenMail (both loops at once for the mixed case).
 *       A warm-up phase runs first so that the JIT has compiled the shared paths (Netty, Vert.x, H2, Jackson).</li>
 *   <li>Detection-to-webhook latency: from the event's {@code created_at} (written by the history transaction) to
 *       its arrival at the receiver, over repeated cuts with one subscriber; also from its publication on
 *       {@code change.detected} as seen by a consumer in the same JVM.</li>
 * </ol>
 * Properties: {@code bench.phases} (default {@code warmup,webhook,email,both,latency}), {@code bench.webhooks},
 * {@code bench.emails} (10,000 each), {@code bench.fanout.rounds} (4), {@code bench.rounds} (300 latency rounds).
 * Results print as one JSON object ({@code BENCH {...}}) and go to {@code target/bench-alerts.json}.
 */
class AlertFanoutBench {
  private static final int WEBHOOKS = Integer.getInteger("bench.webhooks", 10_000);
  private static final int EMAILS = Integer.getInteger("bench.emails", 10_000);
  private static final int LATENCY_ROUNDS = Integer.getInteger("bench.rounds", 300);
  private static final int ROUNDS = Integer.getInteger("bench.fanout.rounds", 4);
  private static final int CONCURRENCY = 64;
  private static final int MAIL_POOL = 8;

  static {
    System.setProperty("org.slf4j.simpleLogger.log.com.icegreen", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.pricetide.history", "warn");
  }

  @TempDir
  Path root;

  private final Map<String, Object> results = new LinkedHashMap<>();

  /** A receiver that answers 200 at once and counts, with the arrival time of each request. */
  static final class Sink implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final AtomicInteger count = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicLong first = new AtomicLong();
    final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    final Map<String, Instant> arrivalsWall = new ConcurrentHashMap<>();
    final HttpServer server;

    Sink() {
      server = await(vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet()).requestHandler(req -> req.body().onSuccess(b -> {
        long now = System.nanoTime();
        Instant wall = Instant.now();
        String event = req.getHeader("X-Bench-Event");
        if (event == null && b.length() > 0 && b.getByte(0) == '{') {
          JsonObject j = b.toJsonObject();
          JsonObject ev = j.getJsonObject("event");
          if (ev != null) {
            arrivalsWall.putIfAbsent(ev.getString("id"), wall);
            arrivals.putIfAbsent(ev.getString("id"), now); // last: the bench polls this one
          }
        }
        first.compareAndSet(0, now);
        count.incrementAndGet();
        req.response().end();
      })).listen(0, "127.0.0.1"));
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    @Override
    public void close() {
      await(vertx.close());
    }
  }

  @Test
  void fanOutAndLatency() throws Exception {
    results.put("cpus", Runtime.getRuntime().availableProcessors());
    results.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    String phases = System.getProperty("bench.phases", "warmup,webhook,email,both,latency");
    Map<String, Integer> runs = new LinkedHashMap<>();
    for (String phase : phases.split(",")) {
      int run = runs.merge(phase.trim(), 1, Integer::sum);
      String name = phase.trim() + (run == 1 ? "" : "_run" + run);
      switch (phase.trim()) {
        case "warmup" -> fanOut(name, 5_000, 1_000); // JIT, pools and caches; reported but not the result
        case "webhook" -> fanOut(name, WEBHOOKS, 0);
        case "email" -> fanOut(name, 0, EMAILS);
        case "both" -> fanOut(name, WEBHOOKS, EMAILS);
        case "latency" -> latency();
        case "latency_cycle" -> latencyUnderCycle();
        default -> throw new IllegalArgumentException("unknown phase " + phase);
      }
    }
    StringBuilder json = new StringBuilder("{");
    results.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":")
        .append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v)));
    json.append('}');
    System.out.println("BENCH " + json);
    Path out = Path.of("target", "bench-alerts.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json + "\n");
  }

  // ------------------------------------------------------------------ fan-out

  /**
   * {@link #ROUNDS} price changes, each fanned out to {@code webhooks} + {@code emails} subscribers by one running
   * service and timed from the check's start to the last arrival; after each, the bare loops for the same counts
   * against the same receivers (concurrently when both are present). Rounds alternate a cut and an increase. The
   * first round carries the JIT warm-up of the service's paths; the median ratio is taken over the later ones.
   */
  private void fanOut(String name, int webhooks, int emails) throws Exception {
    int smtpPort = freePort();
    GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    try (Sink sink = new Sink(); FakeVendor vendor = new FakeVendor().serve(page("10.00"))) {
      AppConfig cfg = config(root.resolve(name), vendor.url("/pricing"), Map.of(
          "PRICETIDE_MAIL_HOST", "127.0.0.1", "PRICETIDE_MAIL_PORT", String.valueOf(smtpPort),
          "PRICETIDE_MAIL_POOL", String.valueOf(MAIL_POOL), "PRICETIDE_WEBHOOK_CONCURRENCY",
          String.valueOf(CONCURRENCY)));
      results.put(name + "_webhooks", webhooks);
      results.put(name + "_emails", emails);
      List<Double> ratios = new ArrayList<>();
      List<Double> cpuRatios = new ArrayList<>();
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        insertSubscribers(app.db.dataSource(), sink.url("/hook/"), webhooks, emails, "{\"min_percent\":\"10\"}");
        for (int round = 1; round <= ROUNDS; round++) {
          String r = name + "_r" + round;
          int base = sink.count.get();
          sink.first.set(0);
          smtp.purgeEmailFromAllMailboxes();
          vendor.serve(page(round % 2 == 1 ? "7.00" : "10.00"));
          long cpu0 = processCpuNanos();
          long t0 = System.nanoTime();
          TestApp.check(app, "acme");
          AtomicLong webhooksDone = new AtomicLong(webhooks == 0 ? t0 : 0);
          TestApp.awaitTrue("all webhooks", Duration.ofMinutes(20), () -> {
            if (webhooksDone.get() == 0 && sink.count.get() - base >= webhooks) {
              webhooksDone.set(System.nanoTime());
            }
            return sink.count.get() - base >= webhooks;
          });
          if (emails > 0) {
            assertTrue(smtp.waitForIncomingEmail(TimeUnit.MINUTES.toMillis(30), emails), "all emails");
          }
          long emailsDone = System.nanoTime();
          int delivered = round * (webhooks + emails);
          TestApp.awaitTrue("every delivery recorded", Duration.ofMinutes(5),
              () -> app.alerts().deliveryCounts().getOrDefault("delivered", 0) >= delivered);
          long recorded = System.nanoTime() - t0;
          long cpu = processCpuNanos() - cpu0;
          long ours = Math.max(webhooksDone.get(), emailsDone) - t0;
          assertEquals(webhooks, sink.count.get() - base, "no duplicates");
          assertEquals(emails, smtp.getReceivedMessages().length);
          results.put(r + "_all_received_ms", ms(ours));
          if (webhooks > 0) {
            results.put(r + "_first_webhook_ms", ms(sink.first.get() - t0));
            results.put(r + "_webhooks_received_ms", ms(webhooksDone.get() - t0));
          }
          if (emails > 0) {
            results.put(r + "_emails_received_ms", ms(emailsDone - t0));
          }
          results.put(r + "_all_recorded_ms", ms(recorded));
          results.put(r + "_cpu_ms", ms(cpu));

          String sample = app.queries.events(new io.pricetide.history.HistoryQueries.EventFilter("acme", null, null,
              null, null, null, 0, true)).get(0).toJson().encode();
          String body = new JsonObject().put("type", "price.changed")
              .put("delivery_id", "00000000-0000-0000-0000-000000000000").put("event", new JsonObject(sample))
              .put("subscription", "sub_bench_0").encode();
          smtp.purgeEmailFromAllMailboxes();
          int before = sink.count.get();
          long bareCpu0 = processCpuNanos();
          long b0 = System.nanoTime();
          Future<Long> posts = webhooks == 0 ? Future.succeededFuture(0L) : barePostLoop(sink, body, webhooks);
          Future<Long> mails = emails == 0 ? Future.succeededFuture(0L) : bareMailLoop(smtpPort, emails);
          await(Future.all(posts, mails));
          if (emails > 0) {
            assertTrue(smtp.waitForIncomingEmail(60_000, emails));
          }
          long bare = System.nanoTime() - b0;
          long bareCpu = processCpuNanos() - bareCpu0;
          assertEquals(before + webhooks, sink.count.get());
          results.put(r + "_bare_all_ms", ms(bare));
          results.put(r + "_bare_cpu_ms", ms(bareCpu));
          results.put(r + "_ratio", round((double) ours / bare));
          results.put(r + "_cpu_ratio", round((double) cpu / bareCpu));
          if (round > 1) {
            ratios.add((double) ours / bare);
            cpuRatios.add((double) cpu / bareCpu);
          }
        }
      }
      results.put(name + "_median_ratio_after_first", round(median(ratios)));
      results.put(name + "_median_cpu_ratio_after_first", round(median(cpuRatios)));
    } finally {
      smtp.stop();
    }
  }

  private static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = xs.stream().sorted().toList();
    return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Active webhook and email subscriptions with this filter, written straight to the table (setup, not timed). */
  static void insertSubscribers(javax.sql.DataSource ds, String hookBase, int webhooks, int emails, String filter)
      throws Exception {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_subscription (public_id, channel, target, "
          + "filter_json, baseline, baseline_days, delivery_mode, rearm_seconds, secret, status, is_operator, "
          + "created_at, confirmed_at) VALUES (?,?,?,?,'previous',30,'instant',0,?,'active',FALSE,?,?)")) {
        for (int i = 0; i < webhooks + emails; i++) {
          boolean hook = i < webhooks;
          ps.setString(1, "sub_bench_" + i);
          ps.setString(2, hook ? "webhook" : "email");
          ps.setString(3, hook ? hookBase + i : "user" + i + "@bench.test");
          ps.setString(4, filter);
          ps.setString(5, hook ? "whsec_bench_secret_" + i : null);
          ps.setObject(6, now);
          ps.setObject(7, now);
          ps.addBatch();
          if (i % 1000 == 999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE alert_cursor SET position = position + 1 WHERE name = 'subscriptions'")) {
        ps.executeUpdate();
      }
      c.commit();
    }
  }

  /** POSTs the body {@code n} times with {@link #CONCURRENCY} in flight; the future holds the elapsed nanos. */
  private Future<Long> barePostLoop(Sink sink, String body, int n) {
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(CONCURRENCY));
    Buffer payload = Buffer.buffer(body);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    long t0 = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < CONCURRENCY; i++) {
        postNext(client, sink.url("/bare/"), payload, n, next, done, all);
      }
    });
    return all.future().map(v -> System.nanoTime() - t0).eventually(() -> vertx.close());
  }

  private static void postNext(WebClient client, String base, Buffer payload, int n, AtomicInteger next,
      AtomicInteger done, Promise<Void> all) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return;
    }
    client.postAbs(base + i).putHeader("Content-Type", "application/json").sendBuffer(payload).onComplete(ar -> {
      if (done.incrementAndGet() == n) {
        all.tryComplete();
      } else {
        postNext(client, base, payload, n, next, done, all);
      }
    });
  }

  /** Sends {@code n} emails with the same pool and twice as many in flight as the service uses. */
  private Future<Long> bareMailLoop(int port, int n) {
    Vertx vertx = Vertx.vertx();
    MailClient client = MailClient.create(vertx, new MailConfig().setHostname("127.0.0.1").setPort(port)
        .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED).setMaxPoolSize(MAIL_POOL)
        .setKeepAlive(true));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    String text = "Acme Large input \u221230.00% to $7.00 / 1M tokens (was $10.00)\n".repeat(8);
    long t0 = System.nanoTime();
    vertx.runOnContext(v -> {
      for (int i = 0; i < MAIL_POOL * 2; i++) {
        mailNext(client, text, n, next, done, all);
      }
    });
    return all.future().map(v -> System.nanoTime() - t0).eventually(() -> vertx.close());
  }

  private static void mailNext(MailClient client, String text, int n, AtomicInteger next, AtomicInteger done,
      Promise<Void> all) {
    int i = next.getAndIncrement();
    if (i >= n) {
      return;
    }
    client.sendMail(new MailMessage().setFrom("alerts@bench.test").setTo("user" + i + "@bench.test")
        .setSubject("Acme Large input \u221230.00% to $7.00 / 1M tokens (was $10.00)").setText(text)
        .setHtml("<p>" + text + "</p>")).onComplete(ar -> {
          if (done.incrementAndGet() == n) {
            all.tryComplete();
          } else {
            mailNext(client, text, n, next, done, all);
          }
        });
  }

  // ------------------------------------------------------------------ latency

  private void latency() throws Exception {
    try (Sink sink = new Sink(); FakeVendor vendor = new FakeVendor().serve(page("10.00"))) {
      AppConfig cfg = config(root.resolve("latency"), vendor.url("/pricing"), Map.of());
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        JsonObject sub = new JsonObject().put("channel", "webhook").put("target", sink.url("/latency"));
        subscribe(app, sub);
        Map<String, Long> published = new ConcurrentHashMap<>();
        await(app.vertx.eventBus().<JsonObject>consumer(Addresses.CHANGE_DETECTED,
            m -> published.putIfAbsent(m.body().getString("id"), System.nanoTime())).completion());
        List<Long> fromRecorded = new ArrayList<>();
        List<Long> fromPublished = new ArrayList<>();
        for (int i = 0; i < LATENCY_ROUNDS + 20; i++) {
          vendor.serve(page(i % 2 == 0 ? "7.00" : "10.00"));
          long eventId = TestApp.check(app, "acme").events().get(0).id();
          String id = String.valueOf(eventId);
          TestApp.awaitTrue("round " + i, Duration.ofSeconds(30), () -> sink.arrivals.containsKey(id)
              && published.containsKey(id));
          if (i >= 20) { // the first rounds warm the JIT up
            fromRecorded.add(Duration.between(createdAt(app, eventId), sink.arrivalsWall.get(id)).toNanos() / 1000);
            fromPublished.add((sink.arrivals.get(id) - published.get(id)) / 1000);
          }
        }
        summarize("latency_from_recorded", fromRecorded);
        summarize("latency_from_published", fromPublished);
      }
    }
  }

  /**
   * The latency again while check cycles run without pause: {@code bench.cycle.sources} (100) other sources of
   * {@code bench.cycle.models} (50) models each, served by a second vendor whose every price moves between two
   * values on each cycle, are all checked at once, cycle after cycle, for as long as the latency rounds last. Their
   * events (about sources × models × 2 per cycle) go through the same history, matcher and outbox; the one webhook
   * subscriber filters on acme, so what is timed is one delivery among the cycles' work, as a subscriber of a busy
   * service sees it.
   */
  private void latencyUnderCycle() throws Exception {
    int sources = Integer.getInteger("bench.cycle.sources", 100);
    int models = Integer.getInteger("bench.cycle.models", 50);
    try (Sink sink = new Sink(); FakeVendor vendor = new FakeVendor().serve(page("10.00"));
        FakeVendor bulk = new FakeVendor().serve(bulkPage(models, 0))) {
      Path dir = root.resolve("latency-cycle");
      Files.createDirectories(dir.resolve("sources"));
      for (int n = 0; n < sources; n++) {
        Files.writeString(dir.resolve("sources").resolve("bulk" + n + ".yaml"), Pages.sourceYaml("bulk" + n,
            bulk.url("/bulk/" + n), "0 0 0 1 1 ? 2099").replace("provider: acme", "provider: bulk"));
      }
      AppConfig cfg = config(dir, vendor.url("/pricing"), Map.of());
      try (App app = TestApp.start(cfg, true)) {
        TestApp.check(app, "acme");
        JsonObject sub = new JsonObject().put("channel", "webhook").put("target", sink.url("/latency"))
            .put("filter", new JsonObject().put("providers", new JsonArray().add("acme")));
        subscribe(app, sub);
        // The first cycle writes every bulk series; the timed rounds run beside the cycles that change them.
        cycle(app, sources);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger cycles = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong bulkChecks = new java.util.concurrent.atomic.AtomicLong();
        Thread cycler = new Thread(() -> {
          while (!stop.get()) {
            bulk.serve(bulkPage(models, cycles.get() + 1));
            bulkChecks.addAndGet(cycle(app, sources));
            cycles.incrementAndGet();
          }
        }, "bench-cycles");
        cycler.setDaemon(true);
        cycler.start();
        List<Long> fromRecorded = new ArrayList<>();
        try {
          for (int i = 0; i < LATENCY_ROUNDS + 20; i++) {
            vendor.serve(page(i % 2 == 0 ? "7.00" : "10.00"));
            long eventId = TestApp.check(app, "acme").events().get(0).id();
            String id = String.valueOf(eventId);
            TestApp.awaitTrue("round " + i, Duration.ofSeconds(60), () -> sink.arrivals.containsKey(id));
            if (i >= 20) {
              fromRecorded.add(Duration.between(createdAt(app, eventId), sink.arrivalsWall.get(id)).toNanos() / 1000);
            }
          }
        } finally {
          stop.set(true);
          cycler.join(600_000);
        }
        summarize("latency_under_cycles_from_recorded", fromRecorded);
        results.put("latency_under_cycles_cycles", cycles.get());
        results.put("latency_under_cycles_bulk_checks_changed", bulkChecks.get());
        results.put("latency_under_cycles_sources", sources);
        results.put("latency_under_cycles_models_per_source", models);
      }
    }
  }

  /** One check of every bulk source at once; how many ended changed. */
  private static long cycle(App app, int sources) {
    List<Future<io.vertx.core.eventbus.Message<JsonObject>>> all = new ArrayList<>();
    for (int n = 0; n < sources; n++) {
      all.add(app.vertx.eventBus().request(Addresses.SOURCE_CHECK,
          io.pricetide.bus.CheckRequest.now("bulk" + n).toJson(), Addresses.CHECK_TIMEOUT));
    }
    long changed = 0;
    for (var f : all) {
      String outcome = await(f).body().getString("outcome");
      if ("changed".equals(outcome) || "new".equals(outcome)) {
        changed++;
      }
    }
    return changed;
  }

  /** A page of {@code models} models whose prices take one of two values, 5% apart, by the cycle's parity. */
  private static String bulkPage(int models, int cycle) {
    Map<String, String[]> m = new LinkedHashMap<>();
    for (int i = 0; i < models; i++) {
      // Moves of about 5%: a real cycle's small changes, not jumps a guard would hold back.
      java.math.BigDecimal in = java.math.BigDecimal.valueOf(100 + i + (cycle % 2 == 0 ? 0 : 5), 2);
      m.put("Bulk Model " + i, new String[] {in.toPlainString(), cycle % 2 == 0 ? "3.00" : "3.15", null});
    }
    return Pages.table(m);
  }

  /** Creates a subscription through the API, as a subscriber would. */
  private static void subscribe(App app, JsonObject sub) throws Exception {
    var r = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + app.httpPort() + "/api/subscriptions"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer bench-admin").header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(sub.encode())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
  }

  /** When the history transaction wrote the event (the detection time). */
  private static Instant createdAt(App app, long id) {
    try (Connection c = app.db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT created_at FROM change_event WHERE id = ?")) {
      ps.setLong(1, id);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1, OffsetDateTime.class).toInstant();
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void summarize(String name, List<Long> micros) {
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    results.put(name + "_rounds", sorted.length);
    results.put(name + "_p50_ms", round(pct(sorted, 50) / 1000.0));
    results.put(name + "_p90_ms", round(pct(sorted, 90) / 1000.0));
    results.put(name + "_p99_ms", round(pct(sorted, 99) / 1000.0));
    results.put(name + "_max_ms", round(sorted[sorted.length - 1] / 1000.0));
    results.put(name + "_min_ms", round(sorted[0] / 1000.0));
  }

  private static long pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  // ------------------------------------------------------------------ helpers

  private static AppConfig config(Path root, String vendorUrl, Map<String, String> extra) throws IOException {
    Path sources = Files.createDirectories(root.resolve("sources"));
    Files.writeString(sources.resolve("acme.yaml"), Pages.sourceYaml("acme", vendorUrl, "0 0 0 1 1 ? 2099"));
    Map<String, String> env = new LinkedHashMap<>(Map.of("PRICETIDE_HTTP_PORT", "0", "PRICETIDE_HTTP_HOST",
        "127.0.0.1", "PRICETIDE_ADMIN_TOKEN", "bench-admin", "PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "true",
        "PRICETIDE_MAIL_STARTTLS", "disabled", "PRICETIDE_DELIVERY_POLL_MS", "1000"));
    env.putAll(extra);
    return ConfigLoader.load(null, root.resolve("data"), sources, env).withScheduler(false);
  }

  private static String page(String largeInput) {
    Map<String, String[]> m = new LinkedHashMap<>();
    m.put("Acme Large", new String[] {largeInput, "30.00", "5.00"});
    m.put("Acme Small", new String[] {"0.15", "0.60", null});
    return Pages.table(m);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Instant now() {
    return Instant.now();
  }
}
