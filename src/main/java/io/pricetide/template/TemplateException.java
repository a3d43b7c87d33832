package io.pricetide.template;

/** A template that cannot be read or parsed; the message names the file and, for syntax, the line. */
public final class TemplateException extends IllegalStateException {
  public TemplateException(String message) {
    super(message);
  }
}
