package io.pricetide.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A benchmark's report: markdown lines written to {@code target/bench/<name>-<UTC time>.md} as they come, so a run
 * cut short still leaves what it measured. Also echoed to standard output (which surefire keeps in
 * {@code target/surefire-reports/*-output.txt}).
 */
final class BenchReport {
  private final Path file;

  BenchReport(String name) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "bench"));
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(Instant.now().atZone(ZoneOffset.UTC));
    this.file = dir.resolve(name + "-" + stamp + ".md").toAbsolutePath();
    Files.writeString(file, "");
  }

  Path file() {
    return file;
  }

  BenchReport line(String text) {
    System.out.println(text);
    try {
      Files.writeString(file, text + "\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return this;
  }

  BenchReport line(String format, Object... args) {
    return line(String.format(format, args));
  }

  /** The machine, the JVM and the load average, for the head of a report. */
  BenchReport machine() {
    Runtime rt = Runtime.getRuntime();
    String cpu = "n/a";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("n/a");
    } catch (IOException ignored) {
      // the CPU model is a courtesy
    }
    line("- started: %s UTC", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    line("- machine: %d CPUs (%s), JVM %s %s, max heap %d MiB", rt.availableProcessors(), cpu,
        System.getProperty("java.vm.name"), System.getProperty("java.version"), rt.maxMemory() >> 20);
    return line("- load average (1/5/15 min) at start: %s", Meter.loadAverage());
  }
}
