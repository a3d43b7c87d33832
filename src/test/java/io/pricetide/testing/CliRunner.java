package io.pricetide.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pricetide.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs CLI verbs in-process against one data dir and sources dir, expecting exit 0 (or a given code); returns stdout lines. */
public final class CliRunner {
  private final Map<String, String> env;

  public CliRunner(Path root) {
    this.env = Map.of("PRICETIDE_DATA_DIR", root.resolve("data").toString(),
        "PRICETIDE_SOURCES_DIR", root.resolve("sources").toString());
  }

  public List<String> run(String... args) {
    return run(Cli.OK, args);
  }

  /** As {@link #run(String...)}, expecting exit {@code expected} (a replay with a failed snapshot exits 1). */
  public List<String> run(int expected, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    assertEquals(expected, code, () -> List.of(args) + ": " + err.toString(StandardCharsets.UTF_8));
    String s = out.toString(StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }
}
