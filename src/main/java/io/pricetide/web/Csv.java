package io.pricetide.web;

import java.util.List;

/**
 * CSV (RFC 4180) for exports: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote, CR or
 * LF, quotes doubled. A text field that a spreadsheet would run as a formula (starting, after any leading blanks,
 * with {@code =}, {@code +}, {@code -}, {@code @} or their full-width forms, or with a tab, CR or LF) is prefixed
 * with an apostrophe; numeric columns are written as they are.
 */
public final class Csv {
  private Csv() {}

  /** One record; {@code numeric[i]} marks columns that are never formula-guarded. */
  public static void row(StringBuilder out, List<String> fields, boolean[] numeric) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String f = fields.get(i) == null ? "" : fields.get(i);
      if (!(numeric != null && i < numeric.length && numeric[i]) && isFormula(f)) {
        f = "'" + f;
      }
      if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
        out.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        out.append(f);
      }
    }
    out.append("\r\n");
  }

  /**
   * True when a spreadsheet could run the field as a formula: its first character, or its first after leading
   * blanks (spaces, no-break and other Unicode spaces, which spreadsheets skip), is {@code =}, {@code +},
   * {@code -}, {@code @}, or the field starts with a tab, CR or LF.
   */
  static boolean isFormula(String f) {
    if (f.isEmpty()) {
      return false;
    }
    if ("\t\r\n".indexOf(f.charAt(0)) >= 0) {
      return true;
    }
    int i = 0;
    while (i < f.length() && (f.charAt(i) == ' ' || Character.isSpaceChar(f.charAt(i)) || f.charAt(i) == '\t')) {
      i++;
    }
    return i < f.length() && "=+-@\uFF1D\uFF0B\uFF0D\uFF20".indexOf(f.charAt(i)) >= 0;
  }
}
