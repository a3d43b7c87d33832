package io.pricetide.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Every distinct fetched body, gzip-compressed, stored once under its SHA-256 in {@code <data>/archive/ab/<hash>.gz}.
 * Writes go to a temporary file first and are moved into place, so a crash never leaves a half-written body under
 * a valid name. The event bus carries the hash, never the body.
 */
public final class RawArchive {
  private final Path root;

  public RawArchive(Path dataDir) {
    this.root = dataDir.resolve("archive");
  }

  public static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stores the body unless it is already there; returns its hash. */
  public String put(byte[] body) {
    String hash = sha256(body);
    put(hash, body, null);
    return hash;
  }

  /**
   * Stores {@code body}, whose SHA-256 is {@code hash}, unless it is already there. {@code gzipped}, when not null,
   * is the same body as a gzip file (as a server sent it) and is written as it is; otherwise the body is compressed
   * here, at the fastest level: the archive keeps every distinct body, and checks should not wait on it.
   */
  public void put(String hash, byte[] body, byte[] gzipped) {
    Path target = path(hash);
    if (Files.exists(target)) {
      return;
    }
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), hash, ".tmp");
      if (gzipped != null) {
        Files.write(tmp, gzipped);
      } else {
        try (OutputStream out = new FastGzip(Files.newOutputStream(tmp))) {
          out.write(body);
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("stage archive: cannot store body " + hash + ": " + e.getMessage(), e);
    }
  }

  /** Gzip at {@link java.util.zip.Deflater#BEST_SPEED}. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(java.util.zip.Deflater.BEST_SPEED);
    }
  }

  public boolean contains(String hash) {
    return Files.exists(path(hash));
  }

  /** The body stored under {@code hash}. */
  public byte[] get(String hash) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(path(hash)), 64 * 1024)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("stage archive: cannot read body " + hash + ": " + e.getMessage(), e);
    }
  }

  Path path(String hash) {
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 hash: " + hash);
    }
    return root.resolve(hash.substring(0, 2)).resolve(hash + ".gz");
  }
}
