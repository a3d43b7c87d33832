package io.pricetide.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Settings of alerting: SMTP, the operator channel, webhook safety, templates, the token secret and the outbox's
 * retry schedule. Every key can be set in the config file or as {@code PRICETIDE_<KEY>} in the environment
 * ({@code mail_host} is {@code PRICETIDE_MAIL_HOST}).
 *
 * @param mailHost SMTP host; empty (the default) disables the email channel
 * @param mailPort SMTP port; default 25
 * @param mailFrom sender address of every email; default {@code pricetide@localhost}
 * @param mailUsername SMTP login; empty for none
 * @param mailPassword SMTP password
 * @param mailStarttls {@code disabled}, {@code optional} (default) or {@code required}
 * @param mailPool SMTP connections kept open; default 8
 * @param operatorEmail where source failures and stale sources are reported by email; empty for none
 * @param operatorWebhook where they are reported by HTTP (a Slack or Discord incoming webhook URL is recognised);
 *     empty for none
 * @param operatorWebhookSecret signs operator webhooks like subscriber ones; empty sends them unsigned
 * @param allowPrivateWebhooks let subscriber webhooks target loopback, private and link-local addresses; default
 *     false
 * @param templatesDir directory whose {@code email/} files override the built-in templates; default
 *     {@code ./templates}
 * @param secret server secret that signs confirm, unsubscribe and manage tokens; empty (the default) generates one
 *     and keeps it in {@code <data_dir>/alert-secret}. Clustered nodes must share it.
 * @param retryBaseMs first retry delay of a failed delivery; doubles per attempt, with jitter; default 10 s
 * @param retryMaxMs cap of the retry delay; default 1 h
 * @param giveUpHours a delivery not delivered within this many hours is dead-lettered; default 24
 * @param pollMs how often the outbox is polled for due deliveries besides the wake-ups; default 1 s
 * @param webhookConcurrency HTTP deliveries in flight at once; default 64
 * @param subscribePerMinute public subscribe requests allowed per client address and minute; default 10
 * @param staleGraceSeconds slack added to two schedule periods before a source counts as stale; default 120
 * @param confirmTtlHours life of a confirmation link; default 48
 * @param operatorRearmMinutes a source that keeps failing is reported again after this long; default 360
 */
public record AlertSettings(String mailHost, int mailPort, String mailFrom, String mailUsername,
    String mailPassword, String mailStarttls, int mailPool, String operatorEmail, String operatorWebhook,
    String operatorWebhookSecret, boolean allowPrivateWebhooks, Path templatesDir, String secret, long retryBaseMs,
    long retryMaxMs, long giveUpHours, long pollMs, int webhookConcurrency, int subscribePerMinute,
    long staleGraceSeconds, long confirmTtlHours, long operatorRearmMinutes) {

  /** Every alerting key of the config file, with its default. */
  static final Map<String, String> DEFAULTS = defaults();
  /** The alerting keys. */
  public static final Set<String> KEYS = DEFAULTS.keySet();

  private static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("mail_host", "");
    m.put("mail_port", "25");
    m.put("mail_from", "pricetide@localhost");
    m.put("mail_username", "");
    m.put("mail_password", "");
    m.put("mail_starttls", "optional");
    m.put("mail_pool", "8");
    m.put("operator_email", "");
    m.put("operator_webhook", "");
    m.put("operator_webhook_secret", "");
    m.put("allow_private_webhooks", "false");
    m.put("templates_dir", "./templates");
    m.put("secret", "");
    m.put("delivery_retry_base_ms", "10000");
    m.put("delivery_retry_max_ms", "3600000");
    m.put("delivery_give_up_hours", "24");
    m.put("delivery_poll_ms", "1000");
    m.put("webhook_concurrency", "64");
    m.put("subscribe_per_minute", "10");
    m.put("stale_grace_seconds", "120");
    m.put("confirm_ttl_hours", "48");
    m.put("operator_rearm_minutes", "360");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The environment variable of a key: {@code PRICETIDE_} and the key in upper case. */
  public static String envName(String key) {
    return "PRICETIDE_" + key.toUpperCase(Locale.ROOT);
  }

  /** Reads the alerting keys of a layered configuration map, defaults for those absent. */
  static AlertSettings from(Map<String, Object> m) {
    java.util.function.Function<String, String> s = k -> {
      Object v = m.get(k);
      return v == null ? DEFAULTS.get(k) : v.toString().trim();
    };
    String starttls = s.apply("mail_starttls").toLowerCase(Locale.ROOT);
    if (!Set.of("disabled", "optional", "required").contains(starttls)) {
      throw new IllegalArgumentException("mail_starttls must be disabled, optional or required, not '" + starttls + "'");
    }
    return new AlertSettings(s.apply("mail_host"), (int) num(s, "mail_port", 1, 65535), s.apply("mail_from"),
        s.apply("mail_username"), s.apply("mail_password"), starttls, (int) num(s, "mail_pool", 1, 1000),
        s.apply("operator_email"), s.apply("operator_webhook"), s.apply("operator_webhook_secret"),
        bool(s, "allow_private_webhooks"), Path.of(s.apply("templates_dir")).toAbsolutePath().normalize(),
        s.apply("secret"), num(s, "delivery_retry_base_ms", 1, Long.MAX_VALUE),
        num(s, "delivery_retry_max_ms", 1, Long.MAX_VALUE), num(s, "delivery_give_up_hours", 0, 24 * 365),
        num(s, "delivery_poll_ms", 10, 3_600_000), (int) num(s, "webhook_concurrency", 1, 10_000),
        (int) num(s, "subscribe_per_minute", 1, 1_000_000), num(s, "stale_grace_seconds", 0, Long.MAX_VALUE),
        num(s, "confirm_ttl_hours", 1, 24 * 365), num(s, "operator_rearm_minutes", 0, Long.MAX_VALUE));
  }

  /** True when an SMTP host is configured. */
  public boolean emailEnabled() {
    return !mailHost.isEmpty();
  }

  private static long num(java.util.function.Function<String, String> s, String key, long min, long max) {
    return wholeNumber(key, s.apply(key), min, max);
  }

  /** {@code v} as a whole number in [min, max], or an error naming {@code key}; for every settings class here. */
  static long wholeNumber(String key, String v, long min, long max) {
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + n);
    }
    return n;
  }

  private static boolean bool(java.util.function.Function<String, String> s, String key) {
    String v = s.apply(key).toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
    }
    return v.equals("true");
  }
}
