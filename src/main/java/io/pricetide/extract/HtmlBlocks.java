package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Server HTML to {@link PageBlocks}: headings, paragraphs of text and tables in document order. Scripts, styles and
 * struck-through text ({@code del}, {@code s}: a superseded price) are dropped. Table row and column spans are
 * expanded so that a price spanning two model columns, or a model name spanning three tier rows, appears in every
 * cell it covers.
 */
final class HtmlBlocks {
  /** Spans larger than this are treated as 1: a hostile page must not make us allocate a huge grid. */
  private static final int MAX_SPAN = 200;
  private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");
  private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

  private HtmlBlocks() {}

  static List<Block> read(String html) {
    Document doc = Jsoup.parse(html);
    doc.select("script, style, noscript, template, svg, del, s, strike").remove();
    List<Block> out = new ArrayList<>();
    StringBuilder para = new StringBuilder();
    NodeTraversor.filter(new NodeFilter() {
      @Override
      public FilterResult head(Node node, int depth) {
        if (node instanceof TextNode t) {
          para.append(t.text());
          return FilterResult.CONTINUE;
        }
        if (!(node instanceof Element e)) {
          return FilterResult.CONTINUE;
        }
        String tag = e.normalName();
        if (HEADINGS.contains(tag)) {
          flush(para, out);
          String text = e.text().trim();
          if (!text.isEmpty()) {
            out.add(Block.heading(tag.charAt(1) - '0', text));
          }
          return FilterResult.SKIP_ENTIRELY;
        }
        if (tag.equals("table")) {
          flush(para, out);
          List<List<String>> rows = grid(e);
          if (!rows.isEmpty()) {
            out.add(Block.table(rows, headerRows(e, rows)));
          }
          return FilterResult.SKIP_ENTIRELY;
        }
        if (tag.equals("br") || isBlock(e)) {
          flush(para, out);
        }
        return FilterResult.CONTINUE;
      }

      @Override
      public FilterResult tail(Node node, int depth) {
        if (node instanceof Element e && isBlock(e)) {
          flush(para, out);
        }
        return FilterResult.CONTINUE;
      }
    }, doc.body());
    flush(para, out);
    return out;
  }

  private static boolean isBlock(Element e) {
    return e.isBlock() || "p".equals(e.attr("data-as"));
  }

  private static void flush(StringBuilder para, List<Block> out) {
    String raw = para.length() > MarkdownBlocks.MAX_LINE ? para.substring(0, MarkdownBlocks.MAX_LINE) : para.toString();
    String text = BLANKS.matcher(raw.replace('\u00a0', ' ')).replaceAll(" ").trim();
    para.setLength(0);
    if (!text.isEmpty()) {
      out.add(Block.text(text, text));
    }
  }

  private static List<Element> rows(Element table) {
    List<Element> rows = new ArrayList<>();
    for (Element child : table.children()) {
      switch (child.normalName()) {
        case "tr" -> rows.add(child);
        case "thead", "tbody", "tfoot" -> child.children().stream().filter(c -> c.normalName().equals("tr"))
            .forEach(rows::add);
        default -> {
          // captions and column groups hold no cells
        }
      }
    }
    return rows;
  }

  /** The table as a grid of cell texts with spans expanded. */
  static List<List<String>> grid(Element table) {
    Map<Long, String> cells = new HashMap<>();
    List<Element> trs = rows(table);
    int width = 0;
    int height = trs.size();
    for (int r = 0; r < trs.size(); r++) {
      int c = 0;
      for (Element cell : trs.get(r).children()) {
        if (!cell.normalName().equals("td") && !cell.normalName().equals("th")) {
          continue;
        }
        while (cells.containsKey(key(r, c))) {
          c++;
        }
        int rs = span(cell.attr("rowspan"));
        int cs = span(cell.attr("colspan"));
        String text = cellText(cell);
        for (int i = 0; i < rs; i++) {
          for (int j = 0; j < cs; j++) {
            cells.putIfAbsent(key(r + i, c + j), text);
          }
        }
        c += cs;
        width = Math.max(width, c);
        height = Math.max(height, r + rs);
      }
    }
    List<List<String>> grid = new ArrayList<>();
    for (int r = 0; r < Math.min(height, trs.size()); r++) {
      List<String> row = new ArrayList<>();
      int last = -1;
      for (int c = 0; c < width; c++) {
        String v = cells.get(key(r, c));
        row.add(v == null ? "" : v);
        if (v != null) {
          last = c;
        }
      }
      grid.add(row.subList(0, last + 1));
    }
    return grid;
  }

  private static long key(int r, int c) {
    return ((long) r << 32) | c;
  }

  private static int span(String attr) {
    try {
      int n = Integer.parseInt(attr.trim());
      return n < 1 || n > MAX_SPAN ? 1 : n;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String cellText(Element cell) {
    for (Element br : cell.select("br")) {
      br.after(" ");
    }
    String text = cell.text();
    if (text.length() > MarkdownBlocks.MAX_LINE) {
      text = text.substring(0, MarkdownBlocks.MAX_LINE);
    }
    return BLANKS.matcher(text.replace('\u00a0', ' ')).replaceAll(" ").trim();
  }

  private static int headerRows(Element table, List<List<String>> grid) {
    int thead = 0;
    for (Element child : table.children()) {
      if (child.normalName().equals("thead")) {
        thead += (int) child.children().stream().filter(c -> c.normalName().equals("tr")).count();
      }
    }
    if (thead > 0) {
      return thead;
    }
    int leading = 0;
    for (Element tr : rows(table)) {
      boolean allTh = !tr.children().isEmpty() && tr.children().stream().allMatch(c -> c.normalName().equals("th"));
      if (!allTh) {
        break;
      }
      leading++;
    }
    return Math.max(1, Math.min(leading, grid.size()));
  }
}
