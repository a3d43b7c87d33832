package io.pricetide.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The third-party corpus in {@code ../shared/corpus}: suites that read it run where it exists, and are required
 * (fail instead of skipping) when the environment says {@code CI=true}.
 */
public final class Corpus {
  private Corpus() {}

  public static Path root() {
    return Path.of(System.getProperty("pricetide.corpus", "../shared/corpus")).toAbsolutePath().normalize();
  }

  /** The corpus folder {@code name}; skips the test where it is absent, fails under CI. */
  public static Path dir(String name) {
    Path p = root().resolve(name);
    boolean present = Files.isDirectory(p);
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("corpus folder " + p + " is required when CI=true but does not exist");
    }
    assumeTrue(present, "corpus folder " + p + " not present; corpus suite skipped outside CI");
    return p;
  }
}
