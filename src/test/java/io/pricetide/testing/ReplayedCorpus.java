package io.pricetide.testing;

import io.pricetide.app.App;
import io.pricetide.archive.RawArchive;
import io.pricetide.check.Replayer;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.db.Database;
import io.pricetide.extract.Extractors;
import io.pricetide.history.FxRateStore;
import io.pricetide.history.HistoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole corpus ({@code ../shared/corpus}) replayed, as the README's recipe does with the CLI, into one data
 * directory per JVM: the first suite that asks pays for the replay (a few minutes), the others reuse it. The
 * sources are the repository's own ({@code sources/}, alias file included), copied with schedules that never fire,
 * so a service started on the replay never reaches the network. Suites that only read may share the running
 * service of {@link #start}; a suite that writes should start its own copy of the data.
 */
public final class ReplayedCorpus {
  /**
   * Source id, corpus folder and (optionally) a pattern the snapshot's file name must contain, in the recipe's order
   * (usage first, catalogues, then the vendors' pages). Alibaba's folder holds both of its sites: the international
   * page (USD) and the China page (CNY), each replayed into its own source.
   */
  public static final List<String[]> REPLAYS = List.of(new String[] {"openrouter-rankings", "usage"},
      new String[] {"openrouter-models", "openrouter"}, new String[] {"litellm", "litellm"},
      new String[] {"models-dev", "models-dev"}, new String[] {"genai-prices", "genai-prices"},
      new String[] {"llm-prices", "llm-prices"}, new String[] {"anthropic", "pages/anthropic"},
      new String[] {"openai", "pages/openai"}, new String[] {"google-gemini", "pages/google"},
      new String[] {"mistral", "pages/mistral"}, new String[] {"xai", "pages/xai"},
      new String[] {"deepseek-en", "pages/deepseek"}, new String[] {"alibaba-intl", "pages/alibaba", "alibabacloud-intl"},
      new String[] {"alibaba-cn", "pages/alibaba", "help-aliyun-com"},
      new String[] {"moonshot", "pages/moonshot"});
  /** A cron that never fires: checks happen only by replay. */
  public static final String NEVER = "0 0 0 1 1 ? 2099";

  private static Path root;

  private ReplayedCorpus() {}

  /**
   * The replayed root ({@code data/} and {@code sources/} inside), replayed on first use. Skips the calling test
   * where the corpus is absent, fails under {@code CI=true}.
   */
  public static synchronized Path root() throws IOException {
    for (String[] r : REPLAYS) {
      Corpus.dir(r[1]);
    }
    if (root != null) {
      return root;
    }
    Path dir = Files.createTempDirectory("pricetide-corpus-replay");
    Path sources = Files.createDirectories(dir.resolve("sources"));
    try (Stream<Path> files = Files.list(Path.of("sources"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        String text = Files.readString(f).replaceAll("(?m)^schedule:.*$", "schedule: \"" + NEVER + "\"");
        Files.writeString(sources.resolve(f.getFileName()), text);
      }
    }
    AppConfig cfg = config(dir);
    try (Database db = Database.open(cfg)) {
      FxRateStore fx = new FxRateStore(db.dataSource());
      Extractors set = App.loadSources(cfg, App.currencies(cfg, fx));
      Replayer replayer = new Replayer(set, new HistoryStore(db.dataSource()), new RawArchive(cfg.dataDir()));
      List<Long> events = new ArrayList<>();
      for (String[] r : REPLAYS) {
        List<Replayer.Snapshot> snaps = new ArrayList<>(Replayer.snapshots(Corpus.dir(r[1]), new ArrayList<>()));
        if (r.length > 2) {
          snaps.removeIf(s -> !s.file().getFileName().toString().contains(r[2]));
        }
        snaps.sort(Comparator.comparing(Replayer.Snapshot::at));
        for (Replayer.Snapshot s : snaps) {
          // A snapshot a guard refuses is an error outcome, as in the CLI's replay.
          replayer.replay(r[0], s).events().forEach(e -> events.add(e.id()));
        }
      }
      // History, as `replay` without --notify: a suite that subscribes later hears of new events only.
      io.pricetide.alert.AlertService.suppress(db.dataSource(), events);
    }
    root = dir;
    return root;
  }

  /** The configuration over the replayed root: loopback, any free port. */
  public static AppConfig config(Path dir) throws IOException {
    return config(dir, Map.of());
  }

  /** As {@link #config(Path)} with more environment ({@code PRICETIDE_*}: mail, public URL, a fixed port). */
  public static AppConfig config(Path dir, Map<String, String> env) throws IOException {
    Map<String, String> all = new java.util.HashMap<>(Map.of("PRICETIDE_HTTP_PORT", "0",
        "PRICETIDE_HTTP_HOST", "127.0.0.1", "PRICETIDE_ADMIN_TOKEN", "test-admin-token"));
    all.putAll(env);
    return ConfigLoader.load(null, dir.resolve("data"), dir.resolve("sources"), all).withScheduler(false);
  }

  /** Pricetide serving the replayed corpus (replayed first if need be); close it when done. */
  public static App start() throws IOException {
    return TestApp.start(config(root()), true);
  }
}
