package io.pricetide.ops;

import io.pricetide.config.Retention;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link RetentionPass} once a minute after start and then daily, off the event loop; idle when keeping all. */
public final class RetentionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionVerticle.class);
  static final long DAY_MS = 24L * 3600_000L;
  private final RetentionPass pass;
  private final Retention retention;

  public RetentionVerticle(DataSource ds, Path dataDir, Retention retention) {
    this.pass = new RetentionPass(ds, dataDir, retention);
    this.retention = retention;
  }

  @Override
  public Future<?> start() {
    if (!retention.keepsEverything()) {
      vertx.setTimer(60_000, t -> runPass());
      vertx.setPeriodic(DAY_MS, t -> runPass());
    }
    return Future.succeededFuture();
  }

  private void runPass() {
    vertx.executeBlocking(() -> pass.run(Instant.now()), false).onComplete(ar -> {
      if (ar.succeeded()) {
        LOG.info("retention: deleted {} check row(s) and {} archived body(ies) past the limits ({} / {} days)",
            ar.result().checks(), ar.result().bodies(), retention.checkLogDays(), retention.archiveDays());
      } else {
        LOG.warn("retention: the pass failed: {}", ar.cause().getMessage());
      }
    });
  }
}
