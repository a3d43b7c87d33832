package io.pricetide.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes this node's heartbeat every {@code cluster_heartbeat_ms}, on a worker thread; a failed write is logged. */
public final class HeartbeatVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatVerticle.class);
  private final ClusterNode node;
  private boolean beating;

  public HeartbeatVerticle(ClusterNode node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(node.settings().heartbeatMs(), t -> {
      if (beating) {
        return; // the last write still waits for the database: one at a time
      }
      beating = true;
      vertx.executeBlocking(node::beat, false).onComplete(ar -> {
        beating = false;
        if (ar.failed()) {
          LOG.warn("cluster: heartbeat of {} failed: {}", node.incarnation(), ar.cause().getMessage());
        }
      });
    });
    return Future.succeededFuture();
  }
}
