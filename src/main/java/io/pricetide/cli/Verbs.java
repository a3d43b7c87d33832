package io.pricetide.cli;

import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What every verb shares: its output streams, the environment, option parsing, the config and help. */
abstract class Verbs {
  static final int OK = Cli.OK;
  static final int FAILURE = Cli.FAILURE;
  static final int USAGE = Cli.USAGE;
  private static final Set<String> COMMON = Set.of("config", "data", "sources");

  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;

  Verbs(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  static Args parse(List<String> argv, Set<String> options, Set<String> flags) {
    Set<String> all = new java.util.HashSet<>(options);
    all.addAll(COMMON);
    return Args.parse(argv, all, flags);
  }

  AppConfig config(Args a) {
    return ConfigLoader.load(path(a.get("config")), path(a.get("data")), path(a.get("sources")), env);
  }

  /** As {@link #config(Args)}, with {@code overrides} over the environment (a flag such as {@code --port}). */
  AppConfig config(Args a, Map<String, String> overrides) {
    Map<String, String> merged = new java.util.HashMap<>(env);
    merged.putAll(overrides);
    return ConfigLoader.load(path(a.get("config")), path(a.get("data")), path(a.get("sources")), merged);
  }

  static Path path(String s) {
    return s == null ? null : Path.of(s);
  }

  boolean help(Args a, String text) {
    if (a.has("help")) {
      out.println(text);
      out.println("Options for every verb: --config FILE, --data DIR, --sources DIR, --help");
      out.println("Exit codes: 0 ok, 1 failure, 2 usage error.");
      return true;
    }
    return false;
  }

  static <T> T await(Future<T> f, String what) {
    CountDownLatch latch = new CountDownLatch(1);
    f.onComplete(ar -> latch.countDown());
    try {
      if (!latch.await(20, TimeUnit.MINUTES)) {
        throw new IllegalStateException(what + ": timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + ": interrupted");
    }
    if (f.failed()) {
      throw new IllegalStateException(what + " failed: " + f.cause().getMessage(), f.cause());
    }
    return f.result();
  }
}
