package io.pricetide.alert;

/** A failure of the alert stores or configuration, with what was being done in the message. */
public final class AlertException extends RuntimeException {
  public AlertException(String message, Throwable cause) {
    super(message, cause);
  }

  public AlertException(String message) {
    super(message);
  }
}
