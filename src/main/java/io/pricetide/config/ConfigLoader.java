package io.pricetide.config;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.Yaml;

/**
 * Layers the configuration: built-in defaults, then the config file (YAML or JSON; {@code --config FILE}), then
 * the environment ({@code PRICETIDE_*}), then command-line flags ({@code --data}, {@code --sources}). Later layers
 * win. Unknown keys in the file are errors, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
  public static final String CONFIG_DATA_DIR = "data_dir";
  public static final String CONFIG_SOURCES_DIR = "sources_dir";
  public static final String CONFIG_HTTP_HOST = "http_host";
  public static final String CONFIG_HTTP_PORT = "http_port";
  public static final String CONFIG_DATABASE_URL = "database_url";
  public static final String CONFIG_DATABASE_USER = "database_user";
  public static final String CONFIG_DATABASE_PASSWORD = "database_password";
  public static final String CONFIG_ADMIN_TOKEN = "admin_token";
  public static final String CONFIG_PUBLIC_URL = "public_url";
  public static final String CONFIG_USER_AGENT = "user_agent";
  public static final String CONFIG_FX_RATES = "fx_rates";
  public static final String CONFIG_SCHEDULER = "scheduler_enabled";

  /** Every key the file may hold; the mail, operator and delivery keys are those of {@link AlertSettings}. */
  static final Set<String> KEYS = keys(Set.of(CONFIG_DATA_DIR, CONFIG_SOURCES_DIR, CONFIG_HTTP_HOST,
      CONFIG_HTTP_PORT, CONFIG_DATABASE_URL, CONFIG_DATABASE_USER, CONFIG_DATABASE_PASSWORD, CONFIG_ADMIN_TOKEN,
      CONFIG_PUBLIC_URL, CONFIG_USER_AGENT, CONFIG_FX_RATES, CONFIG_SCHEDULER, Retention.ARCHIVE_DAYS,
      Retention.CHECK_LOG_DAYS), AlertSettings.KEYS, ClusterSettings.KEYS);

  public static final String DEFAULT_USER_AGENT =
      "Pricetide/0.1 (+https://github.com/pricetide/pricetide; LLM API price tracker)";

  private ConfigLoader() {}

  /** Loads the configuration; {@code configFile}, {@code dataDir} and {@code sourcesDir} may be null. */
  public static AppConfig load(Path configFile, Path dataDir, Path sourcesDir, Map<String, String> env) {
    Map<String, Object> m = defaults();
    if (configFile != null) {
      Map<String, Object> file = readFile(configFile);
      for (String k : file.keySet()) {
        if (!KEYS.contains(k)) {
          throw new IllegalArgumentException(configFile + ": unknown configuration key '" + k + "'");
        }
      }
      m.putAll(file);
    }
    envOverride(m, env, "PRICETIDE_DATA_DIR", CONFIG_DATA_DIR);
    envOverride(m, env, "PRICETIDE_SOURCES_DIR", CONFIG_SOURCES_DIR);
    envOverride(m, env, "PRICETIDE_HTTP_HOST", CONFIG_HTTP_HOST);
    envOverride(m, env, "PRICETIDE_HTTP_PORT", CONFIG_HTTP_PORT);
    envOverride(m, env, "PRICETIDE_DATABASE_URL", CONFIG_DATABASE_URL);
    envOverride(m, env, "PRICETIDE_DATABASE_USER", CONFIG_DATABASE_USER);
    envOverride(m, env, "PRICETIDE_DATABASE_PASSWORD", CONFIG_DATABASE_PASSWORD);
    envOverride(m, env, "PRICETIDE_ADMIN_TOKEN", CONFIG_ADMIN_TOKEN);
    envOverride(m, env, "PRICETIDE_PUBLIC_URL", CONFIG_PUBLIC_URL);
    envOverride(m, env, "PRICETIDE_USER_AGENT", CONFIG_USER_AGENT);
    envOverride(m, env, "PRICETIDE_SCHEDULER_ENABLED", CONFIG_SCHEDULER);
    AlertSettings.KEYS.forEach(k -> envOverride(m, env, AlertSettings.envName(k), k));
    ClusterSettings.KEYS.forEach(k -> envOverride(m, env, AlertSettings.envName(k), k));
    envOverride(m, env, "PRICETIDE_ARCHIVE_RETENTION_DAYS", Retention.ARCHIVE_DAYS);
    envOverride(m, env, "PRICETIDE_CHECK_LOG_RETENTION_DAYS", Retention.CHECK_LOG_DAYS);
    if (dataDir != null) {
      m.put(CONFIG_DATA_DIR, dataDir.toString());
    }
    if (sourcesDir != null) {
      m.put(CONFIG_SOURCES_DIR, sourcesDir.toString());
    }
    Path data = Path.of(String.valueOf(m.get(CONFIG_DATA_DIR))).toAbsolutePath().normalize();
    Path sources = Path.of(String.valueOf(m.get(CONFIG_SOURCES_DIR))).toAbsolutePath().normalize();
    String dbUrl = str(m, CONFIG_DATABASE_URL);
    if (dbUrl.isEmpty()) {
      // H2 refuses implicitly relative file URLs (error 90011): always an absolute path.
      // WRITE_DELAY=0: a commit reaches the file before it returns (H2 otherwise keeps up to 500 ms of committed
      // transactions in memory, and a kill -9 loses them: sent alerts would be sent again under new ids).
      // DB_CLOSE_ON_EXIT=FALSE: the service closes the database itself, after its verticles stopped (H2's own
      // shutdown hook otherwise closed it first, and the last deliveries and checks failed on a closed database).
      dbUrl = "jdbc:h2:file:" + data.resolve("pricetide") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
          + ";DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }
    int port;
    try {
      port = Integer.parseInt(str(m, CONFIG_HTTP_PORT));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("http_port must be a number, not '" + m.get(CONFIG_HTTP_PORT) + "'");
    }
    ClusterSettings cluster = ClusterSettings.from(m, env.get("HOSTNAME"));
    if (cluster.enabled() && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(ClusterSettings.ENABLED + " is true but database_url is "
          + (str(m, CONFIG_DATABASE_URL).isEmpty() ? "not set (the embedded H2 database)" : "not PostgreSQL")
          + ": cluster mode needs one PostgreSQL database shared by every node (database_url: "
          + "jdbc:postgresql://HOST:5432/DB, or PRICETIDE_DATABASE_URL); the embedded database belongs to one process");
    }
    return new AppConfig(data, sources, str(m, CONFIG_HTTP_HOST), port, dbUrl, str(m, CONFIG_DATABASE_USER),
        str(m, CONFIG_DATABASE_PASSWORD), str(m, CONFIG_ADMIN_TOKEN), str(m, CONFIG_PUBLIC_URL),
        str(m, CONFIG_USER_AGENT), rates(m.get(CONFIG_FX_RATES)), Boolean.parseBoolean(str(m, CONFIG_SCHEDULER)),
        AlertSettings.from(m), Retention.from(m), cluster);
  }

  private static Set<String> keys(Set<String> core, Set<String> alerts, Set<String> cluster) {
    Set<String> all = new java.util.HashSet<>(core);
    all.addAll(alerts);
    all.addAll(cluster);
    return Set.copyOf(all);
  }

  private static Map<String, Object> defaults() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(CONFIG_DATA_DIR, "./data");
    m.put(CONFIG_SOURCES_DIR, "./sources");
    m.put(CONFIG_HTTP_HOST, "0.0.0.0");
    m.put(CONFIG_HTTP_PORT, "8080");
    m.put(CONFIG_DATABASE_URL, "");
    m.put(CONFIG_DATABASE_USER, "");
    m.put(CONFIG_DATABASE_PASSWORD, "");
    m.put(CONFIG_ADMIN_TOKEN, "");
    m.put(CONFIG_PUBLIC_URL, "http://localhost:8080");
    m.put(CONFIG_USER_AGENT, DEFAULT_USER_AGENT);
    // Fallback rates (USD per unit) until the ecb-fx source supplies daily ones; override in the config file.
    m.put(CONFIG_FX_RATES, Map.of("CNY", "0.1380", "EUR", "1.0800"));
    m.put(CONFIG_SCHEDULER, "true");
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readFile(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object o = new Yaml().load(r);
      if (o == null) {
        return new LinkedHashMap<>();
      }
      if (!(o instanceof Map)) {
        throw new IllegalArgumentException(file + ": the configuration must be a mapping");
      }
      return (Map<String, Object>) o;
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read configuration: " + e.getMessage(), e);
    }
  }

  private static void envOverride(Map<String, Object> m, Map<String, String> env, String var, String key) {
    String v = env.get(var);
    if (v != null && !v.isBlank()) {
      m.put(key, v);
    }
  }

  private static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : v.toString();
  }

  private static Map<String, BigDecimal> rates(Object o) {
    Map<String, BigDecimal> out = new TreeMap<>();
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        try {
          out.put(String.valueOf(k), new BigDecimal(String.valueOf(v)));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("fx_rates." + k + " must be a decimal, not '" + v + "'");
        }
      });
    } else if (o != null) {
      throw new IllegalArgumentException("fx_rates must be a mapping of currency to USD rate");
    }
    return out;
  }
}
