package io.pricetide.cli;

import io.pricetide.app.App;
import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckRequest;
import io.pricetide.config.AppConfig;
import io.pricetide.extract.ExtractorRegistry;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.SourceLoader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verbs of {@code pricetide.jar}. Exit codes: 0 success, 1 failure, 2 usage error. Every verb takes
 * {@code --config FILE}, {@code --data DIR} and {@code --sources DIR} and answers {@code --help}.
 */
public final class Cli extends Verbs {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  /** Returned by {@code run} once the service is up: the process keeps serving. */
  public static final int SERVING = -1;

  private static final String USAGE_TEXT = """
      Usage: java -jar pricetide.jar VERB [options]
             java -jar pricetide.jar --version

      Verbs:
        run [--port N] [--exit-when-ready]
                                     start the service: scheduler, pipeline and HTTP API
        check [ID...]                check sources now (all when none is named) and exit
        sources validate             validate the source definitions and exit
        extract --source ID [--format html|markdown|json|text] FILE
                                     print what a source's extractor finds in one saved page
        replay --source ID [--notify] SNAPSHOT_DIR
                                     feed dated snapshot files through extract, history and detect
        reextract --source ID        rebuild a source's history from the raw archive
        events [--source ID] [--since DATE] --format jsonl
                                     print change events, one JSON object per line
        export prices|series [--model M --metric X] [--format csv|json]
                                     print what /api/export/prices.* or /api/export/series.* serve
        accept-baseline --source ID  the source's next check is its new baseline, without events
        sources reload               the running service validates and reloads sources/ (no restart)
        backup --to DIR              a consistent copy of the data dir (database and raw archive)
        restore --from DIR           a backup into an empty --data dir

      While a service runs on the data dir, check, events, replay, reextract, accept-baseline, export and
      backup are handed to it (through its control.token) and print what they print alone.

      Options for every verb: --config FILE, --data DIR, --sources DIR, --help
      --version prints "pricetide VERSION" and exits 0.
      Exit codes: 0 ok, 1 failure, 2 usage error.
      """;

  private final HistoryVerbs history;
  private final ExportVerbs exports;

  private Cli(PrintStream out, PrintStream err, Map<String, String> env, App live) {
    super(out, err, env, live);
    this.history = new HistoryVerbs(out, err, env, live);
    this.exports = new ExportVerbs(out, err, env, live);
  }

  public static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(argv, out, err, env, null);
  }

  /**
   * Runs a verb; with {@code live} non-null inside that running service (the control endpoint's hand-off), with
   * its database and event bus instead of opening them.
   */
  static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env, App live) {
    return new Cli(out, err, env, live).dispatch(Arrays.asList(argv));
  }

  private int dispatch(List<String> argv) {
    if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h") || argv.get(0).equals("help")) {
      (argv.isEmpty() ? err : out).print(USAGE_TEXT);
      return argv.isEmpty() ? USAGE : OK;
    }
    if (argv.get(0).equals("--version") || argv.get(0).equals("version")) {
      out.println("pricetide " + Version.get());
      return OK;
    }
    String verb = argv.get(0);
    List<String> rest = argv.subList(1, argv.size());
    if (live == null && Handoff.handsOff(verb, rest)) {
      java.util.OptionalInt handed = Handoff.tryRun(verb, rest, env, out, err);
      if (handed.isPresent()) {
        return handed.getAsInt();
      }
    }
    try {
      return switch (verb) {
        case "run" -> run(rest);
        case "check" -> check(rest);
        case "sources" -> sources(rest);
        case "extract" -> history.extract(rest);
        case "replay" -> history.replay(rest);
        case "reextract" -> history.reextract(rest);
        case "events" -> history.events(rest);
        case "export" -> exports.export(rest);
        case "accept-baseline" -> new BaselineVerb(out, err, env, live).run(rest);
        case "backup" -> new BackupVerbs(out, err, env, live).backup(rest);
        case "restore" -> new BackupVerbs(out, err, env, live).restore(rest);
        default -> usage("unknown verb '" + verb + "'");
      };
    } catch (Args.UsageException e) {
      return usage(e.getMessage());
    } catch (RuntimeException e) {
      if (inUse(e) && !(e.getMessage() != null && e.getMessage().startsWith("the database in "))) {
        // H2's own words never reach the operator: they read like a bug and name no way out.
        err.println("pricetide " + verb + ": the database of this data dir is held by another process (a service"
            + " that is starting or stopping, or another verb) and no service answers on its "
            + Control.TOKEN_FILE + "; try again once it is up or done");
        return FAILURE;
      }
      return failed(verb, e);
    }
  }

  private int failed(String verb, RuntimeException e) {
    try {
      throw e;
    } catch (IllegalArgumentException | IllegalStateException known) {
      err.println("pricetide " + verb + ": " + known.getMessage());
      return FAILURE;
    } catch (RuntimeException unexpected) {
      // Unexpected: the one place a verb's stack trace is printed, once.
      err.println("pricetide " + verb + ": unexpected error: " + unexpected);
      unexpected.printStackTrace(err);
      return FAILURE;
    }
  }

  private int usage(String message) {
    err.println("pricetide: " + message);
    err.print(USAGE_TEXT);
    return USAGE;
  }

  // ------------------------------------------------------------------ run

  private int run(List<String> argv) {
    Args a = parse(argv, Set.of("port"), Set.of("exit-when-ready"));
    if (help(a, "Usage: pricetide run [--port N] [--exit-when-ready]\n  Starts the scheduler, the pipeline and the"
        + " HTTP API (port 8080 by default: http_port, PRICETIDE_HTTP_PORT).\n  --port N: listen on port N (0: any free"
        + " port), over http_port and PRICETIDE_HTTP_PORT.\n  --exit-when-ready: start everything, stop and exit 0"
        + " once serving (a deploy smoke test; the build uses it to record the class-data archive).\n  A port in use"
        + " is an error: exit 1, nothing left running.")) {
      return OK;
    }
    if (!a.positional.isEmpty()) {
      throw new Args.UsageException("run takes no arguments");
    }
    AppConfig cfg = a.get("port") == null ? config(a) : config(a, Map.of("PRICETIDE_HTTP_PORT", port(a.get("port"))));
    if (Handoff.live(cfg.dataDir()).isPresent()) {
      err.println("pricetide run: a service already runs on " + cfg.dataDir() + " (it answers on its "
          + Control.TOKEN_FILE + "); stop it first, or give this one another --data dir");
      return FAILURE;
    }
    App app;
    try {
      app = await(App.start(cfg, true), "start");
    } catch (IllegalStateException e) {
      // App.start has closed Vert.x and the database before failing: the process can simply exit.
      Throwable why = e.getCause() != null ? e.getCause() : e;
      err.println("pricetide run: " + (why.getMessage() != null ? why.getMessage() : why.toString()));
      return FAILURE;
    }
    if (a.has("exit-when-ready")) {
      out.println("Pricetide was serving on http://" + cfg.httpHost() + ":" + app.httpPort() + " with "
          + app.sources.all().size() + " sources; stopped (--exit-when-ready)");
      app.close();
      return OK;
    }
    Control control;
    try {
      control = Control.start(app, env);
    } catch (IllegalStateException e) {
      app.close();
      err.println("pricetide run: " + e.getMessage());
      return FAILURE;
    }
    app.reload.onHangup(app.vertx);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      control.close();
      app.close();
    }, "pricetide-shutdown"));
    out.println("Pricetide serving on http://" + cfg.httpHost() + ":" + app.httpPort() + " with "
        + app.sources.all().size() + " sources; data in " + cfg.dataDir());
    return SERVING;
  }

  private static String port(String s) {
    try {
      int p = Integer.parseInt(s);
      if (p >= 0 && p <= 65535) {
        return Integer.toString(p);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Args.UsageException("--port must be a number from 0 to 65535, not '" + s + "'");
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
    App app = live != null ? live : await(App.start(cfg, false), "start");
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
            CheckRequest.now(id).toJson(), Addresses.CHECK_TIMEOUT)
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
      if (app != live) {
        app.close();
      }
    }
  }

  // ------------------------------------------------------------------ sources validate

  private int sources(List<String> argv) {
    Args a = parse(argv, Set.of(), Set.of());
    if (help(a, "Usage: pricetide sources validate|reload\n  validate: loads every sources/*.yaml and reports each"
        + " problem as FILE:LINE: reason. Exit 1 when any file is invalid.\n  reload: the running service on the"
        + " data dir validates sources/ and, when every file is valid, runs the new set without a restart (as"
        + " POST /api/admin/reload and SIGHUP do); exit 1 when it refused, or when no service runs.")) {
      return OK;
    }
    if (a.positional.size() == 1 && a.positional.get(0).equals("reload")) {
      return reload(a);
    }
    if (a.positional.size() != 1 || !a.positional.get(0).equals("validate")) {
      throw new Args.UsageException("expected 'sources validate' or 'sources reload'");
    }
    AppConfig cfg = config(a);
    SourceLoader.Result r = new SourceLoader(ExtractorRegistry.builtIn()).loadDirectory(cfg.sourcesDir());
    r.errors().forEach(err::println);
    out.println(r.sources().size() + " source(s) valid, " + r.errors().size() + " error(s) in " + cfg.sourcesDir());
    return r.ok() ? OK : FAILURE;
  }

  private int reload(Args a) {
    AppConfig cfg = config(a);
    if (live == null || live.reload == null) {
      err.println("pricetide sources: no service runs on " + cfg.dataDir() + "; a service reads sources/ when it"
          + " starts, so there is nothing to reload");
      return FAILURE;
    }
    io.pricetide.ops.SourceReload.Result r = live.reload.reload();
    r.errors().forEach(err::println);
    out.println(r.toJson().encode());
    return r.ok() ? OK : FAILURE;
  }
}
