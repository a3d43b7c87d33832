package io.pricetide.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.extract.ExtractorRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #16 case 7: hostile source files are refused with {@code file:line} and a reason, never a stack trace;
 * {@code loadDirectory} reports them beside the good ones.
 */
class HostileSourceFilesTest {
  @TempDir
  Path dir;

  private final SourceLoader loader = new SourceLoader(ExtractorRegistry.builtIn());

  private static final String HEAD = "id: acme\nurl: https://a.example/\nschedule: \"0 0 * * * ?\"\n";

  private SourceException refused(byte[] content) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.write(f, content);
    SourceException e = assertThrows(SourceException.class, () -> loader.loadFile(f));
    assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
    // The whole directory load reports it as one line, too.
    SourceLoader.Result r = loader.loadDirectory(dir);
    assertEquals(1, r.errors().size(), () -> String.valueOf(r.errors()));
    return e;
  }

  private SourceException refused(String content) throws Exception {
    return refused(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("case 7: a billion-laughs alias bomb is refused at file:line")
  void case7_aliasBomb() throws Exception {
    StringBuilder y = new StringBuilder(HEAD).append("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        y.append(j > 0 ? ", " : "").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    SourceException e = refused(y.toString());
    assertTrue(e.getMessage().contains("aliases"), e.getMessage());
  }

  @Test
  @DisplayName("case 7: invalid UTF-8 is refused with the line of the bad byte")
  void case7_invalidUtf8() throws Exception {
    byte[] head = (HEAD + "name: ").getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[head.length + 3];
    System.arraycopy(head, 0, bad, 0, head.length);
    bad[head.length] = (byte) 0xC3;
    bad[head.length + 1] = (byte) 0x28;
    bad[head.length + 2] = '\n';
    SourceException e = refused(bad);
    assertEquals(4, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }

  @Test
  @DisplayName("case 7: a binary file is refused as not YAML text")
  void case7_binary() throws Exception {
    byte[] bin = new byte[4096];
    new java.util.Random(7).nextBytes(bin);
    bin[0] = 0x00;
    SourceException e = refused(bin);
    assertEquals(1, e.line(), e.getMessage());
  }

  @Test
  @DisplayName("case 7: nesting deeper than the limit is refused")
  void case7_deepNesting() throws Exception {
    SourceException e = refused(HEAD + "deep: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
    assertTrue(e.getMessage().contains("YAML"), e.getMessage());
  }

  @Test
  @DisplayName("case 7: a 1M-character file is refused before it is parsed")
  void case7_hugeFile() throws Exception {
    SourceException e = refused(HEAD + "description: \"" + "x".repeat(1_000_000) + "\"\n");
    assertTrue(e.getMessage().contains("file too large"), e.getMessage());
  }

  @Test
  @DisplayName("case 7: a hostless URL (http:///x) fails validation at its line")
  void case7_hostlessUrl() throws Exception {
    SourceException e = refused("id: acme\nurl: \"http:///x\"\nschedule: \"0 0 * * * ?\"\n"
        + "extractor:\n  kind: json\n  prices: {input: a}\n");
    assertEquals(2, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("has no host"), e.getMessage());
  }
}
