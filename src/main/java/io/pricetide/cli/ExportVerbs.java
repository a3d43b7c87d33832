package io.pricetide.cli;

import io.pricetide.app.App;
import io.pricetide.config.AppConfig;
import io.pricetide.history.HistoryQueries;
import io.pricetide.web.ExportFiles;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code export prices|series}: prints what {@code /api/export/prices.csv|json} and {@code /api/export/series.csv|json}
 * serve, built by the same code ({@link ExportFiles}).
 */
final class ExportVerbs extends Verbs {
  static final String HELP = "Usage: pricetide export prices|series [--format csv|json] [options]\n"
      + "  prices [--provider P] [--model M]: the current prices, as GET /api/export/prices.csv|json.\n"
      + "  series --model M --metric X [--condition C] [--source ID]: the timeline points, as"
      + " GET /api/export/series.csv|json.\n  --format csv (the default) or json. Prints to standard output.";

  ExportVerbs(PrintStream out, PrintStream err, Map<String, String> env, App live) {
    super(out, err, env, live);
  }

  int export(List<String> argv) {
    Args a = parse(argv, Set.of("format", "provider", "model", "metric", "condition", "source"), Set.of());
    if (help(a, HELP)) {
      return OK;
    }
    if (a.positional.size() != 1 || !Set.of("prices", "series").contains(a.positional.get(0))) {
      throw new Args.UsageException("expected 'export prices' or 'export series'");
    }
    String what = a.positional.get(0);
    String format = a.get("format") == null ? "csv" : a.get("format");
    if (!format.equals("csv") && !format.equals("json")) {
      throw new Args.UsageException("--format must be csv or json, not '" + format + "'");
    }
    boolean csv = format.equals("csv");
    if (what.equals("series") && (a.get("model") == null || a.get("metric") == null)) {
      throw new Args.UsageException("export series needs --model M and --metric X");
    }
    if (what.equals("prices") && (a.get("metric") != null || a.get("condition") != null || a.get("source") != null)) {
      throw new Args.UsageException("export prices takes only --provider and --model");
    }
    if (what.equals("series") && a.get("provider") != null) {
      throw new Args.UsageException("export series takes --model, --metric, --condition and --source");
    }
    AppConfig cfg = config(a);
    try (Db db = db(cfg)) {
      HistoryQueries q = new HistoryQueries(db.dataSource());
      String body = what.equals("prices")
          ? (csv ? ExportFiles.pricesCsv(q, a.get("provider"), a.get("model"))
              : ExportFiles.pricesJson(q, a.get("provider"), a.get("model")))
          : (csv ? ExportFiles.seriesCsv(q, a.get("model"), a.get("metric"), a.get("condition"), a.get("source"))
              : ExportFiles.seriesJson(q, a.get("model"), a.get("metric"), a.get("condition"), a.get("source")));
      out.print(body);
      if (!body.endsWith("\n")) {
        out.println();
      }
      return OK;
    }
  }
}
