package io.pricetide.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;

/**
 * The settings of one Pricetide process, after defaults, the config file and the environment are layered.
 *
 * @param dataDir where the embedded database and the raw archive live; default {@code ./data}
 * @param sourcesDir source definitions; default {@code ./sources}
 * @param httpHost interface the HTTP server binds; default {@code 0.0.0.0}
 * @param httpPort HTTP port; default 8080 (0 picks a free port)
 * @param databaseUrl JDBC URL; default an H2 file database in the data dir; a {@code jdbc:postgresql:} URL
 *     selects PostgreSQL
 * @param databaseUser database user (empty for H2)
 * @param databasePassword database password, from the config file or {@code PRICETIDE_DATABASE_PASSWORD}
 * @param adminToken bearer token of the admin API; empty disables admin endpoints
 * @param publicUrl base of links the service hands out
 * @param userAgent User-Agent of every fetch
 * @param fxRates USD per one unit of a currency, used until the FX source supplies daily rates
 * @param schedulerEnabled whether {@code run} schedules the sources' crons
 * @param alerts SMTP, operator channel, webhook safety and outbox settings
 * @param retention how long the raw archive and the check log are kept
 * @param cluster cluster mode (off by default: one process, embedded everything)
 */
public record AppConfig(Path dataDir, Path sourcesDir, String httpHost, int httpPort, String databaseUrl,
    String databaseUser, String databasePassword, String adminToken, String publicUrl, String userAgent,
    Map<String, BigDecimal> fxRates, boolean schedulerEnabled, AlertSettings alerts, Retention retention,
    ClusterSettings cluster) {

  /** Single-node (cluster mode off). */
  public AppConfig(Path dataDir, Path sourcesDir, String httpHost, int httpPort, String databaseUrl,
      String databaseUser, String databasePassword, String adminToken, String publicUrl, String userAgent,
      Map<String, BigDecimal> fxRates, boolean schedulerEnabled, AlertSettings alerts, Retention retention) {
    this(dataDir, sourcesDir, httpHost, httpPort, databaseUrl, databaseUser, databasePassword, adminToken, publicUrl,
        userAgent, fxRates, schedulerEnabled, alerts, retention, ClusterSettings.OFF);
  }

  /** Without retention settings: everything is kept. */
  public AppConfig(Path dataDir, Path sourcesDir, String httpHost, int httpPort, String databaseUrl,
      String databaseUser, String databasePassword, String adminToken, String publicUrl, String userAgent,
      Map<String, BigDecimal> fxRates, boolean schedulerEnabled, AlertSettings alerts) {
    this(dataDir, sourcesDir, httpHost, httpPort, databaseUrl, databaseUser, databasePassword, adminToken, publicUrl,
        userAgent, fxRates, schedulerEnabled, alerts, Retention.FOREVER);
  }

  /** True in cluster mode. */
  public boolean clustered() {
    return cluster.enabled();
  }

  public AppConfig withCluster(ClusterSettings c) {
    return new AppConfig(dataDir, sourcesDir, httpHost, httpPort, databaseUrl, databaseUser, databasePassword,
        adminToken, publicUrl, userAgent, fxRates, schedulerEnabled, alerts, retention, c);
  }

  public boolean isPostgres() {
    return databaseUrl.startsWith("jdbc:postgresql:");
  }

  public AppConfig withDatabase(String url, String user, String password) {
    return new AppConfig(dataDir, sourcesDir, httpHost, httpPort, url, user, password, adminToken, publicUrl,
        userAgent, fxRates, schedulerEnabled, alerts, retention, cluster);
  }

  public AppConfig withHttpPort(int port) {
    return new AppConfig(dataDir, sourcesDir, httpHost, port, databaseUrl, databaseUser, databasePassword, adminToken,
        publicUrl, userAgent, fxRates, schedulerEnabled, alerts, retention, cluster);
  }

  public AppConfig withAdminToken(String token) {
    return new AppConfig(dataDir, sourcesDir, httpHost, httpPort, databaseUrl, databaseUser, databasePassword, token,
        publicUrl, userAgent, fxRates, schedulerEnabled, alerts, retention, cluster);
  }

  public AppConfig withScheduler(boolean enabled) {
    return new AppConfig(dataDir, sourcesDir, httpHost, httpPort, databaseUrl, databaseUser, databasePassword,
        adminToken, publicUrl, userAgent, fxRates, enabled, alerts, retention, cluster);
  }

  public AppConfig withAlerts(AlertSettings settings) {
    return new AppConfig(dataDir, sourcesDir, httpHost, httpPort, databaseUrl, databaseUser, databasePassword,
        adminToken, publicUrl, userAgent, fxRates, schedulerEnabled, settings, retention, cluster);
  }

  public AppConfig withRetention(Retention r) {
    return new AppConfig(dataDir, sourcesDir, httpHost, httpPort, databaseUrl, databaseUser, databasePassword,
        adminToken, publicUrl, userAgent, fxRates, schedulerEnabled, alerts, r, cluster);
  }
}
