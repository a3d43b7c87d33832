package io.pricetide.ops;

import io.pricetide.extract.ExtractorRegistry;
import io.pricetide.extract.Extractors;
import io.pricetide.http.AdminAuth;
import io.pricetide.http.JsonReplies;
import io.pricetide.source.SourceDefinition;
import io.pricetide.source.SourceLoader;
import io.pricetide.source.Sources;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads {@code sources/} into the running service (issue #14): the directory is validated first, and a file with
 * any problem refuses the whole reload, every problem listed, the sources that were running left running. A valid
 * directory replaces the shared {@link Sources} and the extractors in place (every stage reads them from there) and
 * the scheduler's triggers: added sources are scheduled, removed ones are no longer, changed ones run as now
 * defined. Asked by {@code POST /api/admin/reload} (admin token), {@code SIGHUP} and the {@code sources reload}
 * verb; one reload at a time.
 */
public final class SourceReload {
  private static final Logger LOG = LoggerFactory.getLogger(SourceReload.class);

  private final Path dir;
  private final Extractors extractors;
  private final Function<List<SourceDefinition>, Future<Void>> reschedule;

  /** {@code reschedule}: the scheduler's hook, or null when the service schedules nothing. */
  public SourceReload(Path dir, Extractors extractors, Function<List<SourceDefinition>, Future<Void>> reschedule) {
    this.dir = dir;
    this.extractors = extractors;
    this.reschedule = reschedule;
  }

  /**
   * What one reload did. {@code errors} non-empty: refused, nothing changed; otherwise the ids added, removed and
   * changed, and how many sources now run.
   */
  public record Result(List<String> errors, int sources, List<String> added, List<String> removed,
      List<String> changed) {
    public boolean ok() {
      return errors.isEmpty();
    }

    public JsonObject toJson() {
      JsonObject j = new JsonObject().put("reloaded", ok()).put("sources", sources);
      if (!ok()) {
        return j.put("errors", new JsonArray(new ArrayList<>(errors)));
      }
      return j.put("added", new JsonArray(new ArrayList<>(added))).put("removed", new JsonArray(new ArrayList<>(removed)))
          .put("changed", new JsonArray(new ArrayList<>(changed)));
    }
  }

  /** Validates and applies the sources directory; blocking (call it off the event loop). */
  public synchronized Result reload() {
    ExtractorRegistry registry = ExtractorRegistry.builtIn();
    SourceLoader.Result loaded = new SourceLoader(registry).loadDirectory(dir);
    int running = extractors.sources().all().size();
    if (!loaded.ok()) {
      LOG.warn("sources reload refused: {} problem(s) in {}; the {} running source(s) are unchanged",
          loaded.errors().size(), dir, running);
      loaded.errors().forEach(e -> LOG.warn("sources reload: {}", e));
      return new Result(List.copyOf(loaded.errors()), running, List.of(), List.of(), List.of());
    }
    Map<String, SourceDefinition> before = new LinkedHashMap<>();
    extractors.sources().all().forEach(d -> before.put(d.id(), d));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (SourceDefinition d : loaded.sources()) {
      SourceDefinition old = before.remove(d.id());
      if (old == null) {
        added.add(d.id());
      } else if (!old.equals(d)) {
        changed.add(d.id());
      }
    }
    List<String> removed = new ArrayList<>(before.keySet());
    try {
      extractors.reload(new Sources(loaded.sources(), loaded.models()));
    } catch (RuntimeException e) {
      LOG.warn("sources reload refused: {}; the {} running source(s) are unchanged", e.getMessage(), running);
      return new Result(List.of(dir + ": " + e.getMessage()), running, List.of(), List.of(), List.of());
    }
    if (reschedule != null) {
      try {
        reschedule.apply(loaded.sources()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("sources reload: the sources are loaded but the schedule could not be updated: {}", e.getMessage());
        return new Result(List.of("schedule: " + e.getMessage()), loaded.sources().size(), added, removed, changed);
      }
    }
    Result r = new Result(List.of(), loaded.sources().size(), added, removed, changed);
    LOG.info("sources reloaded from {}: {} source(s); added {}, removed {}, changed {}", dir, r.sources(), added,
        removed, changed);
    return r;
  }

  /** {@code POST /api/admin/reload}: 200 with what changed, 422 with every problem when refused. */
  public Consumer<Router> routes(Vertx vertx, String adminToken) {
    AdminAuth admin = new AdminAuth(adminToken);
    return router -> router.post("/api/admin/reload").handler(ctx -> {
      if (!admin.require(ctx)) {
        return;
      }
      vertx.executeBlocking(this::reload, false).onComplete(ar -> {
        if (ar.failed()) {
          JsonReplies.internalError(ctx, LOG, ar.cause());
        } else {
          JsonReplies.json(ctx, ar.result().ok() ? 200 : 422, ar.result().toJson());
        }
      });
    });
  }

  /**
   * Reloads on {@code SIGHUP} (through {@code sun.misc.Signal}, the JDK's only signal hook; where the platform has
   * no HUP, nothing is installed and the admin API remains). Returns whether the handler was installed.
   */
  @SuppressWarnings("restriction")
  public boolean onHangup(Vertx vertx) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
        LOG.info("SIGHUP: reloading the sources from {}", dir);
        vertx.executeBlocking(this::reload, false);
      });
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException noHup) {
      LOG.info("no SIGHUP on this platform: reload the sources through POST /api/admin/reload");
      return false;
    }
  }
}
