package io.pricetide.extract;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader of GitHub-style pipe tables in markdown: a header row, a {@code |---|} separator, then body rows. Each
 * table records the nearest heading above it, which named extractors use to tell tables apart.
 */
public final class MarkdownTables {
  private MarkdownTables() {}

  /** One table: the heading above it ("" if none), its header cells and its rows of cells. */
  public record Table(String heading, List<String> headers, List<List<String>> rows) {}

  public static List<Table> read(String markdown) {
    List<Table> tables = new ArrayList<>();
    String[] lines = markdown.split("\r?\n");
    String heading = "";
    int i = 0;
    while (i < lines.length) {
      String line = lines[i].trim();
      if (line.startsWith("#")) {
        heading = line.replaceFirst("^#+\\s*", "").trim();
      }
      if (isRow(line) && i + 1 < lines.length && isSeparator(lines[i + 1].trim())) {
        List<String> headers = cells(line);
        List<List<String>> rows = new ArrayList<>();
        i += 2;
        while (i < lines.length && isRow(lines[i].trim())) {
          rows.add(cells(lines[i].trim()));
          i++;
        }
        tables.add(new Table(heading, headers, rows));
        continue;
      }
      i++;
    }
    return tables;
  }

  private static boolean isRow(String line) {
    return line.startsWith("|") && line.length() > 1;
  }

  private static boolean isSeparator(String line) {
    return isRow(line) && line.matches("\\|?(\\s*:?-{2,}:?\\s*\\|)+\\s*:?-*:?\\s*\\|?");
  }

  /** Splits a row on unescaped pipes, dropping the outer ones; strips markdown emphasis, links and code marks. */
  public static List<String> cells(String line) {
    return cells(line, MarkdownTables::clean);
  }

  /**
   * The cells of a pipe-table row, with or without outer pipes, each passed through {@code clean}; an escaped pipe
   * stays in its cell.
   */
  static List<String> cells(String line, java.util.function.UnaryOperator<String> clean) {
    String body = line.startsWith("|") ? line.substring(1) : line;
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length() && body.charAt(i + 1) == '|') {
        cur.append('|');
        i++;
      } else if (c == '|') {
        out.add(clean.apply(cur.toString()));
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(clean.apply(cur.toString()));
    }
    return out;
  }

  static String clean(String cell) {
    return cell.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
        .replaceAll("<br\\s*/?>", " ")
        .replaceAll("<[^>]+>", "")
        .replace("**", "").replace("`", "").replace("__", "")
        .trim();
  }
}
