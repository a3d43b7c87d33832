package io.pricetide.cli;

import io.pricetide.app.App;
import io.pricetide.config.AppConfig;
import io.pricetide.db.Database;
import io.pricetide.config.ConfigLoader;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/** What every verb shares: its output streams, the environment, option parsing, the config and help. */
abstract class Verbs {
  static final int OK = Cli.OK;
  static final int FAILURE = Cli.FAILURE;
  static final int USAGE = Cli.USAGE;
  private static final Set<String> COMMON = Set.of("config", "data", "sources");

  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;
  /** The running service this verb was handed to ({@link Control}), or null when the verb runs alone. */
  final App live;

  Verbs(PrintStream out, PrintStream err, Map<String, String> env, App live) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.live = live;
  }

  /** The database a verb reads and writes: its own, or the running service's (never closed by the verb). */
  interface Db extends AutoCloseable {
    DataSource dataSource();

    @Override
    void close();
  }

  /** Opens the data dir's database, or lends the service's when the verb was handed to it. */
  Db db(AppConfig cfg) {
    if (live != null) {
      if (!live.config.dataDir().equals(cfg.dataDir())) {
        throw new IllegalStateException("the service serves " + live.config.dataDir() + ", not " + cfg.dataDir());
      }
      DataSource ds = live.db.dataSource();
      return new Db() {
        @Override
        public DataSource dataSource() {
          return ds;
        }

        @Override
        public void close() {}
      };
    }
    Database opened = open(cfg);
    return new Db() {
      @Override
      public DataSource dataSource() {
        return opened.dataSource();
      }

      @Override
      public void close() {
        opened.close();
      }
    };
  }

  /** {@link Database#open}, with H2's lock conflict said plainly: no raw "Database may be already in use". */
  static Database open(AppConfig cfg) {
    try {
      return Database.open(cfg);
    } catch (RuntimeException e) {
      if (inUse(e)) {
        throw new IllegalStateException(inUseMessage(cfg), e);
      }
      throw e;
    }
  }

  /** Whether {@code e} (or a cause) is H2 refusing a database file another process holds open. */
  static boolean inUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("Database may be already in use")) {
        return true;
      }
    }
    return false;
  }

  static String inUseMessage(AppConfig cfg) {
    return "the database in " + cfg.dataDir() + " is held by another process (a service that is starting or"
        + " stopping, or another verb) and no service answers on " + cfg.dataDir().resolve(Control.TOKEN_FILE)
        + "; try again once it is up or done";
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
