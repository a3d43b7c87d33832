package io.pricetide.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for browser tests, from Debian's {@code chromium} and {@code chromium-driver} at fixed paths
 * (no driver download). Where they are missing the test is skipped, except under {@code CI=true}, where it fails.
 */
public final class Browser {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Browser() {}

  /** Starts headless Chromium with a fresh profile; skips (or fails under CI) when it is not installed. */
  public static ChromeDriver start(int width, int height) throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + " when CI=true "
          + "(apt-get install -y chromium chromium-driver)");
    }
    assumeTrue(present, "Chromium not installed (apt-get install -y chromium chromium-driver); browser test skipped");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toString());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
        "--lang=en-US", "--window-size=" + width + "," + height,
        "--user-data-dir=" + Files.createTempDirectory("chrome-profile"));
    ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort().build();
    return new ChromeDriver(svc, o);
  }
}
