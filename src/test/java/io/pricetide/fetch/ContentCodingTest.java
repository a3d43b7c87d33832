package io.pricetide.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.testing.FakeVendor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ContentCodingTest {
  private static final String PAGE = "<table><tr><td>Acme Large</td><td>$10.00</td></tr></table>".repeat(50);
  private static final byte[] BYTES = PAGE.getBytes(StandardCharsets.UTF_8);

  private static byte[] deflate(boolean zlibWrapped) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(6, !zlibWrapped))) {
      d.write(BYTES);
    }
    return out.toByteArray();
  }

  @Test
  @DisplayName("gzip (one member or several), zlib and raw deflate, and identity all give the page back")
  void decodes() throws Exception {
    assertArrayEquals(BYTES, ContentCoding.decode(FakeVendor.gzip(PAGE), "gzip", 1 << 20));
    assertArrayEquals(BYTES, ContentCoding.decode(FakeVendor.gzip(PAGE), " X-GZip ", 1 << 20));
    byte[] half1 = FakeVendor.gzip(PAGE.substring(0, 1000));
    byte[] half2 = FakeVendor.gzip(PAGE.substring(1000));
    byte[] two = new byte[half1.length + half2.length];
    System.arraycopy(half1, 0, two, 0, half1.length);
    System.arraycopy(half2, 0, two, half1.length, half2.length);
    assertArrayEquals(BYTES, ContentCoding.decode(two, "gzip", 1 << 20), "two members, concatenated");
    assertArrayEquals(BYTES, ContentCoding.decode(deflate(true), "deflate", 1 << 20));
    assertArrayEquals(BYTES, ContentCoding.decode(deflate(false), "deflate", 1 << 20));
    assertSame(BYTES, ContentCoding.decode(BYTES, null, 1 << 20));
    assertSame(BYTES, ContentCoding.decode(BYTES, "identity", 1 << 20));
  }

  @Test
  @DisplayName("The cap holds for the inflated size, exactly at its edge")
  void capIsOnTheInflatedBody() throws Exception {
    assertArrayEquals(BYTES, ContentCoding.decode(FakeVendor.gzip(PAGE), "gzip", BYTES.length));
    ContentCoding.BadBody e = assertThrows(ContentCoding.BadBody.class,
        () -> ContentCoding.decode(FakeVendor.gzip(PAGE), "gzip", BYTES.length - 1));
    assertTrue(e.getMessage().contains("once decompressed"), e.getMessage());
    assertThrows(ContentCoding.BadBody.class, () -> ContentCoding.decode(deflate(true), "deflate", 100));
  }

  @Test
  @DisplayName("Truncated or garbled gzip and unknown encodings are refused with the reason")
  void refusesBadBodies() {
    byte[] gz = FakeVendor.gzip(PAGE);
    byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
    assertTrue(assertThrows(ContentCoding.BadBody.class, () -> ContentCoding.decode(truncated, "gzip", 1 << 20))
        .getMessage().startsWith("corrupt gzip body"));
    byte[] flipped = gz.clone();
    flipped[flipped.length - 6] ^= 0x55; // the CRC-32 in the trailer
    assertThrows(ContentCoding.BadBody.class, () -> ContentCoding.decode(flipped, "gzip", 1 << 20));
    assertThrows(ContentCoding.BadBody.class, () -> ContentCoding.decode(BYTES, "gzip", 1 << 20));
    assertTrue(assertThrows(ContentCoding.BadBody.class, () -> ContentCoding.decode(BYTES, "zstd", 1 << 20))
        .getMessage().contains("unsupported Content-Encoding 'zstd'"));
  }
}
