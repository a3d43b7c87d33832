package io.pricetide.source;

/** A source definition that cannot be used; the message names the file and line. */
public class SourceException extends RuntimeException {
  private final String file;
  private final int line;

  public SourceException(String file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }
}
