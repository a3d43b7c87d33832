package io.pricetide.extract;

import io.pricetide.extract.PageBlocks.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown (and plain text) to {@link PageBlocks}, leniently, because vendor markdown comes from many writers:
 * markdown endpoints (Mintlify {@code .md}, devsite {@code .md.txt}), reader tools (r.jina.ai, crawl4ai) and
 * hand copies. It understands ATX headings, also when the text follows on a later line ({@code ## } then an anchor
 * link then the title), setext headings, pipe tables with or without outer pipes (also when the header row is glued
 * to the end of a sentence), MDX {@code <DocTable columns=… rows=…/>} components, and fenced code, which it skips.
 * Every other non-blank line is a text block. Markdown emphasis, links, HTML tags, backslash escapes and
 * struck-through text ({@code ~~old price~~}) are removed from what blocks carry.
 */
final class MarkdownBlocks {
  private static final Pattern ATX = Pattern.compile("^(#{1,6})(?:\\s+(.*?))?\\s*#*\\s*$");
  private static final Pattern SEPARATOR = Pattern.compile("^\\|?\\s*:?-{2,}:?\\s*(\\|\\s*:?-{2,}:?\\s*)*\\|?\\s*$");
  private static final Pattern SETEXT = Pattern.compile("^(=+|-+)\\s*$");
  private static final Pattern FENCE = Pattern.compile("^(```|~~~|\\[code]).*");
  private static final Pattern DOC_TITLE = Pattern.compile("title:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern DOC_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern LINK_ONLY = Pattern.compile("^\\[[\\s\u200b]*]\\([^)]*\\)$");
  private static final Pattern STRUCK = Pattern.compile("~~[^~]*~~");
  private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\([^)]*\\)");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
  private static final Pattern BR = Pattern.compile("(?i)<br\\s*/?>");
  private static final Pattern TAG = Pattern.compile("</?[A-Za-z][^<>]*>");
  private static final Pattern ESCAPE = Pattern.compile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!<>|$~^])");
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final Pattern TRAILING = Pattern.compile("\\s+$");
  /** Characters that mark something {@link #clean} removes; text without them only has its blanks collapsed. */
  private static final Pattern MARKUP = Pattern.compile("[~\\[<*_`\\\\&\u00a0\u200b]");

  /** Lines are cut to this many characters: no price table needs more, and a hostile page gets no further. */
  static final int MAX_LINE = 20_000;

  private MarkdownBlocks() {}

  /** Reads markdown; with {@code textDump} each text block also keeps its raw line (tabs of a copied table). */
  static List<Block> read(String body, boolean textDump) {
    String[] lines = body.split("\r?\n", -1);
    for (int k = 0; k < lines.length; k++) {
      if (lines[k].length() > MAX_LINE) {
        lines[k] = lines[k].substring(0, MAX_LINE);
      }
    }
    List<Block> out = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String raw = lines[i];
      String t = raw.trim();
      if (t.isEmpty()) {
        i++;
        continue;
      }
      if (!textDump && FENCE.matcher(t).matches()) {
        i = skipFence(lines, i);
        continue;
      }
      if (t.startsWith("<DocTable")) {
        i = docTable(lines, i, out);
        continue;
      }
      Matcher atx = ATX.matcher(t);
      if (!textDump && atx.matches() && !t.startsWith("#!")) {
        String text = clean(atx.group(2) == null ? "" : atx.group(2));
        int next = i + 1;
        while (text.isEmpty() && next < lines.length) {
          String n = lines[next].trim();
          next++;
          if (n.isEmpty() || LINK_ONLY.matcher(n).matches()) {
            continue;
          }
          text = clean(n);
        }
        if (!text.isEmpty()) {
          out.add(Block.heading(atx.group(1).length(), text));
        }
        i = text.isEmpty() ? i + 1 : next == i + 1 ? i + 1 : next;
        continue;
      }
      if (t.contains("|") && i + 1 < lines.length && SEPARATOR.matcher(lines[i + 1].trim()).matches()
          && lines[i + 1].contains("|")) {
        i = table(lines, i, out);
        continue;
      }
      if (!textDump && i + 1 < lines.length && SETEXT.matcher(lines[i + 1].trim()).matches() && !t.contains("|")
          && !t.startsWith("-") && !t.startsWith("*") && lines[i + 1].trim().length() >= 3) {
        String text = clean(t);
        if (!text.isEmpty()) {
          out.add(Block.heading(lines[i + 1].trim().startsWith("=") ? 1 : 2, text));
        }
        i += 2;
        continue;
      }
      String text = clean(t);
      if (!text.isEmpty()) {
        out.add(Block.text(text, textDump ? stripEnd(raw) : text));
      }
      i++;
    }
    return out;
  }

  private static String stripEnd(String s) {
    return TRAILING.matcher(s).replaceAll("");
  }

  private static int skipFence(String[] lines, int start) {
    String open = lines[start].trim();
    String close = open.startsWith("[code]") ? "[/code]" : open.substring(0, 3);
    for (int i = start + 1; i < lines.length; i++) {
      if (lines[i].trim().startsWith(close)) {
        return i + 1;
      }
    }
    return lines.length;
  }

  private static int table(String[] lines, int start, List<Block> out) {
    String headerLine = lines[start].trim();
    List<List<String>> rows = new ArrayList<>();
    List<String> header = cells(headerLine);
    if (!header.isEmpty() && !headerLine.startsWith("|")) {
      // A reader tool glued the header to the sentence before it: "…usage tiers: Model| Base Input Tokens|…".
      String first = header.get(0);
      int cut = Math.max(first.lastIndexOf(": "), first.lastIndexOf(". "));
      if (cut >= 0) {
        String caption = first.substring(0, cut + 1).trim();
        if (!caption.isEmpty()) {
          out.add(Block.text(caption, caption));
        }
        header.set(0, first.substring(cut + 2).trim());
      }
    }
    rows.add(header);
    int i = start + 2;
    while (i < lines.length && !lines[i].trim().isEmpty() && !SEPARATOR.matcher(lines[i].trim()).matches()) {
      if (lines[i].contains("|")) {
        rows.add(cells(lines[i].trim()));
        i++;
        continue;
      }
      // Reader tools break a cell holding <br> over lines without pipes; such lines continue the row above
      // as long as the table goes on after them (a piped line comes before a blank one).
      int j = i;
      while (j < lines.length && !lines[j].trim().isEmpty() && !lines[j].contains("|")
          && !lines[j].trim().startsWith("#")) {
        j++;
      }
      boolean nextTable = j + 1 < lines.length && SEPARATOR.matcher(lines[j + 1].trim()).matches();
      if (j >= lines.length || j - i > 2 || !lines[j].contains("|") || nextTable || rows.size() < 2) {
        break;
      }
      List<String> last = rows.get(rows.size() - 1);
      for (int k = i; k < j; k++) {
        last.set(last.size() - 1, (last.get(last.size() - 1) + " " + clean(lines[k].trim())).trim());
      }
      i = j;
    }
    out.add(Block.table(rows, 1));
    return i;
  }

  /** The cells of a pipe-table row, with or without outer pipes; escaped pipes stay in their cell. */
  static List<String> cells(String line) {
    return MarkdownTables.cells(line, MarkdownBlocks::clean);
  }

  private static int docTable(String[] lines, int start, List<Block> out) {
    List<String> titles = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    boolean inRows = false;
    int i = start;
    for (; i < lines.length; i++) {
      String t = lines[i].trim();
      if (t.startsWith("rows=")) {
        inRows = true;
      }
      Matcher title = DOC_TITLE.matcher(t);
      if (!inRows && title.find()) {
        titles.add(unescapeJs(title.group(1)));
      } else if (inRows && t.startsWith("[") && t.contains("\"")) {
        List<String> row = new ArrayList<>();
        Matcher s = DOC_STRING.matcher(t);
        while (s.find()) {
          row.add(clean(unescapeJs(s.group(1))));
        }
        rows.add(row);
      }
      if (t.endsWith("/>") && i > start || t.equals("/>")) {
        i++;
        break;
      }
    }
    if (!titles.isEmpty()) {
      List<List<String>> grid = new ArrayList<>();
      grid.add(titles);
      grid.addAll(rows);
      out.add(Block.table(grid, 1));
    }
    return i;
  }

  private static String unescapeJs(String s) {
    return s.replace("\\\"", "\"").replace("\\\\", "\\");
  }

  /** Removes markdown and HTML decoration from a line or a cell, keeping its words and numbers. */
  static String clean(String text) {
    if (!MARKUP.matcher(text).find()) {
      return BLANKS.matcher(text).replaceAll(" ").trim();
    }
    String s = STRUCK.matcher(text).replaceAll(" ");
    s = IMAGE.matcher(s).replaceAll("");
    s = LINK.matcher(s).replaceAll("$1");
    s = BR.matcher(s).replaceAll(" ");
    s = TAG.matcher(s).replaceAll(" ");
    s = s.replace("**", "").replace("__", "").replace("`", "");
    s = ESCAPE.matcher(s).replaceAll("$1");
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&nbsp;", " ")
        .replace('\u00a0', ' ').replace('\u200b', ' ');
    return BLANKS.matcher(s).replaceAll(" ").trim();
  }
}
