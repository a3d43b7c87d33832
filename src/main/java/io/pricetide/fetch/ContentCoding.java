package io.pricetide.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Undoes a response's {@code Content-Encoding}. The fetcher asks for gzip and keeps the bytes as sent, so the raw
 * archive can store a gzipped body as it came instead of compressing it again; the body is inflated here, off the
 * event loop, under the same size cap as the download, so a small gzip bomb is refused rather than inflated.
 */
final class ContentCoding {
  private ContentCoding() {}

  /** Why a body could not be decoded; the caller turns it into a fetch-stage failure. */
  static final class BadBody extends Exception {
    BadBody(String message) {
      super(message);
    }
  }

  /** True for the encodings whose wire bytes are, as they stand, a gzip file. */
  static boolean isGzip(String encoding) {
    String e = normalise(encoding);
    return e.equals("gzip") || e.equals("x-gzip");
  }

  /** The body the server meant: {@code wire} inflated for gzip or deflate, as it is for none or identity. */
  static byte[] decode(byte[] wire, String encoding, long cap) throws BadBody {
    String e = normalise(encoding);
    switch (e) {
      case "", "identity":
        return wire;
      case "gzip", "x-gzip":
        return inflate(wire, "gzip", cap, presize(wire, cap));
      case "deflate":
        // RFC 9110 means zlib-wrapped deflate; some servers send it raw. Try the standard first.
        try {
          return inflate(wire, "deflate", cap, wire.length * 4);
        } catch (BadBody zlib) {
          return inflate(wire, "raw deflate", cap, wire.length * 4);
        }
      default:
        throw new BadBody("unsupported Content-Encoding '" + encoding + "' (only gzip was asked for)");
    }
  }

  private static String normalise(String encoding) {
    return encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
  }

  /** Gzip's trailer gives the size of the last member modulo 4 GiB: for a page, its exact size. */
  private static int presize(byte[] wire, long cap) {
    if (wire.length < 18) {
      return 1024;
    }
    int n = wire.length;
    long isize = (wire[n - 4] & 0xff) | (wire[n - 3] & 0xff) << 8 | (wire[n - 2] & 0xff) << 16
        | (long) (wire[n - 1] & 0xff) << 24;
    return (int) Math.max(1024, Math.min(Math.min(isize, cap), 64L << 20));
  }

  private static byte[] inflate(byte[] wire, String kind, long cap, int sizeHint) throws BadBody {
    Inflater raw = kind.equals("raw deflate") ? new Inflater(true) : null;
    try (InputStream in = switch (kind) {
      case "gzip" -> new GZIPInputStream(new ByteArrayInputStream(wire), Math.max(512, wire.length));
      case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(wire));
      default -> new InflaterInputStream(new ByteArrayInputStream(wire), raw);
    }) {
      // One more than the hint: a body of exactly the announced size fills it without growing it.
      byte[] buf = new byte[(int) Math.min(Math.max(1024, (long) sizeHint + 1), cap + 1)];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (n > cap) {
            throw new BadBody("body larger than the cap of " + cap + " bytes once decompressed");
          }
          buf = Arrays.copyOf(buf, (int) Math.min(cap + 1, (long) buf.length * 2));
        }
        int k = in.read(buf, n, buf.length - n);
        if (k < 0) {
          return n == buf.length ? buf : Arrays.copyOf(buf, n);
        }
        n += k;
      }
    } catch (IOException e) {
      throw new BadBody("corrupt " + kind + " body: " + e.getMessage());
    } finally {
      if (raw != null) {
        raw.end();
      }
    }
  }
}
