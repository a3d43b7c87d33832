package io.pricetide.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as a child JVM ({@code io.pricetide.Main run}, as {@code java -jar} would start it) on the test's
 * class path, a data dir and a sources dir; {@link #kill()} is {@code kill -9} ({@link Process#destroyForcibly()}
 * sends SIGKILL on Linux: no shutdown hook, no close, no flush).
 */
public final class ChildService implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("Pricetide serving on http://127\\.0\\.0\\.1:(\\d+) ");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final String base;
  private final String token;

  private ChildService(Process process, String base, String token) {
    this.process = process;
    this.base = base;
    this.token = token;
  }

  /** Starts the child and waits until it says where it serves; its stderr is appended to {@code log}. */
  public static ChildService start(Path config, Path data, Path sources, Map<String, String> env, String token,
      Path log) throws Exception {
    return start(config, data, sources, env, token, log, null);
  }

  /**
   * As {@link #start(Path, Path, Path, Map, String, Path)}, with these JVM options instead of the test defaults
   * (a small heap, C1 only, serial GC, the class-data archive); null keeps the defaults. Benchmarks use it.
   */
  public static ChildService start(Path config, Path data, Path sources, Map<String, String> env, String token,
      Path log, List<String> jvmOptions) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new java.util.ArrayList<>(List.of(java));
    if (jvmOptions != null) {
      cmd.addAll(jvmOptions);
    } else {
      cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
      Path archive = archive(java, cp, config, sources, log);
      if (archive != null) {
        cmd.add("-XX:SharedArchiveFile=" + archive);
      }
    }
    cmd.addAll(List.of("-cp", cp, "io.pricetide.Main", "run", "--config", config.toString(), "--data",
        data.toString(), "--sources", sources.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("PRICETIDE_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<String> port = new CompletableFuture<>();
    // A thread of its own (not the common pool, one thread on two cores) reads stdout for the whole life of the
    // child, so the child never blocks on a full pipe.
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          Matcher m = SERVING.matcher(line);
          if (m.find()) {
            port.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // the child is gone
      }
      port.complete(null);
    }, "child-stdout-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    String found;
    try {
      found = port.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("the child did not start in time: " + tail(log), e);
    }
    if (found == null) {
      throw new AssertionError("the child did not start: " + tail(log));
    }
    return new ChildService(p, "http://127.0.0.1:" + found, token);
  }

  private static Path archive;
  private static boolean archiveTried;

  /**
   * A class-data archive of the service's classes, recorded once per test JVM by a start with
   * {@code --exit-when-ready} on a scratch data dir (a killed child cannot record one); later starts map it and
   * start faster. Null when it could not be made: the children then start without it.
   */
  private static synchronized Path archive(String java, String cp, Path config, Path sources, Path log) {
    if (archiveTried) {
      return archive;
    }
    archiveTried = true;
    try {
      Path dir = Files.createTempDirectory("pricetide-cds");
      Path jsa = dir.resolve("child.jsa");
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-XX:ArchiveClassesAtExit=" + jsa, "-cp", cp, "io.pricetide.Main", "run", "--exit-when-ready",
          "--config", config.toString(), "--data", dir.resolve("data").toString(), "--sources", sources.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().keySet().removeIf(k -> k.startsWith("PRICETIDE_"));
      Process p = pb.start();
      if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(jsa) > 0) {
        archive = jsa;
      } else {
        p.destroyForcibly();
      }
    } catch (Exception e) {
      archive = null;
    }
    return archive;
  }

  /** The last 60 lines of a log, for failure messages. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public String base() {
    return base;
  }

  public long pid() {
    return process.pid();
  }

  public HttpResponse<String> post(String path, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
