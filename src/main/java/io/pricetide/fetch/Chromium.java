package io.pricetide.fetch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One headless Chromium process with a profile of its own, listening for the DevTools protocol on 127.0.0.1 at a
 * port it picks. Blocking throughout: launch and close run off the event loop. Its profile, and the home and cache
 * folders it is given, live in one fresh folder under the fetcher's root, so every process it starts (the crash
 * handler included) names that folder, and closing deletes it.
 */
final class Chromium implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  /**
   * Flags that keep the browser from calling home: no background networking, component or extension updates, sync,
   * safe-browsing lists, pings, network time, crash uploads or first-run work. They do not stop all of it (a render
   * still asked Google for the time, updates and accounts, {@code BrowserFetcherTest}): the render's proxy, an
   * {@link OffsiteSink}, refuses whatever is left.
   */
  static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
      "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
      "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
      "--safebrowsing-disable-auto-update", "--no-pings", "--disable-breakpad", "--disable-crash-reporter",
      "--metrics-recording-only", "--disable-features=Translate,MediaRouter,OptimizationHints,NetworkTimeServiceQuerying",
      "--mute-audio", "--hide-scrollbars", "--window-size=1280,1024", "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0");

  private final Process process;
  private final Path home;
  private final String webSocketUrl;
  private final Deque<String> stderrTail;
  private volatile boolean askedToClose;

  private Chromium(Process process, Path home, String webSocketUrl, Deque<String> stderrTail) {
    this.process = process;
    this.home = home;
    this.webSocketUrl = webSocketUrl;
    this.stderrTail = stderrTail;
  }

  /** The browser's DevTools endpoint, {@code ws://127.0.0.1:<port>/devtools/browser/<id>}. */
  String webSocketUrl() {
    return webSocketUrl;
  }

  long pid() {
    return process.pid();
  }

  /** Notes that the browser was asked over DevTools to close, so {@link #close} first waits for it to exit. */
  void askedToClose() {
    askedToClose = true;
  }

  /**
   * Starts {@code binary} with {@link #FLAGS}, then {@code extraFlags}, and a fresh profile under {@code root}; waits, at most {@code timeoutMs}, for it to
   * announce its DevTools endpoint. A browser that does not start is stopped and its folder deleted.
   */
  static Chromium launch(Path binary, Path root, List<String> extraFlags, long timeoutMs) throws IOException {
    Files.createDirectories(root);
    Path home = Files.createTempDirectory(root, "chromium-");
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(FLAGS);
    cmd.addAll(extraFlags);
    cmd.add("--user-data-dir=" + home.resolve("profile"));
    cmd.add("about:blank");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    // The crash handler and caches follow HOME and XDG: inside the folder, they are found and deleted with it.
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      delete(home);
      throw new IOException("cannot start " + binary + ": " + e.getMessage(), e);
    }
    Deque<String> tail = new ArrayDeque<>();
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    Thread reader = new Thread(() -> drain(p, tail, endpoint), "chromium-stderr-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    Chromium c = new Chromium(p, home, null, tail);
    try {
      return new Chromium(p, home, endpoint.get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS), tail);
    } catch (TimeoutException e) {
      c.close();
      throw new IOException("Chromium did not open its DevTools port within " + timeoutMs + " ms" + c.tail());
    } catch (ExecutionException e) {
      c.close();
      throw new IOException(e.getCause().getMessage() + c.tail());
    } catch (InterruptedException e) {
      c.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while Chromium started");
    }
  }

  /** Reads the browser's stderr to its end: finds the DevTools line, keeps the last lines for error messages. */
  private static void drain(Process p, Deque<String> tail, CompletableFuture<String> endpoint) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          endpoint.complete(m.group(1));
        }
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 8) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException ignored) {
      // the process went away; the outcome below says so
    }
    endpoint.completeExceptionally(new IOException("Chromium exited before opening its DevTools port"
        + (p.isAlive() ? "" : " (exit code " + p.exitValue() + ")")));
  }

  private String tail() {
    synchronized (stderrTail) {
      return stderrTail.isEmpty() ? "" : "; its last output: " + String.join(" | ", stderrTail);
    }
  }

  /**
   * Stops the browser and every process it started, then deletes its folder. A browser already asked to close
   * (DevTools {@code Browser.close}) is given two seconds to exit before it is terminated, then killed.
   */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    try {
      if (!askedToClose || !process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(3, TimeUnit.SECONDS);
        }
      }
      for (ProcessHandle h : tree) {
        if (h.isAlive()) {
          h.destroyForcibly();
        }
      }
      for (ProcessHandle h : tree) {
        try {
          h.onExit().get(3, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException ignored) {
          // reported below by the caller's check, if it still runs
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    delete(home);
  }

  /** Deletes a folder tree; a file the browser was still writing is tried once more. */
  static void delete(Path dir) {
    for (int attempt = 0; attempt < 2 && Files.exists(dir); attempt++) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException ignored) {
            // tried again below
          }
        });
      } catch (IOException ignored) {
        // tried again below
      }
    }
  }
}
