package io.pricetide.fetch;

/**
 * A completed fetch: {@code notModified} for a 304 answer to a conditional GET (then {@code body} is null),
 * otherwise the decoded body with its validators.
 */
public record FetchResult(int status, byte[] body, String contentType, String etag, String lastModified,
    int attempts) {
  public boolean notModified() {
    return status == 304;
  }
}
