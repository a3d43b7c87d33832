package io.pricetide.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The shared urlwatch peer harness ({@code ../shared/bench}, read-only) copied into a temporary folder and started
 * there: {@code pricing_server.py} serving N synthetic pricing pages and {@code sinks.py} (SMTP and webhook
 * receivers), each on a free port of 127.0.0.1. It also runs timed commands under {@code /usr/bin/time}, so
 * urlwatch and the {@code pricetide.jar} CLI are measured the same way the harness measures urlwatch. Closing it
 * stops both servers.
 */
final class PeerHarness implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Path dir;
  final int pages;
  final int port;
  final int smtpPort;
  final int hookPort;
  private final Process server;
  private final Process sinks;

  private PeerHarness(Path dir, int pages, int port, int smtpPort, int hookPort, Process server, Process sinks) {
    this.dir = dir;
    this.pages = pages;
    this.port = port;
    this.smtpPort = smtpPort;
    this.hookPort = hookPort;
    this.server = server;
    this.sinks = sinks;
  }

  /** Where the read-only harness lives: {@code -Dpricetide.bench}, default {@code ../shared/bench}. */
  static Path source() {
    return Path.of(System.getProperty("pricetide.bench", "../shared/bench")).toAbsolutePath().normalize();
  }

  /** Copies the harness into {@code work}, writes the urlwatch configs and starts the page server and sinks. */
  static PeerHarness start(Path work, int pages) throws Exception {
    Path src = source();
    if (!Files.isRegularFile(src.resolve("pricing_server.py"))) {
      throw new IllegalStateException("peer harness not found at " + src + " (set -Dpricetide.bench=DIR)");
    }
    Path dir = Files.createDirectories(work.resolve("harness"));
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = dir.resolve(f.getFileName().toString());
        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        to.toFile().setWritable(true, true);
      }
    }
    Files.createDirectories(dir.resolve("state"));
    Files.createDirectories(dir.resolve("run/inbox"));
    int port = freePort();
    int smtp = freePort();
    int hook = freePort();
    exec(dir, List.of("/usr/bin/python3", "gen_configs.py", "--port", String.valueOf(port), "--smtp-port",
        String.valueOf(smtp), "--hook-port", String.valueOf(hook), String.valueOf(pages)), Duration.ofMinutes(1));
    try (Stream<Path> conf = Files.list(dir.resolve("conf"))) {
      for (Path f : conf.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
    }
    Process server = new ProcessBuilder("/usr/bin/python3", "pricing_server.py", "--pages", String.valueOf(pages),
        "--port", String.valueOf(port)).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("run/server.log").toFile()).start();
    Process sinks = new ProcessBuilder("/usr/bin/python3", "sinks.py", "--outdir", "run/inbox", "--smtp-port",
        String.valueOf(smtp), "--http-port", String.valueOf(hook)).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve("run/sinks.log").toFile()).start();
    PeerHarness h = new PeerHarness(dir, pages, port, smtp, hook, server, sinks);
    try {
      h.awaitUp(Duration.ofMinutes(3));
    } catch (Exception e) {
      h.close();
      throw e;
    }
    return h;
  }

  private void awaitUp(Duration timeout) throws Exception {
    Instant end = Instant.now().plus(timeout);
    while (true) {
      if (!server.isAlive() || !sinks.isAlive()) {
        throw new IllegalStateException("harness server exited; see " + dir.resolve("run"));
      }
      try {
        ctl("stats");
        get("http://127.0.0.1:" + hookPort + "/_stats");
        return;
      } catch (IOException e) {
        if (Instant.now().isAfter(end)) {
          throw new IllegalStateException("harness not up after " + timeout, e);
        }
        // page generation takes about 8 s per 1,000 pages: poll until it answers
        Thread.sleep(100);
      }
    }
  }

  String pageUrl(int i) {
    return String.format("http://127.0.0.1:%d/p/%04d.html", port, i);
  }

  /** A control call ({@code stats}, {@code reset}, {@code hot?fraction=0.05&n=1000&seed=7}, …). */
  JsonObject ctl(String command) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_ctl/"
        + command)).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("control " + command + " answered " + r.statusCode());
    }
    return new JsonObject(r.body());
  }

  /** Seconds of CPU the page server has used so far (it is a separate process, never in our figures). */
  double serverCpu() throws IOException, InterruptedException {
    JsonObject s = ctl("stats");
    return s.getDouble("cpu_user") + s.getDouble("cpu_sys");
  }

  JsonObject sinkStats() throws IOException, InterruptedException {
    return new JsonObject(get("http://127.0.0.1:" + hookPort + "/_stats"));
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /** The urlwatch command of the harness for N pages and a cache file. */
  List<String> urlwatch(Path cache) {
    return List.of("urlwatch", "--urls", dir.resolve("conf/urls-" + pages + ".yaml").toString(), "--config",
        dir.resolve("conf/urlwatch.yaml").toString(), "--hooks", dir.resolve("conf/hooks.py").toString(), "--cache",
        cache.toString());
  }

  /** The environment every timed command gets: nothing under {@code ~} is read or written. */
  Map<String, String> env() {
    return Map.of("XDG_CONFIG_HOME", dir.resolve("run/xdg-config").toString(), "XDG_CACHE_HOME",
        dir.resolve("run/xdg-cache").toString());
  }

  /** What {@code /usr/bin/time} reports for one finished command. */
  record Timed(double wall, double cpu, long maxRssKb, int exit) {}

  /** Runs a command under {@code /usr/bin/time}; its output goes to {@code log}. */
  Timed time(List<String> command, Path log) throws Exception {
    Path t = Files.createTempFile(dir, "time", ".txt");
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-o", t.toString(), "-f", "%e %U %S %M %x"));
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env());
    Process p = pb.start();
    p.waitFor();
    String[] f = Files.readString(t).trim().lines().reduce((a, b) -> b).orElse("").split("\\s+");
    Files.delete(t);
    if (f.length < 5) {
      throw new IllegalStateException("no timing for " + command + "; see " + log);
    }
    return new Timed(Double.parseDouble(f[0]), Double.parseDouble(f[1]) + Double.parseDouble(f[2]),
        Long.parseLong(f[3]), Integer.parseInt(f[4]));
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void exec(Path dir, List<String> cmd, Duration timeout) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(timeout.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("failed: " + cmd);
    }
  }

  @Override
  public void close() {
    for (Process p : List.of(server, sinks)) {
      p.destroy();
    }
    for (Process p : List.of(server, sinks)) {
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
