package io.pricetide.extract;

/** A page or document that the extractor cannot read; carries the source and what was expected. */
public class ExtractException extends RuntimeException {
  private final String sourceId;

  public ExtractException(String sourceId, String reason) {
    super("source " + sourceId + ", stage extract: " + reason);
    this.sourceId = sourceId;
  }

  public ExtractException(String sourceId, String reason, Throwable cause) {
    super("source " + sourceId + ", stage extract: " + reason, cause);
    this.sourceId = sourceId;
  }

  public String sourceId() {
    return sourceId;
  }
}
