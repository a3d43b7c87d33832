package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.extract.PageBlocks.Block;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PageBlocksTest {
  private static List<Block> tables(List<Block> blocks) {
    return blocks.stream().filter(Block::isTable).toList();
  }

  @Test
  @DisplayName("HTML tables: row and column spans are expanded; thead rows are header rows; struck prices dropped")
  void htmlSpans() {
    String html = """
        <html><body><h2>Prices</h2><table>
        <thead><tr><th rowspan="2">Model</th><th colspan="2">Output</th></tr><tr><th>A</th><th>B</th></tr></thead>
        <tbody><tr><td rowspan="2">m1</td><td colspan="2">$1</td></tr>
        <tr><td><del>$9</del> $2</td><td>$3</td></tr></tbody>
        </table></body></html>""";
    Block t = tables(PageBlocks.parse(html, "html")).get(0);
    assertEquals(2, t.headerRows());
    assertEquals(List.of("Model", "Output", "Output"), t.rows().get(0));
    assertEquals(List.of("Model", "A", "B"), t.rows().get(1));
    assertEquals(List.of("m1", "$1", "$1"), t.rows().get(2));
    assertEquals(List.of("m1", "$2", "$3"), t.rows().get(3));
  }

  @Test
  @DisplayName("Markdown: an empty ATX heading takes the title on a later line; setext headings; glued table header")
  void markdownHeadingsAndGluedHeader() {
    String md = """
        ##\s
        [\u200b](https://example.test/#pricing)
        Model pricing
        Totals by model: Model| Input| Output
        ---|---|---
        m1| $1 / MTok| $2 / MTok
        Section
        -------
        """;
    List<Block> blocks = PageBlocks.parse(md, "markdown");
    assertEquals("Model pricing", blocks.get(0).text());
    assertTrue(blocks.get(0).isHeading());
    assertEquals("Totals by model:", blocks.get(1).text());
    assertEquals(List.of("Model", "Input", "Output"), blocks.get(2).header());
    assertEquals(List.of("m1", "$1 / MTok", "$2 / MTok"), blocks.get(2).rows().get(1));
    assertTrue(blocks.get(3).isHeading());
    assertEquals("Section", blocks.get(3).text());
  }

  @Test
  @DisplayName("Markdown: a cell broken over a line without pipes continues its row; code fences are skipped")
  void markdownContinuationAndFences() {
    String md = """
        | MODEL | chat | reasoner |
        ---|---|---
        MODEL VERSION | V3
        (Non-thinking) | V3
        (Thinking)
        PRICE | $1 | $2

        ```
        | not | a | table |
        |---|---|---|
        ```
        """;
    List<Block> t = tables(PageBlocks.parse(md, "markdown"));
    assertEquals(1, t.size());
    assertEquals(List.of("(Non-thinking)", "V3 (Thinking)"), t.get(0).rows().get(2));
    assertEquals(List.of("PRICE", "$1", "$2"), t.get(0).rows().get(3));
  }

  @Test
  @DisplayName("MDX DocTable components become tables; ~~struck~~ prices and escapes are removed from cells")
  void docTableAndCleaning() {
    String md = """
        <DocTable
          columns={[
        { title: "Model", width: "50%" },
        { title: "Input", width: "50%" },
        ]}
          rows={[
        ["m1", "¥1.30"],
        ]}
        />

        | Model | Input |
        | --- | --- |
        | m2 | ~~\\$0.15~~ **\\$0.075** |
        """;
    List<Block> t = tables(PageBlocks.parse(md, "markdown"));
    assertEquals(List.of(List.of("Model", "Input"), List.of("m1", "¥1.30")), t.get(0).rows());
    assertEquals(List.of("m2", "$0.075"), t.get(1).rows().get(1));
  }

  @Test
  @DisplayName("Markdown saved under an html source is read as markdown, and the other way round")
  void sniffing() {
    assertEquals(1, tables(PageBlocks.parse("| Model | Input |\n|---|---|\n| m | $1 |\n", "html")).size());
    assertEquals(1, tables(PageBlocks.parse("<!doctype html><table><tr><td>x</td></tr></table>", "markdown")).size());
  }

  @Test
  @DisplayName("A hostile line (a megabyte of unclosed brackets) is cut to MAX_LINE characters before it is read")
  void hostileLine() {
    String line = "| Model | Input |\n|---|---|\n| m | " + "[".repeat(1_000_000) + " |\n";
    List<Block> t = tables(PageBlocks.parse(line, "markdown"));
    assertEquals(1, t.size());
    assertTrue(t.get(0).rows().get(1).get(1).length() <= MarkdownBlocks.MAX_LINE);
  }
}
