package io.pricetide.cli;

import io.pricetide.app.App;
import io.pricetide.config.AppConfig;
import io.pricetide.history.HistoryStore;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code accept-baseline --source ID}: an operator accepts a redesigned page as the source's new baseline. The
 * acceptance is recorded in the check log; the source's next check replaces its series with what the page then
 * says, without events.
 */
final class BaselineVerb extends Verbs {
  BaselineVerb(PrintStream out, PrintStream err, Map<String, String> env, App live) {
    super(out, err, env, live);
  }

  int run(List<String> argv) {
    Args a = parse(argv, Set.of("source"), Set.of());
    if (help(a, "Usage: pricetide accept-baseline --source ID\n  Records in the check log that the source's next"
        + " check is a new baseline: its series become what the page then says (series it no longer names go\n"
        + "  inactive), with no events. For a source stuck after a redesign (\"lost N of N prices\").")) {
      return OK;
    }
    String id = a.get("source");
    if (id == null || !a.positional.isEmpty()) {
      throw new Args.UsageException("accept-baseline needs --source ID");
    }
    AppConfig cfg = config(a);
    if (App.loadSources(cfg).sources().source(id).isEmpty()) {
      err.println("pricetide accept-baseline: unknown source '" + id + "'");
      return FAILURE;
    }
    try (Db db = db(cfg)) {
      long check = new HistoryStore(db.dataSource()).acceptBaseline(id, Instant.now());
      out.println("{\"source\":\"" + id + "\",\"outcome\":\"baseline\",\"check_id\":" + check + "}");
      err.println("pricetide accept-baseline: the next check of " + id + " is its new baseline");
      return OK;
    }
  }
}
