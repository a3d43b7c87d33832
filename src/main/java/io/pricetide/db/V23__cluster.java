package io.pricetide.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 23, cluster mode (docs/cluster.md), on both databases: the {@code cluster_node} heartbeat table, the
 * claiming node's incarnation on outbox rows, and the node and trigger fire time of each check. On PostgreSQL only,
 * Quartz's clustered job store tables, created by the script Quartz itself ships for PostgreSQL in its jar (so the
 * tables are exactly those of the Quartz on the class path, and none of its DDL is copied here). The embedded H2
 * database keeps Quartz in memory and gets no Quartz tables.
 *
 * <p>A Java migration rather than {@code V23__cluster.sql} because of that one difference between the databases;
 * {@link Database#open} registers it next to the SQL scripts of {@code db/migration}.
 */
final class V23__cluster extends BaseJavaMigration {
  /** Quartz's own PostgreSQL script, inside the Quartz jar. */
  static final String QUARTZ_SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

  private static final List<String> BOTH = List.of(
      // One row per node incarnation (a process start): its heartbeat, written every cluster_heartbeat_ms from the
      // database's own clock, so node clocks never matter. A row older than cluster_dead_after_ms is a dead node;
      // taken_over_at is when a live node freed its delivery claims.
      "CREATE TABLE cluster_node (incarnation VARCHAR(100) PRIMARY KEY, node_id VARCHAR(60) NOT NULL, "
          + "host VARCHAR(200), started_at TIMESTAMP WITH TIME ZONE NOT NULL, "
          + "heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL, stopped_at TIMESTAMP WITH TIME ZONE, "
          + "taken_over_at TIMESTAMP WITH TIME ZONE)",
      // The incarnation whose claim an outbox row is under (NULL: unclaimed, or claimed by the single node).
      "ALTER TABLE alert_delivery ADD COLUMN claimed_by VARCHAR(100)",
      // Which node ran a check, and which trigger fire it answers (NULL: asked for by hand).
      "ALTER TABLE source_check ADD COLUMN node_id VARCHAR(60)",
      "ALTER TABLE source_check ADD COLUMN scheduled_for TIMESTAMP WITH TIME ZONE");

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    try (Statement st = c.createStatement()) {
      for (String sql : BOTH) {
        st.execute(sql);
      }
      if (postgres) {
        for (String sql : quartzStatements()) {
          try {
            st.execute(sql);
          } catch (SQLException e) {
            throw new SQLException("Quartz table script " + QUARTZ_SCRIPT + ": " + e.getMessage() + " in: " + sql, e);
          }
        }
      }
    }
  }

  /**
   * The statements of Quartz's script that create tables and indexes: its comments, its {@code DROP TABLE IF EXISTS}
   * lines (a migration never drops what it did not create) and its closing {@code COMMIT} (Flyway commits) left out.
   */
  static List<String> quartzStatements() throws IOException {
    String script;
    try (InputStream in = V23__cluster.class.getClassLoader().getResourceAsStream(QUARTZ_SCRIPT)) {
      if (in == null) {
        throw new IOException("Quartz's " + QUARTZ_SCRIPT + " is not on the class path");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder code = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (!t.startsWith("--")) {
        code.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String stmt : code.toString().split(";")) {
      String s = stmt.strip();
      String upper = s.toUpperCase(Locale.ROOT);
      if (s.isEmpty() || upper.startsWith("DROP ") || upper.equals("COMMIT")) {
        continue;
      }
      out.add(s);
    }
    if (out.stream().noneMatch(s -> s.toUpperCase(Locale.ROOT).startsWith("CREATE TABLE QRTZ_LOCKS"))) {
      throw new IOException(QUARTZ_SCRIPT + " no longer creates QRTZ_LOCKS: check the Quartz upgrade");
    }
    return out;
  }
}
