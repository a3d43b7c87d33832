package io.pricetide.cli;

import io.pricetide.App;
import io.pricetide.alert.AlertService;
import io.pricetide.archive.RawArchive;
import io.pricetide.bus.Addresses;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.extract.ExtractException;
import io.pricetide.extract.ExtractorRegistry;
import io.pricetide.extract.Extractors;
import io.pricetide.fetch.FetchVerticle;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.db.Database;
import io.pricetide.history.FxRateStore;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryStore;
import io.pricetide.history.Replayer;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.SourceLoader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The verbs of {@code pricetide.jar}. Exit codes: 0 success, 1 failure, 2 usage error. Every verb takes
 * {@code --config FILE}, {@code --data DIR} and {@code --sources DIR} and answers {@code --help}.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  /** Returned by {@code run} once the service is up: the process keeps serving. */
  public static final int SERVING = -1;

  private static final Set<String> COMMON = Set.of("config", "data", "sources");

  private static final String USAGE_TEXT = """
      Usage: java -jar pricetide.jar VERB [options]

      Verbs:
        run [--exit-when-ready]      start the service: scheduler, pipeline and HTTP API
        check [ID...]                check sources now (all when none is named) and exit
        sources validate             validate the source definitions and exit
        extract --source ID [--format html|markdown|json|text] FILE
                                     print what a source's extractor finds in one saved page
        replay --source ID [--notify] SNAPSHOT_DIR
                                     feed dated snapshot files through extract, history and detect
        reextract --source ID        rebuild a source's history from the raw archive
        events [--source ID] [--since DATE] --format jsonl
                                     print change events, one JSON object per line

      Options for every verb: --config FILE, --data DIR, --sources DIR, --help
      Exit codes: 0 ok, 1 failure, 2 usage error.
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  private Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env) {
    return new Cli(out, err, env).dispatch(Arrays.asList(argv));
  }

  private int dispatch(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h") || argv.get(0).equals("help")) {
      (argv.isEmpty() ? err : out).print(USAGE_TEXT);
      return argv.isEmpty() ? USAGE : OK;
    }
    String verb = argv.get(0);
    List<String> rest = argv.subList(1, argv.size());
    try {
      return switch (verb) {
        case "run" -> run(rest);
        case "check" -> check(rest);
        case "sources" -> sources(rest);
        case "extract" -> extract(rest);
        case "replay" -> replay(rest);
        case "reextract" -> reextract(rest);
        case "events" -> events(rest);
        default -> usage("unknown verb '" + verb + "'");
      };
    } catch (Args.UsageException e) {
      return usage(e.getMessage());
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("pricetide " + verb + ": " + e.getMessage());
      return FAILURE;
    }
  }

  private int usage(String message) {
    err.println("pricetide: " + message);
    err.print(USAGE_TEXT);
    return USAGE;
  }

  private static Args parse(List<String> argv, Set<String> options, Set<String> flags) {
    Set<String> all = new java.util.HashSet<>(options);
    all.addAll(COMMON);
    return Args.parse(argv, all, flags);
  }

  private AppConfig config(Args a) {
    return ConfigLoader.load(path(a.get("config")), path(a.get("data")), path(a.get("sources")), env);
  }

  private static Path path(String s) {
    return s == null ? null : Path.of(s);
  }

  private boolean help(Args a, String text) {
    if (a.has("help")) {
      out.println(text);
      out.println("Options for every verb: --config FILE, --data DIR, --sources DIR, --help");
      out.println("Exit codes: 0 ok, 1 failure, 2 usage error.");
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ run

  private int run(List<String> argv) {
    Args a = parse(argv, Set.of(), Set.of("exit-when-ready"));
    if (help(a, "Usage: pricetide run [--exit-when-ready]\n  Starts the scheduler, the pipeline and the HTTP API"
        + " (port 8080 by default, PRICETIDE_HTTP_PORT).\n  --exit-when-ready: start everything, stop and exit 0 once"
        + " serving (a deploy smoke test; the build uses it to record the class-data archive).")) {
      return OK;
    }
    if (!a.positional.isEmpty()) {
      throw new Args.UsageException("run takes no arguments");
    }
    AppConfig cfg = config(a);
    App app = await(App.start(cfg, true), "start");
    if (a.has("exit-when-ready")) {
      out.println("Pricetide was serving on http://" + cfg.httpHost() + ":" + app.httpPort() + " with "
          + app.sources.all().size() + " sources; stopped (--exit-when-ready)");
      app.close();
      return OK;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "pricetide-shutdown"));
    out.println("Pricetide serving on http://" + cfg.httpHost() + ":" + app.httpPort() + " with "
        + app.sources.all().size() + " sources; data in " + cfg.dataDir());
    return SERVING;
  }

  // ------------------------------------------------------------------ check

  private int check(List<String> argv) {
    Args a = parse(argv, Set.of(), Set.of());
    if (help(a, "Usage: pricetide check [ID...]\n  Runs one fetch, extract, history, detect cycle now for the named"
        + " sources (all enabled ones when none is named), prints one outcome per line and exits.\n  Exit 1 when any"
        + " check ended in error.")) {
      return OK;
    }
    AppConfig cfg = config(a).withScheduler(false);
    App app = await(App.start(cfg, false), "start");
    try {
      List<String> ids = new ArrayList<>(a.positional);
      if (ids.isEmpty()) {
        app.sources.all().stream().filter(SourceDefinition::enabled).forEach(s -> ids.add(s.id()));
      }
      for (String id : ids) {
        if (app.sources.source(id).isEmpty()) {
          err.println("pricetide check: unknown source '" + id + "'");
          return FAILURE;
        }
      }
      List<Future<JsonObject>> checks = new ArrayList<>();
      for (String id : ids) {
        checks.add(app.vertx.eventBus().<JsonObject>request(Addresses.SOURCE_CHECK,
            new JsonObject().put("sourceId", id).put("firedAt", Instant.now().toString()), Addresses.CHECK_TIMEOUT)
            .map(m -> m.body()));
      }
      boolean failed = false;
      for (int i = 0; i < ids.size(); i++) {
        try {
          CheckOutcome o = CheckOutcome.fromJson(await(checks.get(i), "check " + ids.get(i)));
          out.println(new JsonObject().put("source", o.sourceId()).put("outcome", o.outcome())
              .put("observations", o.observations()).put("events", o.events().size())
              .put("stage", o.stage()).put("reason", o.reason()).encode());
          failed |= o.isError();
        } catch (IllegalStateException e) {
          out.println(new JsonObject().put("source", ids.get(i)).put("outcome", "error")
              .put("reason", e.getMessage()).encode());
          failed = true;
        }
      }
      return failed ? FAILURE : OK;
    } finally {
      app.close();
    }
  }

  // ------------------------------------------------------------------ sources validate

  private int sources(List<String> argv) {
    Args a = parse(argv, Set.of(), Set.of());
    if (help(a, "Usage: pricetide sources validate\n  Loads every sources/*.yaml and reports each problem as"
        + " FILE:LINE: reason. Exit 1 when any file is invalid.")) {
      return OK;
    }
    if (a.positional.size() != 1 || !a.positional.get(0).equals("validate")) {
      throw new Args.UsageException("expected 'sources validate'");
    }
    AppConfig cfg = config(a);
    SourceLoader.Result r = new SourceLoader(ExtractorRegistry.builtIn()).loadDirectory(cfg.sourcesDir());
    r.errors().forEach(err::println);
    out.println(r.sources().size() + " source(s) valid, " + r.errors().size() + " error(s) in " + cfg.sourcesDir());
    return r.ok() ? OK : FAILURE;
  }

  // ------------------------------------------------------------------ extract

  private int extract(List<String> argv) {
    Args a = parse(argv, Set.of("source", "format"), Set.of());
    if (help(a, "Usage: pricetide extract --source ID [--format html|markdown|json|text] FILE\n  Prints one"
        + " observation per line: {provider, model, canonical_model, metric, condition, value, currency,"
        + " usd_per_1m}.\n  FILE may be gzip-compressed (.gz). A dated name (YYYY-MM-DD...) is the day the page"
        + " stood for; catalogue prices dated later are not in force then. Weekly usage lines add period, the"
        + " ISO Monday (YYYY-MM-DD) of their week. Exit 1 when the extractor finds no prices.")) {
      return OK;
    }
    String id = a.get("source");
    if (id == null || a.positional.size() != 1) {
      throw new Args.UsageException("extract needs --source ID and one FILE");
    }
    AppConfig cfg = config(a);
    Extractors set = App.loadSources(cfg);
    if (set.sources().source(id).isEmpty()) {
      err.println("pricetide extract: unknown source '" + id + "'");
      return FAILURE;
    }
    Path file = Path.of(a.positional.get(0));
    String format = a.get("format");
    if (format == null) {
      format = Replayer.snapshot(file).map(Replayer.Snapshot::format).orElse(null);
    }
    byte[] body;
    try {
      body = Replayer.read(file);
    } catch (IOException e) {
      err.println("pricetide extract: cannot read " + file + ": " + e.getMessage());
      return FAILURE;
    }
    // A dated snapshot name is the day the page stood for: dated catalogue prices are resolved as of then.
    Instant observedAt = Replayer.snapshot(file).map(Replayer.Snapshot::at).orElse(null);
    try {
      List<Observation> obs = set.extract(id, new String(body, StandardCharsets.UTF_8), format, observedAt);
      obs.forEach(o -> out.println(ExtractLines.line(o).encode()));
      if (obs.isEmpty()) {
        err.println("pricetide extract: source " + id + " found no prices in " + file);
        return FAILURE;
      }
      return OK;
    } catch (ExtractException e) {
      err.println("pricetide extract: " + e.getMessage() + " (file " + file + ")");
      return FAILURE;
    }
  }

  // ------------------------------------------------------------------ replay / reextract

  private int replay(List<String> argv) {
    Args a = parse(argv, Set.of("source"), Set.of("notify"));
    if (help(a, "Usage: pricetide replay --source ID [--data DIR] [--notify] SNAPSHOT_DIR\n  Feeds dated snapshot"
        + " files (YYYY-MM-DD[THHMMSS][_anything].{html,md,txt,json}[.gz], in name order) through extract, history"
        + " and detect as if fetched at that date. Sends no notifications unless --notify (then the running service"
        + " sends them). Prints one outcome per file.")) {
      return OK;
    }
    String id = a.get("source");
    if (id == null || a.positional.size() != 1) {
      throw new Args.UsageException("replay needs --source ID and one SNAPSHOT_DIR");
    }
    AppConfig cfg = config(a);
    Extractors set = App.loadSources(cfg);
    if (set.sources().source(id).isEmpty()) {
      err.println("pricetide replay: unknown source '" + id + "'");
      return FAILURE;
    }
    Path dir = Path.of(a.positional.get(0));
    List<String> skipped = new ArrayList<>();
    List<Replayer.Snapshot> snaps;
    try {
      snaps = Replayer.snapshots(dir, skipped);
    } catch (IOException e) {
      err.println("pricetide replay: cannot list " + dir + ": " + e.getMessage());
      return FAILURE;
    }
    skipped.forEach(s -> err.println("pricetide replay: skipped " + s + " (name is not YYYY-MM-DD…)"));
    try (Database db = Database.open(cfg)) {
      FxRateStore fx = new FxRateStore(db.dataSource());
      set = App.loadSources(cfg, App.currencies(cfg, fx));
      HistoryStore store = new HistoryStore(db.dataSource());
      Instant last = store.lastObservedAt(id);
      if (last != null && !snaps.isEmpty() && !snaps.get(0).at().isAfter(last)) {
        err.println("pricetide replay: " + snaps.get(0).file().getFileName() + " is older than the history of " + id
            + " (last observed " + last + "); history is append-only: replay into a fresh --data dir, or only"
            + " snapshots after that time");
        return FAILURE;
      }
      Replayer replayer = new Replayer(set, store, new RawArchive(cfg.dataDir()));
      boolean isFx = set.sources().source(id).orElseThrow().kind().equals("fx");
      int errors = 0;
      List<Long> events = new ArrayList<>();
      for (Replayer.Snapshot s : snaps) {
        CheckOutcome o;
        try {
          o = replayer.replay(id, s);
        } catch (IOException e) {
          err.println("pricetide replay: cannot read " + s.file() + ": " + e.getMessage());
          errors++;
          continue;
        }
        errors += o.isError() ? 1 : 0;
        if (isFx) {
          fx.invalidate();
        }
        o.events().forEach(e -> events.add(e.id()));
        out.println(outcomeLine(s.file().getFileName().toString(), o));
      }
      if (!a.has("notify")) {
        AlertService.suppress(db.dataSource(), events);
      }
      err.println("pricetide replay: " + snaps.size() + " snapshot(s), " + errors + " error(s)");
      return OK;
    }
  }

  private int reextract(List<String> argv) {
    Args a = parse(argv, Set.of("source"), Set.of());
    if (help(a, "Usage: pricetide reextract --source ID\n  Forgets the source's series, points and change events"
        + " and rebuilds them from the bodies kept in the raw archive, in the order they were fetched.")) {
      return OK;
    }
    String id = a.get("source");
    if (id == null || !a.positional.isEmpty()) {
      throw new Args.UsageException("reextract needs --source ID");
    }
    AppConfig cfg = config(a);
    Extractors set = App.loadSources(cfg);
    if (set.sources().source(id).isEmpty()) {
      err.println("pricetide reextract: unknown source '" + id + "'");
      return FAILURE;
    }
    try (Database db = Database.open(cfg)) {
      set = App.loadSources(cfg, App.currencies(cfg, new FxRateStore(db.dataSource())));
      Replayer replayer = new Replayer(set, new HistoryStore(db.dataSource()), new RawArchive(cfg.dataDir()));
      List<CheckOutcome> outcomes = replayer.reextract(id);
      List<Long> events = new ArrayList<>();
      outcomes.forEach(o -> o.events().forEach(e -> events.add(e.id())));
      AlertService.suppress(db.dataSource(), events); // rebuilt history is not news
      outcomes.forEach(o -> out.println(outcomeLine(null, o)));
      err.println("pricetide reextract: " + outcomes.size() + " archived body(ies) re-extracted for " + id);
      return OK;
    }
  }

  private static String outcomeLine(String file, CheckOutcome o) {
    JsonObject j = new JsonObject();
    if (file != null) {
      j.put("file", file);
    }
    return j.put("outcome", o.outcome()).put("observations", o.observations()).put("events", o.events().size())
        .put("reason", o.reason()).encode();
  }

  // ------------------------------------------------------------------ events

  private int events(List<String> argv) {
    Args a = parse(argv, Set.of("source", "since", "format", "kind"), Set.of());
    if (help(a, "Usage: pricetide events [--source ID] [--kind KIND] [--since DATE] --format jsonl\n  Prints one change"
        + " event per line, oldest first: {id, kind, source, provider, model, canonical_model, metric, condition, old,"
        + " new, unit, change_pct, observed_at}.")) {
      return OK;
    }
    String format = a.get("format") == null ? "jsonl" : a.get("format");
    if (!format.equals("jsonl")) {
      throw new Args.UsageException("--format must be jsonl");
    }
    if (!a.positional.isEmpty()) {
      throw new Args.UsageException("events takes no positional arguments");
    }
    Instant since = null;
    if (a.get("since") != null) {
      String s = a.get("since");
      try {
        since = s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
      } catch (RuntimeException e) {
        throw new Args.UsageException("--since must be YYYY-MM-DD or an ISO instant, not '" + s + "'");
      }
    }
    AppConfig cfg = config(a);
    try (Database db = Database.open(cfg)) {
      List<ChangeEvent> events = new HistoryQueries(db.dataSource()).events(
          new HistoryQueries.EventFilter(a.get("source"), null, a.get("kind"), null, since, null, 0, false));
      events.forEach(e -> out.println(e.toJson().encode()));
      return OK;
    }
  }

  // ------------------------------------------------------------------ helpers

  private static <T> T await(Future<T> f, String what) {
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
