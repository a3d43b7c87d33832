package io.pricetide.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.bench.Meter.Spread;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as users run it: {@code java -jar target/pricetide.jar run} (build it first with
 * {@code mvn -q -DskipTests package}) on an empty data dir, on 127.0.0.1 and a free port.
 * <ol>
 *   <li>Start to serving: wall time from process start to the first HTTP 200 on {@code /api/prices}, and the
 *       process's CPU by then, with the project's {@code sources/} and with N (default 1,000) benchmark sources;
 *       one warm-up and R (default 5) counted starts each.</li>
 *   <li>Resident memory: with the N benchmark sources (pages served by the shared harness) and 20,000 active
 *       subscriptions ({@code -Dbench.subscriptions}) in the database, one check of every
 *       source through the admin API ({@code POST /api/sources/{id}/check}), then VmRSS and VmHWM from
 *       {@code /proc/PID/status}; then a second, unchanged, cycle and a third with 5% of the pages changed (its
 *       events matched against every subscription, which loads them all), and the same again.</li>
 * </ol>
 * JVM options for the service process come from {@code -Dbench.jvmArgs="..."}: by default
 * {@code @deploy/jvm.options}, as the README's run command passes them ({@code -Dbench.jvmArgs=none}: the JVM's own
 * ergonomics, as a bare {@code java -jar} gets them); the environment from {@code -Dbench.env="K=V K2=V2"}, by default
 * {@code MALLOC_ARENA_MAX=2} as the README, the container image and the systemd unit set it ({@code -Dbench.env=none}: no
 * extra environment). With {@code -XX:NativeMemoryTracking=summary} among the options the report
 * adds the JVM's own account of its memory after both cycles.
 */
class ServiceBench {
  private static final String TOKEN = "bench-admin-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path tmp;

  @Test
  @DisplayName("Start to serving and resident memory of pricetide.jar run")
  void startAndMemory() throws Exception {
    Path jar = Path.of("target", "pricetide.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "build the jar first: mvn -q -DskipTests package");
    int pages = Integer.getInteger("bench.pages", 1000);
    int runs = Integer.getInteger("bench.runs", 5);
    String opts = System.getProperty("bench.jvmArgs", "@deploy/jvm.options").trim();
    List<String> jvmArgs = opts.isEmpty() || opts.equals("none") ? List.of() : Arrays.asList(opts.split("\\s+"));
    BenchReport report = new BenchReport("service");
    report.line("# Start to serving and resident memory of `pricetide.jar run`").line("");
    report.machine();
    Map<String, String> env = new LinkedHashMap<>();
    for (String kv : System.getProperty("bench.env", "MALLOC_ARENA_MAX=2").trim().split("\\s+")) {
      if (kv.contains("=")) {
        env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
    }
    report.line("- service JVM options: %s; extra environment: %s",
        jvmArgs.isEmpty() ? "none (JVM defaults)" : String.join(" ", jvmArgs), env.isEmpty() ? "none" : env);

    try (PeerHarness h = PeerHarness.start(tmp, pages)) {
      Path benchSources = Files.createDirectories(tmp.resolve("bench-sources"));
      for (int i = 1; i <= pages; i++) {
        String id = String.format("bench-%04d", i);
        Files.writeString(benchSources.resolve(id + ".yaml"), PageCycleBench.sourceYaml(id, h.pageUrl(i)));
      }
      Path projectSources = Path.of("sources").toAbsolutePath();
      Map<String, List<Double>> wall = new LinkedHashMap<>();
      Map<String, List<Double>> cpu = new LinkedHashMap<>();
      Map<String, Path> variants = new LinkedHashMap<>();
      variants.put("project sources/ (" + count(projectSources) + " files)", projectSources);
      variants.put(pages + " benchmark sources", benchSources);
      List<Double> bare = new ArrayList<>();
      Map<String, List<Double>> ratio = new LinkedHashMap<>();
      for (int r = 0; r <= runs; r++) {
        // The baseline of the same round: a bare JVM start, `java -version`, by the same binary.
        long b0 = System.nanoTime();
        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, version.waitFor());
        double bareWall = (System.nanoTime() - b0) / 1e9;
        report.line("  - bare `java -version`%s: %.3f s wall", r == 0 ? " [warm-up]" : "", bareWall);
        if (r > 0) {
          bare.add(bareWall);
        }
        for (Map.Entry<String, Path> v : variants.entrySet()) {
          try (Service s = Service.start(jar, jvmArgs, env, tmp.resolve("start-" + r + "-"
              + v.getValue().getFileName()), v.getValue())) {
            report.line("  - start with %s%s: serving after %.2f s wall, %.2f s CPU", v.getKey(),
                r == 0 ? " [warm-up]" : "", s.startWall, s.startCpu);
            if (r > 0) {
              wall.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(s.startWall);
              cpu.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(s.startCpu);
              ratio.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(s.startWall / bareWall);
            }
          }
        }
      }
      report.line("").line("## Start to serving (first 200 on /api/prices, empty data dir)").line("");
      report.line("| sources | wall s | process CPU s by then | ratio to a bare `java -version` of the same round "
          + "| bar |");
      report.line("|---|---|---|---|---|");
      report.line("| bare `java -version` (baseline) | %s | – | 1.00x | |", Spread.of(bare).format(3));
      wall.forEach((k, w) -> report.line("| %s | %s | %s | %sx | < 3 s |", k, Spread.of(w).format(2),
          Spread.of(cpu.get(k)).format(2), Spread.of(ratio.get(k)).format(1)));

      // The bar's 20,000 subscriptions (10,000 webhook, 10,000 email), written to the service's database first,
      // filtered to a provider no source has: every event is matched against all of them, none is delivered.
      int subscriptions = Integer.getInteger("bench.subscriptions", 20_000);
      Path rssData = tmp.resolve("rss");
      try (Database db = Database.open(ConfigLoader.load(null, rssData, benchSources, Map.of()))) {
        AlertFanoutBench.insertSubscribers(db.dataSource(), "http://127.0.0.1:9/hook/", subscriptions / 2,
            subscriptions - subscriptions / 2, "{\"providers\":[\"nobody\"]}");
      }
      report.line("").line("## Resident memory with %d sources and %d subscriptions", pages, subscriptions)
          .line("");
      report.line("| moment | VmRSS MiB | VmHWM (peak) MiB | cycle wall s | outcomes | bar |");
      report.line("|---|---|---|---|---|---|");
      try (Service s = Service.start(jar, jvmArgs, env, rssData, benchSources)) {
        report.line("| serving, before any check | %d | %d | – | – | < 300 MB |", s.rssKb("VmRSS") >> 10,
            s.rssKb("VmHWM") >> 10);
        for (String label : List.of("after the first cycle", "after a second (unchanged) cycle",
            "after a cycle with 5% of pages changed (events matched against every subscription)")) {
          if (label.contains("5%")) {
            h.ctl("hot?fraction=0.05&n=" + pages + "&seed=7");
          }
          long t0 = System.nanoTime();
          Map<String, Integer> outcomes = s.checkAll(pages);
          double w = (System.nanoTime() - t0) / 1e9;
          assertEquals(pages, outcomes.values().stream().mapToInt(Integer::intValue).sum());
          assertTrue(outcomes.keySet().stream().noneMatch(k -> k.startsWith("HTTP") || k.equals("error")),
              () -> "every check succeeds: " + outcomes);
          report.line("| %s | %d | %d | %.2f | %s | < 300 MB |", label, s.rssKb("VmRSS") >> 10,
              s.rssKb("VmHWM") >> 10, w, outcomes);
        }
        if (jvmArgs.stream().anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking"))) {
          // Where the resident memory is, by the JVM's own account (committed, KB), after the cycles.
          Process jcmd = new ProcessBuilder("jcmd", String.valueOf(s.process.pid()), "VM.native_memory", "summary")
              .redirectErrorStream(true).start();
          String nmt = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          jcmd.waitFor();
          report.line("").line("Native memory tracking after the cycles (committed):").line("");
          nmt.lines().filter(l -> l.startsWith("-") || l.startsWith("Total")).map(l -> "    " + l.trim())
              .forEach(report::line);
        }
      }
    }
    report.line("").line("- load average (1/5/15 min) at end: %s", Meter.loadAverage());
    report.line("").line("Report written to %s", report.file());
  }

  private static long count(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).count();
    }
  }

  /** One {@code pricetide.jar run} process on a free port of 127.0.0.1; closing it stops it (SIGTERM). */
  static final class Service implements AutoCloseable {
    final Process process;
    final int port;
    final double startWall;
    final double startCpu;

    private Service(Process process, int port, double startWall, double startCpu) {
      this.process = process;
      this.port = port;
      this.startWall = startWall;
      this.startCpu = startCpu;
    }

    static Service start(Path jar, List<String> jvmArgs, Map<String, String> env, Path dataDir, Path sources)
        throws Exception {
      int port = PeerHarness.freePort();
      List<String> cmd = new ArrayList<>(List.of("java"));
      cmd.addAll(jvmArgs);
      cmd.addAll(List.of("-jar", jar.toString(), "run", "--data", dataDir.toString(), "--sources",
          sources.toString()));
      Files.createDirectories(dataDir.getParent());
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dataDir.getParent().resolve(dataDir.getFileName() + ".log").toFile());
      pb.environment().putAll(Map.of("PRICETIDE_HTTP_HOST", "127.0.0.1", "PRICETIDE_HTTP_PORT",
          String.valueOf(port), "PRICETIDE_ADMIN_TOKEN", TOKEN));
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      Process p = pb.start();
      URI prices = URI.create("http://127.0.0.1:" + port + "/api/prices");
      while (true) {
        if (!p.isAlive()) {
          throw new IllegalStateException("service exited with " + p.exitValue() + " before serving");
        }
        try {
          HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(prices).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        if ((System.nanoTime() - t0) > TimeUnit.MINUTES.toNanos(2)) {
          p.destroyForcibly();
          throw new IllegalStateException("service not serving after 2 minutes");
        }
        Thread.sleep(10);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      Service s = new Service(p, port, wall, 0);
      return new Service(p, port, wall, s.cpuSeconds());
    }

    /** user + system CPU of the process so far, from {@code /proc/PID/stat} (clock ticks of 1/100 s). */
    double cpuSeconds() throws IOException {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    long rssKb(String field) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException(field + " not in /proc status");
    }

    /** Checks every benchmark source through the admin API, at most 64 requests in flight; outcomes counted. */
    Map<String, Integer> checkAll(int pages) throws Exception {
      Semaphore inFlight = new Semaphore(64);
      List<CompletableFuture<String>> fs = new ArrayList<>();
      for (int i = 1; i <= pages; i++) {
        inFlight.acquire();
        HttpRequest req = HttpRequest.newBuilder(URI.create(String.format(
            "http://127.0.0.1:%d/api/sources/bench-%04d/check", port, i))).header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(10)).build();
        fs.add(HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
          inFlight.release();
          if (e != null) {
            return "failed: " + e.getClass().getSimpleName();
          }
          if (r.statusCode() != 200) {
            return "HTTP " + r.statusCode();
          }
          return new io.vertx.core.json.JsonObject(r.body()).getString("outcome");
        }));
      }
      Map<String, Integer> out = new java.util.TreeMap<>();
      for (CompletableFuture<String> f : fs) {
        out.merge(f.get(15, TimeUnit.MINUTES), 1, Integer::sum);
      }
      return out;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
