package io.pricetide.config;

import java.util.Map;

/**
 * How long the raw archive and the check log are kept ({@code archive_retention_days},
 * {@code check_log_retention_days}; {@code PRICETIDE_ARCHIVE_RETENTION_DAYS}, {@code
 * PRICETIDE_CHECK_LOG_RETENTION_DAYS}). 0, the default, keeps everything for ever.
 */
public record Retention(int archiveDays, int checkLogDays) {
  public static final String ARCHIVE_DAYS = "archive_retention_days";
  public static final String CHECK_LOG_DAYS = "check_log_retention_days";
  public static final Retention FOREVER = new Retention(0, 0);

  public Retention {
    if (archiveDays < 0 || checkLogDays < 0) {
      throw new IllegalArgumentException("retention days must be 0 (keep for ever) or more");
    }
  }

  public boolean keepsEverything() {
    return archiveDays == 0 && checkLogDays == 0;
  }

  static Retention from(Map<String, Object> m) {
    return new Retention(days(m, ARCHIVE_DAYS), days(m, CHECK_LOG_DAYS));
  }

  private static int days(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null || String.valueOf(v).isBlank()) {
      return 0;
    }
    try {
      int d = Integer.parseInt(String.valueOf(v).strip());
      if (d >= 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a whole number of days (0: keep for ever), not '" + v + "'");
  }
}
