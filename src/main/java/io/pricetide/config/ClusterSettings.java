package io.pricetide.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cluster mode (docs/cluster.md): N processes on one PostgreSQL share the work. Off by default, and then nothing of
 * it runs: local event bus, in-memory Quartz store, no heartbeats. Every key can be set in the config file or as
 * {@code PRICETIDE_<KEY>} in the environment ({@code cluster_members} is {@code PRICETIDE_CLUSTER_MEMBERS}).
 *
 * @param enabled {@code cluster_enabled}: join a cluster; needs a PostgreSQL {@code database_url}
 * @param name {@code cluster_name}: the Hazelcast cluster name and the Quartz scheduler name, the same on every node;
 *     default {@code pricetide}
 * @param nodeId {@code cluster_node_id}: this node's name in logs, the check log and {@code cluster_node}; default
 *     the host name. Each start adds an incarnation suffix, so a restarted node is a new member.
 * @param host {@code cluster_host}: the address this node binds and announces to the others (Hazelcast and the
 *     event bus); default {@code 127.0.0.1}, which only makes a cluster on one machine
 * @param port {@code cluster_port}: the Hazelcast member port; default 5701
 * @param busPort {@code cluster_bus_port}: the event-bus port the nodes send each other messages on; default 5801
 * @param members {@code cluster_members}: {@code host:port} of the Hazelcast members to join, comma separated (TCP-IP
 *     join; multicast is off); at least one
 * @param heartbeatMs {@code cluster_heartbeat_ms}: how often a node writes its heartbeat; default 2000
 * @param deadAfterMs {@code cluster_dead_after_ms}: a node whose heartbeat is older is dead and its delivery claims are
 *     taken over; default 6000, at least twice the heartbeat
 * @param checkinMs {@code cluster_checkin_ms}: Quartz's cluster check-in interval (a dead node's acquired triggers
 *     are recovered about 7.5 s after it misses one); default 5000
 */
public record ClusterSettings(boolean enabled, String name, String nodeId, String host, int port, int busPort,
    List<String> members, long heartbeatMs, long deadAfterMs, long checkinMs) {

  public static final String ENABLED = "cluster_enabled";
  public static final String NAME = "cluster_name";
  public static final String NODE_ID = "cluster_node_id";
  public static final String HOST = "cluster_host";
  public static final String PORT = "cluster_port";
  public static final String BUS_PORT = "cluster_bus_port";
  public static final String MEMBERS = "cluster_members";
  public static final String HEARTBEAT_MS = "cluster_heartbeat_ms";
  public static final String DEAD_AFTER_MS = "cluster_dead_after_ms";
  public static final String CHECKIN_MS = "cluster_checkin_ms";

  /** Every cluster key of the config file, with its default ({@code cluster_node_id}'s is the host name). */
  static final Map<String, String> DEFAULTS = defaults();
  public static final Set<String> KEYS = DEFAULTS.keySet();

  /** Off: the single-node default. */
  public static final ClusterSettings OFF = new ClusterSettings(false, "pricetide", "", "127.0.0.1", 5701, 5801,
      List.of(), 2000, 6000, 5000);

  private static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ENABLED, "false");
    m.put(NAME, "pricetide");
    m.put(NODE_ID, "");
    m.put(HOST, "127.0.0.1");
    m.put(PORT, "5701");
    m.put(BUS_PORT, "5801");
    m.put(MEMBERS, "");
    m.put(HEARTBEAT_MS, "2000");
    m.put(DEAD_AFTER_MS, "6000");
    m.put(CHECKIN_MS, "5000");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Reads the cluster keys of a layered configuration map, defaults for those absent. */
  static ClusterSettings from(Map<String, Object> m, String hostName) {
    java.util.function.Function<String, String> s = k -> {
      Object v = m.get(k);
      if (v instanceof List<?> list) { // cluster_members as a YAML list
        return String.join(",", list.stream().map(String::valueOf).toList());
      }
      return v == null ? DEFAULTS.get(k) : v.toString().trim();
    };
    String enabled = s.apply(ENABLED).toLowerCase(Locale.ROOT);
    if (!enabled.equals("true") && !enabled.equals("false")) {
      throw new IllegalArgumentException(ENABLED + " must be true or false, not '" + enabled + "'");
    }
    List<String> members = new ArrayList<>();
    for (String part : s.apply(MEMBERS).split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.lastIndexOf(':');
      if (colon <= 0 || colon == p.length() - 1) {
        throw new IllegalArgumentException(MEMBERS + ": '" + p + "' is not host:port");
      }
      AlertSettings.wholeNumber(MEMBERS + " port of '" + p + "'", p.substring(colon + 1), 1, 65535);
      members.add(p);
    }
    String nodeId = s.apply(NODE_ID);
    if (nodeId.isEmpty()) {
      nodeId = hostName == null || hostName.isBlank() ? localHostName() : hostName.trim();
    }
    // At most 40: the incarnation (id, start, random) is Quartz's instance id, and Quartz's fired-trigger ids (instance
    // id and a 13-digit counter) must fit its ENTRY_ID VARCHAR(95).
    if (enabled.equals("true") && !nodeId.matches("[A-Za-z0-9._-]{1,40}")) {
      throw new IllegalArgumentException(NODE_ID + " must be 1-40 letters, digits, '.', '_' or '-', not '" + nodeId
          + "'");
    }
    long heartbeat = AlertSettings.wholeNumber(HEARTBEAT_MS, s.apply(HEARTBEAT_MS), 100, 600_000);
    long deadAfter = AlertSettings.wholeNumber(DEAD_AFTER_MS, s.apply(DEAD_AFTER_MS), 200, 3_600_000);
    if (deadAfter < 2 * heartbeat) {
      throw new IllegalArgumentException(DEAD_AFTER_MS + " (" + deadAfter + ") must be at least twice "
          + HEARTBEAT_MS + " (" + heartbeat + "), or a node that is merely slow is declared dead");
    }
    ClusterSettings c = new ClusterSettings(enabled.equals("true"), s.apply(NAME), nodeId, s.apply(HOST),
        (int) AlertSettings.wholeNumber(PORT, s.apply(PORT), 1, 65535),
        (int) AlertSettings.wholeNumber(BUS_PORT, s.apply(BUS_PORT), 0, 65535), List.copyOf(members), heartbeat,
        deadAfter, AlertSettings.wholeNumber(CHECKIN_MS, s.apply(CHECKIN_MS), 500, 600_000));
    if (c.enabled() && c.members().isEmpty()) {
      throw new IllegalArgumentException(MEMBERS + " must list at least one host:port when " + ENABLED
          + " is true (the Hazelcast members to join over TCP-IP; multicast is off)");
    }
    if (c.enabled() && c.name().isBlank()) {
      throw new IllegalArgumentException(NAME + " must not be empty when " + ENABLED + " is true");
    }
    return c;
  }

  private static String localHostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "node";
    }
  }
}
