package io.pricetide.price;

import java.math.BigDecimal;

/**
 * Every numeric form a page or catalogue writes, read exactly or refused, never partly (issue #16, case 6):
 * plain ({@code 2.50}, {@code .5}), thousands separators ({@code 1,234.5}), {@code e} notation ({@code 2.41751e-05},
 * {@code 1E+3}) and full-width digits ({@code ２．５}, mapped one character for one, so positions in the text hold).
 * A number that the text continues in a way the pattern cannot read (a digit, a separator followed by a digit, or an
 * exponent sign right after it: {@code 1,2345}, {@code 1.234.567}, {@code 2e}) is refused as a whole: the
 * callers see no amount rather than a wrong one.
 */
public final class Numerals {
  private Numerals() {}

  /**
   * The regular expression of one number (no sign, no currency): grouped thousands, plain or leading-dot decimals,
   * each with an optional exponent. Callers embed it in a capturing group.
   */
  public static final String NUMBER = "(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)"
      + "(?:[eE][+-]?\\d{1,4}(?![\\d.]))?";

  /** Full-width digits, full stop, comma, plus, minus and dollar sign as their ASCII forms, one char for one. */
  public static String ascii(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char a = c >= '\uFF10' && c <= '\uFF19' ? (char) ('0' + (c - '\uFF10'))
          : c == '\uFF0E' ? '.' : c == '\uFF0C' ? ',' : c == '\uFF0B' ? '+' : c == '\uFF0D' ? '-'
          : c == '\uFF04' ? '$' : c;
      if (a != c && b == null) {
        b = new StringBuilder(text);
      }
      if (b != null) {
        b.setCharAt(i, a);
      }
    }
    return b == null ? text : b.toString();
  }

  /**
   * True when the number found at {@code [start, end)} of {@code text} is only part of what the text writes there:
   * a digit, or a '.' or ',' then a digit, or an exponent mark then a digit, touches it on either side.
   */
  public static boolean isPartial(String text, int start, int end) {
    if (end < text.length()) {
      char n = text.charAt(end);
      if (Character.isDigit(n)) {
        return true;
      }
      if ((n == '.' || n == ',') && end + 1 < text.length() && Character.isDigit(text.charAt(end + 1))) {
        return true;
      }
      if ((n == 'e' || n == 'E') && end + 1 < text.length()) {
        char e = text.charAt(end + 1);
        if (Character.isDigit(e) || (e == '+' || e == '-') && end + 2 < text.length()
            && Character.isDigit(text.charAt(end + 2))) {
          return true;
        }
      }
    }
    if (start > 0) {
      char p = text.charAt(start - 1);
      if (Character.isDigit(p)) {
        return true;
      }
      if ((p == '.' || p == ',') && start > 1 && Character.isDigit(text.charAt(start - 2))) {
        return true;
      }
    }
    return false;
  }

  /** The exact value of a number matched by {@link #NUMBER}. */
  public static BigDecimal value(String matched) {
    return new BigDecimal(matched.replace(",", ""));
  }
}
