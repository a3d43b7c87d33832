package io.pricetide.check;

import io.pricetide.bus.CheckOutcome;
import io.pricetide.archive.RawArchive;
import io.pricetide.extract.Extractors;
import io.pricetide.history.CheckInfo;
import io.pricetide.history.HistoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Runs stored bodies through the check pipeline ({@link CheckPipeline#run}) as if fetched at their own time: dated
 * snapshot files ({@code replay}) and the raw archive ({@code reextract}). Each body is archived, so a replayed history can be
 * re-extracted later like a fetched one.
 */
public final class Replayer {
  /**
   * {@code YYYY-MM-DD[THHMMSS][_anything].{html,md,txt,json,xml}[.gz]}, or {@code YYYY-MM[_anything].ext[.gz]} for a
   * page that stood for a month (read as the first day of that month, 00:00 UTC).
   */
  public static final Pattern SNAPSHOT = Pattern.compile(
      "(\\d{4})-(\\d{2})(?:-(\\d{2})(?:T(\\d{6}))?)?(?:_.*)?\\.(html|md|txt|json|xml)(\\.gz)?");

  private final CheckPipeline pipeline;
  private final HistoryStore store;
  private final RawArchive archive;

  public Replayer(Extractors extractors, HistoryStore store, RawArchive archive) {
    this(new CheckPipeline(extractors, store, null), store, archive);
  }

  public Replayer(CheckPipeline pipeline, HistoryStore store, RawArchive archive) {
    this.pipeline = pipeline;
    this.store = store;
    this.archive = archive;
  }

  /** A snapshot file and the instant its name gives. */
  public record Snapshot(Path file, Instant at, String format) {}

  /** The snapshot files of a directory in name order, and the names that do not follow the pattern. */
  public static List<Snapshot> snapshots(Path dir, List<String> skipped) throws IOException {
    List<Snapshot> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        snapshot(p).ifPresentOrElse(out::add, () -> skipped.add(p.getFileName().toString()));
      }
    }
    return out;
  }

  public static Optional<Snapshot> snapshot(Path p) {
    Matcher m = SNAPSHOT.matcher(p.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    LocalDate day;
    LocalTime time;
    try {
      day = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
      time = m.group(4) == null ? LocalTime.MIDNIGHT
          : LocalTime.parse(m.group(4), DateTimeFormatter.ofPattern("HHmmss"));
    } catch (java.time.DateTimeException e) {
      return Optional.empty(); // 2025-13 or 2025-02-30: not a date, so not a snapshot name
    }
    return Optional.of(new Snapshot(p, day.atTime(time).toInstant(ZoneOffset.UTC), formatOf(m.group(5))));
  }

  public static String formatOf(String extension) {
    return switch (extension) {
      case "md" -> "markdown";
      case "txt" -> "text";
      default -> extension;
    };
  }

  /** Reads a file, un-gzipping {@code .gz}. */
  public static byte[] read(Path file) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      return Files.readAllBytes(file);
    }
    return gunzip(Files.readAllBytes(file));
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz), 64 * 1024)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(gz.length * 8);
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  /** Replays one body observed at {@code at}. Extraction errors become a recorded failure, like a live check. */
  public CheckOutcome replay(String sourceId, Instant at, byte[] body, String format) {
    return replay(sourceId, at, body, null, format);
  }

  /**
   * Replays a snapshot file. A gzipped one goes into the raw archive as it is (the archive stores gzip), so the
   * body is not compressed a second time.
   */
  public CheckOutcome replay(String sourceId, Snapshot snapshot) throws IOException {
    byte[] raw = Files.readAllBytes(snapshot.file());
    boolean gz = snapshot.file().getFileName().toString().endsWith(".gz");
    return replay(sourceId, snapshot.at(), gz ? gunzip(raw) : raw, gz ? raw : null, snapshot.format());
  }

  private CheckOutcome replay(String sourceId, Instant at, byte[] body, byte[] gzipped, String format) {
    pipeline.sources().require(sourceId);
    String hash = RawArchive.sha256(body);
    archive.put(hash, body, gzipped);
    return pipeline.run(sourceId, at, body, null, format, new CheckInfo(at, null, hash));
  }

  /**
   * Rebuilds a source's history from the raw archive after a parser fix: forgets its series, points, events and
   * body checks, then re-applies every archived body in order. Fetch failures stay in the log.
   */
  public List<CheckOutcome> reextract(String sourceId) {
    List<HistoryStore.ArchivedCheck> checks = store.archivedChecks(sourceId);
    store.resetSource(sourceId);
    List<CheckOutcome> out = new ArrayList<>();
    for (HistoryStore.ArchivedCheck c : checks) {
      // Decoded with the charset its fetch declared, as the live check did.
      out.add(pipeline.run(sourceId, c.at(), archive.get(c.contentHash()), c.contentType(), null,
          new CheckInfo(c.at(), null, c.contentHash(), null, null, c.contentType())));
    }
    return out;
  }
}
