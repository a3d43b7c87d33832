package io.pricetide.testing;

import io.pricetide.app.App;
import io.pricetide.bus.Addresses;
import io.pricetide.bus.CheckRequest;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.bus.CheckOutcome;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Builds configurations over temporary data and source directories and drives a running {@link App}. */
public final class TestApp {
  private TestApp() {}

  public static AppConfig config(Path root, Map<String, String> sourceFiles) throws IOException {
    return config(root, sourceFiles, Map.of());
  }

  /** As {@link #config(Path, Map)}, with more environment ({@code PRICETIDE_*}) on top. */
  public static AppConfig config(Path root, Map<String, String> sourceFiles, Map<String, String> env)
      throws IOException {
    Path sources = Files.createDirectories(root.resolve("sources"));
    for (Map.Entry<String, String> e : sourceFiles.entrySet()) {
      Files.writeString(sources.resolve(e.getKey()), e.getValue());
    }
    Map<String, String> all = new java.util.HashMap<>(Map.of("PRICETIDE_HTTP_PORT", "0",
        "PRICETIDE_HTTP_HOST", "127.0.0.1", "PRICETIDE_ADMIN_TOKEN", "test-admin-token"));
    all.putAll(env);
    return ConfigLoader.load(null, root.resolve("data"), sources, all);
  }

  public static App start(AppConfig cfg, boolean serve) {
    return FakeVendor.await(App.start(cfg, serve));
  }

  /** Asks for a check over the bus and waits for its outcome. */
  public static CheckOutcome check(App app, String sourceId) {
    JsonObject reply = FakeVendor.await(app.vertx.eventBus().<JsonObject>request(Addresses.SOURCE_CHECK,
        CheckRequest.now(sourceId).toJson(), Addresses.CHECK_TIMEOUT)
        .map(m -> m.body()));
    return CheckOutcome.fromJson(reply);
  }

  /** Polls a condition until it holds or the timeout passes; no fixed sleeps in tests. */
  public static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    Instant end = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }
}
