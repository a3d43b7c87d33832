package io.pricetide.history;

/** A database failure while reading or writing history; names the source where there is one. */
public class HistoryException extends RuntimeException {
  public HistoryException(String what, Throwable cause) {
    super("stage history: " + what + ": " + cause.getMessage(), cause);
  }
}
