package io.pricetide.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The one escaper: for every context a scraped string reaches in a page or an email, HTML text and quoted
 * attributes ({@code & < > " '} and the backtick), JSON inside a {@code <script type="application/json">} block,
 * and XML (feeds). Characters that are not allowed in XML 1.0 or
 * that are C0 controls are dropped everywhere, so a hostile page can never make a feed ill-formed.
 */
public final class Html {
  private Html() {}

  /**
   * Markup that Pricetide itself produced and that the template renderer emits unchanged ({@code {{&name}}}).
   * Only Pricetide's own rendering code creates it, never from a scraped string.
   *
   * @param text the trusted markup
   */
  public record Safe(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  /** Escapes text for HTML element content and for single- or double-quoted attribute values. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        case '`' -> b.append("&#96;");
        default -> {
          if (allowed(s, i, c)) {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * JSON for a {@code <script type="application/json">} block: the browser does not decode entities there, so
   * {@code <}, {@code >} and {@code &} become JSON escapes ({@code </script>} can never close the block) and the
   * line separators U+2028 and U+2029 are escaped too.
   */
  public static Safe jsonScript(Object json) {
    String raw = json instanceof JsonObject o ? o.encode() : json instanceof JsonArray a ? a.encode()
        : new JsonObject().put("v", json).encode();
    StringBuilder b = new StringBuilder(raw.length() + 32);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      switch (c) {
        case '<' -> b.append("\\u003c");
        case '>' -> b.append("\\u003e");
        case '&' -> b.append("\\u0026");
        case '\u2028' -> b.append("\\u2028");
        case '\u2029' -> b.append("\\u2029");
        default -> b.append(c);
      }
    }
    return new Safe(b.toString());
  }

  /** Drops characters XML 1.0 forbids (C0 controls except tab, CR, LF; lone surrogates; U+FFFE, U+FFFF). */
  public static String xmlText(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = allowed(s, i, c);
      if (!ok && b == null) {
        b = new StringBuilder(s.length());
        b.append(s, 0, i);
      } else if (ok && b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  private static boolean allowed(String s, int i, char c) {
    if (c < 0x20) {
      return c == '\t' || c == '\n' || c == '\r';
    }
    if (c == '\uFFFE' || c == '\uFFFF') {
      return false;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
    return true;
  }
}
