package io.pricetide.extract;

/** JavaScript string literals as a page's scripts write them: {@code "…"} or {@code '…'} with JS escapes. */
final class JsStrings {
  private JsStrings() {}

  /**
   * Decodes the literal whose opening quote is at {@code start} into {@code out}: {@code \n \r \t \b \f \v \0},
   * {@code \xHH}, a {@code u} escape of four hex digits or of braced hex digits, line continuations, and any
   * other escaped character as itself.
   *
   * @return the index after the closing quote, or -1 when the literal is not terminated
   */
  static int decode(String s, int start, StringBuilder out) {
    char quote = s.charAt(start);
    int i = start + 1;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == quote) {
        return i + 1;
      }
      if (c == '\n' || c == '\r') {
        return -1; // a raw line break ends no JavaScript string literal
      }
      if (c != '\\') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 >= n) {
        return -1;
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000B');
        case '0' -> out.append('\0');
        case '\r' -> {
          if (i < n && s.charAt(i) == '\n') {
            i++; // a line continuation adds nothing
          }
        }
        case '\n', '\u2028', '\u2029' -> {
          // a line continuation adds nothing
        }
        case 'x' -> {
          int v = hex(s, i, 2);
          if (v < 0) {
            return -1;
          }
          out.append((char) v);
          i += 2;
        }
        case 'u' -> {
          if (i < n && s.charAt(i) == '{') {
            int close = s.indexOf('}', i);
            int v = close < 0 || close - i - 1 > 6 ? -1 : hex(s, i + 1, close - i - 1);
            if (v < 0 || v > 0x10FFFF) {
              return -1;
            }
            out.appendCodePoint(v);
            i = close + 1;
          } else {
            int v = hex(s, i, 4);
            if (v < 0) {
              return -1;
            }
            out.append((char) v);
            i += 4;
          }
        }
        default -> out.append(e); // \" \' \\ \/ and any other character stand for themselves
      }
    }
    return -1;
  }

  private static int hex(String s, int from, int len) {
    if (len <= 0 || from + len > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + len; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
