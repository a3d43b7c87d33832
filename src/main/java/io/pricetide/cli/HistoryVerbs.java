package io.pricetide.cli;

import io.pricetide.app.App;
import io.pricetide.alert.AlertService;
import io.pricetide.archive.RawArchive;
import io.pricetide.config.AppConfig;
import io.pricetide.bus.ChangeEvent;
import io.pricetide.extract.ExtractException;
import io.pricetide.extract.Extractors;
import io.pricetide.bus.CheckOutcome;
import io.pricetide.history.FxRateStore;
import io.pricetide.history.HistoryQueries;
import io.pricetide.history.HistoryStore;
import io.pricetide.check.Replayer;
import io.pricetide.price.Observation;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verbs that read or rebuild stored history without the service: {@code extract}, {@code replay},
 * {@code reextract} and {@code events}.
 */
final class HistoryVerbs extends Verbs {
  HistoryVerbs(PrintStream out, PrintStream err, Map<String, String> env, App live) {
    super(out, err, env, live);
  }

  // ------------------------------------------------------------------ extract

  int extract(List<String> argv) {
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
      obs.stream().filter(o -> !io.pricetide.price.ModelFacts.isFact(o)) // facts are attributes, not prices (#13)
          .forEach(o -> out.println(ExtractLines.line(o).encode()));
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

  int replay(List<String> argv) {
    Args a = parse(argv, Set.of("source"), Set.of("notify"));
    if (help(a, "Usage: pricetide replay --source ID [--data DIR] [--notify] SNAPSHOT_DIR\n  Feeds dated snapshot"
        + " files (YYYY-MM-DD[THHMMSS][_anything].{html,md,txt,json,xml}[.gz], or YYYY-MM[_anything].ext for the"
        + " first day of that month, 00:00 UTC; in time order, name order among equal times) through extract,"
        + " history and detect as if fetched at that date. Sends no notifications unless --notify (then the running"
        + " service sends them). Prints one outcome per file.\n  Exit 1 when any snapshot ended in error.")) {
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
    // A month name (2025-10_x) sorts after the days of that month (2025-10-05): replay in time order.
    snaps = new ArrayList<>(snaps);
    snaps.sort(java.util.Comparator.comparing(Replayer.Snapshot::at));
    skipped.forEach(s -> err.println("pricetide replay: skipped " + s + " (name is not YYYY-MM-DD… or YYYY-MM…)"));
    try (Db db = db(cfg)) {
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
        if (!a.has("notify")) {
          // At once, snapshot by snapshot: a running service (the verb handed to it, or one on PostgreSQL) sweeps
          // for unmatched events every few seconds, and a replay's history is not news.
          AlertService.suppress(db.dataSource(), o.events().stream().map(e -> e.id()).toList());
        }
        out.println(outcomeLine(s.file().getFileName().toString(), o));
      }
      err.println("pricetide replay: " + snaps.size() + " snapshot(s), " + errors + " error(s)");
      if (errors > 0) {
        err.println("pricetide replay: " + errors + " of " + snaps.size() + " snapshot(s) failed");
        return FAILURE;
      }
      return OK;
    }
  }

  int reextract(List<String> argv) {
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
    try (Db db = db(cfg)) {
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

  int events(List<String> argv) {
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
    try (Db db = db(cfg)) {
      List<ChangeEvent> events = new HistoryQueries(db.dataSource()).events(
          new HistoryQueries.EventFilter(a.get("source"), null, a.get("kind"), null, since, null, 0, false));
      events.forEach(e -> out.println(e.toJson().encode()));
      return OK;
    }
  }
}
