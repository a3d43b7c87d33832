package io.pricetide.history;

import io.pricetide.bus.CheckOutcome;
import io.pricetide.archive.RawArchive;
import io.pricetide.extract.ExtractException;
import io.pricetide.extract.Extractors;
import io.pricetide.history.HistoryStore.CheckInfo;
import io.pricetide.price.Observation;
import io.pricetide.source.SourceDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * Runs stored bodies through extract → history → detect as if fetched at their own time: dated snapshot files
 * ({@code replay}) and the raw archive ({@code reextract}). Each body is archived, so a replayed history can be
 * re-extracted later like a fetched one.
 */
public final class Replayer {
  /** {@code YYYY-MM-DD[THHMMSS][_anything].{html,md,txt,json,xml}[.gz]}. */
  public static final Pattern SNAPSHOT = Pattern.compile(
      "(\\d{4}-\\d{2}-\\d{2})(?:T(\\d{6}))?(?:_.*)?\\.(html|md|txt|json|xml)(\\.gz)?");

  private final Extractors sources;
  private final HistoryStore store;
  private final RawArchive archive;

  public Replayer(Extractors sources, HistoryStore store, RawArchive archive) {
    this.sources = sources;
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
    LocalTime time = m.group(2) == null ? LocalTime.MIDNIGHT
        : LocalTime.parse(m.group(2), DateTimeFormatter.ofPattern("HHmmss"));
    Instant at = LocalDate.parse(m.group(1)).atTime(time).toInstant(ZoneOffset.UTC);
    return Optional.of(new Snapshot(p, at, formatOf(m.group(3))));
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
    SourceDefinition src = sources.sources().source(sourceId)
        .orElseThrow(() -> new IllegalArgumentException("unknown source '" + sourceId + "'"));
    String hash = RawArchive.sha256(body);
    archive.put(hash, body, gzipped);
    CheckInfo info = new CheckInfo(at, null, hash);
    List<Observation> obs;
    try {
      obs = sources.extract(sourceId, new String(body, StandardCharsets.UTF_8), format, at);
    } catch (ExtractException e) {
      return store.recordFailure(sourceId, at, "extract", e.getMessage(), info);
    }
    return store.apply(sourceId, at, obs, src.guards(), info, HistoryStore.EventMode.of(src.kind()),
        sources.sources().catalogueIds());
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
      out.add(replay(sourceId, c.at(), archive.get(c.contentHash()), null));
    }
    return out;
  }
}
