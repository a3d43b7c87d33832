package io.pricetide.web;

import java.util.List;

/**
 * CSV (RFC 4180) for exports: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote, CR or
 * LF, quotes doubled. A text field that a spreadsheet would run as a formula (starting with {@code =}, {@code +},
 * {@code -}, {@code @}, tab or CR) is prefixed with an apostrophe; numeric columns are written as they are.
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
      if (!(numeric != null && i < numeric.length && numeric[i]) && !f.isEmpty() && "=+-@\t\r".indexOf(f.charAt(0)) >= 0) {
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
}
