package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Unit;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CellValuesTest {
  @ParameterizedTest(name = "\"{0}\" is {1} {2}")
  @DisplayName("Cells as pages write them")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      $2.50                     | 2.50  | USD
      $0.075 / 1M tokens        | 0.075 | USD
      ¥4 / 1M tokens            | 4     | CNY
      0.8元                     | 0.8   | CNY
      2,50 €                    | 2.50  | EUR
      1,234.50                  | 1234.50 | null
      Free                      | 0     | null
      US$1.10                   | 1.10  | USD
      """)
  void money(String cell, String amount, String currency) {
    CellValues.Money m = CellValues.money(cell).orElseThrow();
    assertEquals(0, new java.math.BigDecimal(amount).compareTo(m.amount()), cell);
    assertEquals(currency, m.currency());
  }

  @Test
  @DisplayName("Blank, dash and N/A cells hold no price")
  void noPrice() {
    for (String s : List.of("", "-", "—", "N/A", "n/a (not offered)", "Contact us")) {
      assertTrue(CellValues.money(s).isEmpty(), s);
    }
  }

  @ParameterizedTest(name = "\"{0}\" is {1}")
  @DisplayName("Units are read from header text")
  @CsvSource(delimiter = '|', textBlock = """
      Input (per 1M tokens)   | PER_1M
      Output / 1M             | PER_1M
      Price per million       | PER_1M
      Input (per 1K tokens)   | PER_1K
      元/千tokens per 1k       | PER_1K
      """)
  void units(String header, Unit unit) {
    assertEquals(unit, CellValues.unit(header).orElseThrow());
  }

  @Test
  @DisplayName("Markdown pipe tables: headings, escaped pipes, links and emphasis")
  void markdownTables() {
    String md = """
        # Pricing
        ## Chat models
        | Model | Input | Output |
        |:------|------:|-------:|
        | **[Acme Large](https://acme.example/large)** | $10 | $30 |
        | Acme \\| Mini | `$0.15` | $0.60 |

        Some text.
        | a | b |
        |---|---|
        | 1 | 2 |
        """;
    List<MarkdownTables.Table> tables = MarkdownTables.read(md);
    assertEquals(2, tables.size());
    assertEquals("Chat models", tables.get(0).heading());
    assertEquals(List.of("Model", "Input", "Output"), tables.get(0).headers());
    assertEquals(List.of("Acme Large", "$10", "$30"), tables.get(0).rows().get(0));
    assertEquals(List.of("Acme | Mini", "$0.15", "$0.60"), tables.get(0).rows().get(1));
  }
}
