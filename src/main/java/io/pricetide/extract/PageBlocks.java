package io.pricetide.extract;

import java.util.List;
import java.util.Locale;

/**
 * A vendor page reduced to what price extractors need, whatever form it was fetched in: headings, lines of text
 * and tables, in document order. Server HTML ({@link HtmlBlocks}), markdown from a markdown endpoint or a reader
 * tool and plain-text dumps ({@link MarkdownBlocks}) all become the same blocks, so one vendor extractor reads every
 * representation of its page.
 */
final class PageBlocks {
  private PageBlocks() {}

  enum Kind { HEADING, TEXT, TABLE }

  /**
   * One block. Headings carry a level (1–6) and text; text blocks one line or paragraph ({@code text} is trimmed,
   * {@code raw} keeps a text dump's tabs); tables a grid of cell texts whose first {@code headerRows} rows are
   * headers. HTML row and column spans are expanded, so every row of an HTML table has every cell.
   */
  record Block(Kind kind, int level, String text, String raw, List<List<String>> rows, int headerRows) {
    static Block heading(int level, String text) {
      return new Block(Kind.HEADING, level, text, text, List.of(), 0);
    }

    static Block text(String text, String raw) {
      return new Block(Kind.TEXT, 0, text, raw, List.of(), 0);
    }

    static Block table(List<List<String>> rows, int headerRows) {
      return new Block(Kind.TABLE, 0, "", "", rows, Math.min(headerRows, rows.size()));
    }

    boolean isHeading() {
      return kind == Kind.HEADING;
    }

    boolean isText() {
      return kind == Kind.TEXT;
    }

    boolean isTable() {
      return kind == Kind.TABLE;
    }

    /** The first header row, or an empty list. */
    List<String> header() {
      return rows.isEmpty() ? List.of() : rows.get(0);
    }

    /** The rows after the header rows. */
    List<List<String>> body() {
      return rows.subList(headerRows, rows.size());
    }
  }

  /**
   * Reads a body in {@code format} ({@code html}, {@code markdown}, {@code text}; {@code null} sniffs). A body that
   * plainly is not what the format says (markdown saved as {@code .html}, an HTML page saved as {@code .md}) is read
   * as what it is.
   */
  static List<Block> parse(String body, String format) {
    String f = format == null ? "" : format.toLowerCase(Locale.ROOT);
    boolean html = looksLikeHtml(body);
    if (f.equals("html") && html || f.isEmpty() && html || f.equals("markdown") && startsAsHtmlDocument(body)) {
      return HtmlBlocks.read(body);
    }
    return MarkdownBlocks.read(body, f.equals("text"));
  }

  private static boolean looksLikeHtml(String body) {
    String head = body.substring(0, Math.min(body.length(), 4096)).toLowerCase(Locale.ROOT);
    return head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
        || head.contains("<table") || head.contains("<div") || head.contains("<p>") || head.contains("<h1")
        || head.contains("<h2");
  }

  private static boolean startsAsHtmlDocument(String body) {
    String head = body.stripLeading().substring(0, Math.min(body.stripLeading().length(), 200))
        .toLowerCase(Locale.ROOT);
    return head.startsWith("<!doctype html") || head.startsWith("<html");
  }
}
