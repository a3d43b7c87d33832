package io.pricetide.fetch;

/**
 * A completed fetch: {@code notModified} for a 304 answer to a conditional GET (then {@code body} is null),
 * otherwise the body as it came over the wire, its {@code Content-Encoding} (null for none) and its validators.
 * {@link #decoded(long)} undoes the encoding.
 */
public record FetchResult(int status, byte[] body, String contentEncoding, String contentType, String etag,
    String lastModified, int attempts) {
  /** The body with its content encoding undone, at most {@code cap} bytes; blocking (it may inflate). */
  public byte[] decoded(long cap) throws ContentCoding.BadBody {
    return ContentCoding.decode(body, contentEncoding, cap);
  }

  /**
   * The decoded body of a source's fetch; a body that cannot be decoded (a gzip bomb, corrupt gzip, an encoding
   * not asked for) is the fetch's failure, a {@link FetchException} naming the source, URL and reason.
   */
  public byte[] decodedFor(io.pricetide.source.SourceDefinition src) {
    try {
      return decoded(src.fetch().maxBytes());
    } catch (ContentCoding.BadBody e) {
      throw new FetchException(src.id(), src.url(), status, e.getMessage(), false, -1);
    }
  }

  /** True when the wire bytes are a gzip file, which the raw archive can store as they are. */
  public boolean isGzip() {
    return ContentCoding.isGzip(contentEncoding);
  }

  public boolean notModified() {
    return status == 304;
  }
}
