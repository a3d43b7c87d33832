package io.pricetide.cluster;

import io.pricetide.config.ClusterSettings;
import io.pricetide.db.Rows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node in {@code cluster_node}: one row per incarnation (a process start, {@code <node id>/<start>-<random>}),
 * whose heartbeat is written every {@code cluster_heartbeat_ms}. A node whose heartbeat is older than
 * {@code cluster_dead_after_ms} (or that stopped) is dead: the others take over its delivery claims, once, and mark
 * its row. A claim made by an incarnation after that (a paused node that has not yet found itself fenced) waits for
 * its lease instead. Times are the database's own
 * ({@code CURRENT_TIMESTAMP}), so the nodes' clocks never decide who is alive. Every method blocks.
 *
 * <p>A node that finds its own heartbeat already too old (a long pause: the others may have taken its claims) is
 * fenced: it takes a new incarnation and tells its listeners, which drop the work they claimed under the old one.
 */
public final class ClusterNode {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  /** How long the row of a dead or stopped incarnation is kept. */
  static final Duration FORGET_AFTER = Duration.ofDays(7);

  private final DataSource ds;
  private final ClusterSettings settings;
  private final CopyOnWriteArrayList<java.util.function.Consumer<String>> fencedListeners =
      new CopyOnWriteArrayList<>();
  private volatile String incarnation;

  private ClusterNode(DataSource ds, ClusterSettings settings) {
    this.ds = ds;
    this.settings = settings;
  }

  /** Registers a new incarnation of this node (blocking). */
  public static ClusterNode join(DataSource ds, ClusterSettings settings) {
    ClusterNode n = new ClusterNode(ds, settings);
    n.register();
    return n;
  }

  private void register() {
    String inc = settings.nodeId() + "/" + Instant.now().toEpochMilli() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    run("register node " + inc, c -> {
      // Incarnations silent for a week are history: their claims were taken over long ago (a claim of an incarnation
      // without a row is taken over too), so their rows go.
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM cluster_node WHERE heartbeat_at < ?")) {
        ps.setObject(1, Rows.odt(now(c).minus(FORGET_AFTER)));
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO cluster_node (incarnation, node_id, host, "
          + "started_at, heartbeat_at) VALUES (?,?,?,CURRENT_TIMESTAMP,CURRENT_TIMESTAMP)")) {
        ps.setString(1, inc);
        ps.setString(2, settings.nodeId());
        ps.setString(3, settings.host() + ":" + settings.port());
        ps.executeUpdate();
      }
      return null;
    });
    incarnation = inc;
    LOG.info("cluster: node {} joined as incarnation {}", settings.nodeId(), inc);
  }

  /** This node's name ({@code cluster_node_id}). */
  public String nodeId() {
    return settings.nodeId();
  }

  /** The current incarnation: what this node's claims carry. */
  public String incarnation() {
    return incarnation;
  }

  public ClusterSettings settings() {
    return settings;
  }

  /**
   * Called (on the heartbeat's thread, with the old incarnation) after this node was fenced and took a new one.
   */
  public void onFenced(java.util.function.Consumer<String> listener) {
    fencedListeners.add(listener);
  }

  /**
   * Writes the heartbeat. Returns false when this incarnation was already dead (its heartbeat older than the
   * dead-after time, or its row gone): the node then takes a new incarnation and the listeners are told.
   */
  public boolean beat() {
    String inc = incarnation;
    int n = run("heartbeat of " + inc, c -> {
      Instant cutoff = now(c).minus(Duration.ofMillis(settings.deadAfterMs()));
      try (PreparedStatement ps = c.prepareStatement("UPDATE cluster_node SET heartbeat_at = CURRENT_TIMESTAMP "
          + "WHERE incarnation = ? AND heartbeat_at >= ? AND stopped_at IS NULL")) {
        ps.setString(1, inc);
        ps.setObject(2, Rows.odt(cutoff));
        return ps.executeUpdate();
      }
    });
    if (n == 1) {
      return true;
    }
    LOG.error("cluster: incarnation {} missed its heartbeats for longer than {} ms (the other nodes may have taken "
        + "over its deliveries): it is fenced, and the node continues as a new incarnation", inc,
        settings.deadAfterMs());
    register();
    fencedListeners.forEach(l -> l.accept(inc));
    return false;
  }

  /**
   * The incarnations alive now: a heartbeat within the dead-after time and not stopped. A caller that takes over
   * the claims of the others reads the claims first and this after, so a node that joined in between is alive.
   */
  public Set<String> live() {
    return run("read live nodes", c -> {
      Instant cutoff = now(c).minus(Duration.ofMillis(settings.deadAfterMs()));
      Set<String> out = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT incarnation FROM cluster_node "
          + "WHERE heartbeat_at >= ? AND stopped_at IS NULL")) {
        ps.setObject(1, Rows.odt(cutoff));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  /**
   * The other incarnations that are dead (heartbeat older than the dead-after time) or stopped, and whose claims no
   * node has taken over yet: one small query of {@code cluster_node}, so the periodic pass costs nothing while every
   * node lives. A node that just joined has a fresh heartbeat and is never among them.
   */
  public List<String> deadNotTakenOver() {
    String self = incarnation;
    return run("read dead nodes", c -> {
      Instant cutoff = now(c).minus(Duration.ofMillis(settings.deadAfterMs()));
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT incarnation FROM cluster_node WHERE taken_over_at IS NULL "
          + "AND (heartbeat_at < ? OR stopped_at IS NOT NULL) AND incarnation <> ?")) {
        ps.setObject(1, Rows.odt(cutoff));
        ps.setString(2, self);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  /** Records that the claims of a dead incarnation were taken over. */
  public void takenOver(String inc) {
    run("mark " + inc + " taken over", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE cluster_node SET taken_over_at = CURRENT_TIMESTAMP WHERE incarnation = ?")) {
        ps.setString(1, inc);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** How long ago (database clock) an incarnation's last heartbeat was, or null when it has no row. */
  public Duration silentFor(String inc) {
    return run("read heartbeat of " + inc, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT heartbeat_at FROM cluster_node WHERE incarnation = ?")) {
        ps.setString(1, inc);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Duration.between(Rows.instant(rs, 1), now(c)) : null;
        }
      }
    });
  }

  /** A clean stop: the row is marked stopped, so the others take over at once instead of after the dead-after time. */
  public void leave() {
    String inc = incarnation;
    run("leave " + inc, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE cluster_node SET stopped_at = CURRENT_TIMESTAMP WHERE incarnation = ?")) {
        ps.setString(1, inc);
        ps.executeUpdate();
      }
      return null;
    });
    LOG.info("cluster: incarnation {} left", inc);
  }

  private static Instant now(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return Rows.instant(rs, 1);
    }
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T run(String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cluster: " + what + ": " + e.getMessage(), e);
    }
  }
}
