package io.pricetide.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build: from {@code version.properties} (filtered by Maven), else the jar manifest. */
final class Version {
  private Version() {}

  static String get() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank() && !v.contains("${")) {
          return v.strip();
        }
      }
    } catch (IOException e) {
      // fall back to the manifest
    }
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }
}
