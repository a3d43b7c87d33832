package io.pricetide.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alerting keys: defaults, the sample file, environment overrides and refusals. */
class AlertSettingsTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("deploy/config.sample.yaml loads and shows the defaults; PRICETIDE_* variables override the file")
  void sampleAndEnvironment() {
    Path sample = Path.of("deploy", "config.sample.yaml");
    AlertSettings defaults = ConfigLoader.load(sample, dir, dir, Map.of()).alerts();
    assertFalse(defaults.emailEnabled());
    assertEquals(25, defaults.mailPort());
    assertFalse(defaults.allowPrivateWebhooks());
    assertEquals(24, defaults.giveUpHours());
    assertEquals(Path.of("templates").toAbsolutePath().normalize(), defaults.templatesDir());

    AlertSettings s = ConfigLoader.load(sample, dir, dir, Map.of("PRICETIDE_MAIL_HOST", "smtp.example.org",
        "PRICETIDE_MAIL_PORT", "587", "PRICETIDE_MAIL_FROM", "a@example.org", "PRICETIDE_OPERATOR_EMAIL",
        "ops@example.org", "PRICETIDE_ALLOW_PRIVATE_WEBHOOKS", "true", "PRICETIDE_SECRET",
        "a-long-enough-secret")).alerts();
    assertTrue(s.emailEnabled());
    assertEquals("smtp.example.org", s.mailHost());
    assertEquals(587, s.mailPort());
    assertEquals("a@example.org", s.mailFrom());
    assertEquals("ops@example.org", s.operatorEmail());
    assertTrue(s.allowPrivateWebhooks());
    assertEquals("a-long-enough-secret", s.secret());
  }

  @Test
  @DisplayName("Bad values are refused with the key's name")
  void refusals() throws Exception {
    for (Map.Entry<String, String> bad : Map.of("PRICETIDE_MAIL_PORT", "smtp", "PRICETIDE_ALLOW_PRIVATE_WEBHOOKS",
        "yes", "PRICETIDE_MAIL_STARTTLS", "sometimes", "PRICETIDE_WEBHOOK_CONCURRENCY", "0").entrySet()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ConfigLoader.load(null, dir, dir, Map.of(bad.getKey(), bad.getValue())));
      String key = bad.getKey().substring("PRICETIDE_".length()).toLowerCase();
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
    Path file = Files.writeString(dir.resolve("c.yaml"), "mail_hots: smtp.example.org\n");
    assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(file, dir, dir, Map.of()));
  }
}
