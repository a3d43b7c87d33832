package io.pricetide.alert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The server secret that signs tokens: the configured one ({@code secret}, {@code PRICETIDE_SECRET}) or else one
 * generated once and kept in {@code <data_dir>/alert-secret}, readable by the owner only. Never hard-coded.
 */
final class ServerSecret {
  static final String FILE = "alert-secret";
  private static final int MIN_CONFIGURED = 16;

  private ServerSecret() {}

  static byte[] load(String configured, Path dataDir) {
    if (!configured.isEmpty()) {
      if (configured.length() < MIN_CONFIGURED) {
        throw new AlertException("secret must have at least " + MIN_CONFIGURED + " characters");
      }
      return configured.getBytes(StandardCharsets.UTF_8);
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(dataDir);
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        try {
          Files.writeString(Files.createFile(file), HexFormat.of().formatHex(b) + "\n");
          try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the data dir's own permissions apply
          }
        } catch (FileAlreadyExistsException e) {
          // another process made it first; read theirs
        }
      }
      String hex = Files.readString(file).trim();
      if (hex.length() < 32) {
        throw new AlertException(file + ": the secret is too short; delete the file to generate a new one");
      }
      return HexFormat.of().parseHex(hex);
    } catch (IOException | IllegalArgumentException e) {
      throw new AlertException("cannot read or create the server secret " + file + ": " + e.getMessage(), e);
    }
  }
}
