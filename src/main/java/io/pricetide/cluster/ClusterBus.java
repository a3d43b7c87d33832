package io.pricetide.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.pricetide.config.ClusterSettings;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The clustered event bus: a Hazelcast member on {@code cluster_host:cluster_port} that joins the listed
 * {@code cluster_members} over TCP-IP (multicast and auto-detection off, no port auto-increment, so a taken port is
 * an error rather than a surprise), and the event bus on {@code cluster_host:cluster_bus_port}. Hazelcast keeps only
 * the event bus's subscriptions; all state of Pricetide is in PostgreSQL.
 */
public final class ClusterBus {
  private ClusterBus() {}

  /** The Hazelcast configuration: Vert.x's own maps (subscriptions, node info) and the network as configured. */
  public static Config hazelcastConfig(ClusterSettings s) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(s.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    // A member that stops answering is removed after 5 s (default 60 s): until then the event bus may still route
    // a command to it. Pricetide's own liveness (cluster_node) does not depend on this.
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    // Bind the configured interface only (Hazelcast otherwise listens on every interface).
    hz.setProperty("hazelcast.socket.bind.any", "false");
    // Vert.x leaves the cluster in its own close; Hazelcast's hook would leave first, under running verticles.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(s.port()).setPortAutoIncrement(false);
    if (isIpLiteral(s.host())) {
      net.getInterfaces().setEnabled(true).addInterface(s.host());
    } else {
      net.setPublicAddress(s.host() + ":" + s.port());
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(s.members());
    return hz;
  }

  /** The cluster manager of a clustered Vert.x. */
  public static ClusterManager clusterManager(ClusterSettings s) {
    return new HazelcastClusterManager(hazelcastConfig(s));
  }

  /** Vert.x options with the event bus on {@code cluster_host:cluster_bus_port}. */
  public static VertxOptions options(ClusterSettings s, VertxOptions base) {
    return new VertxOptions(base).setEventBusOptions(new EventBusOptions().setHost(s.host()).setPort(s.busPort()));
  }

  static boolean isIpLiteral(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
  }
}
