package io.pricetide.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.price.Decimals;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #16 case 6: every numeric form a page can write is read exactly or refused, never partly. The page texts go
 * through {@link PageText#amounts} (the number reading of the Anthropic, Gemini, DeepSeek, Moonshot, Alibaba and
 * xAI page extractors) and the table cells through {@link CellValues#money} (html-table, markdown-table); the
 * catalogue values through {@link Decimals#parse}.
 */
class NumericFormsTest {
  private static List<String> amounts(String text) {
    return PageText.amounts(text).stream().map(a -> a.value().toPlainString() + " " + a.currency()).toList();
  }

  private static String cell(String text) {
    Optional<CellValues.Money> m = CellValues.money(text);
    return m.map(x -> x.amount().toPlainString() + " " + x.currency()).orElse("none");
  }

  @ParameterizedTest(name = "page text \"{0}\" reads {1}")
  @CsvSource(delimiter = '|', textBlock = """
      $2.41751e-05 / MTok   | 0.0000241751 USD
      $1e308                | 1E+308 USD
      $1E+3 / MTok          | 1E+3 USD
      $2.5E-6               | 0.0000025 USD
      """)
  void case6_eNotationKeepsItsExponent(String text, String expected) {
    List<String> got = amounts(text);
    assertEquals(1, got.size(), () -> text + ": " + got);
    String[] e = expected.split(" ");
    String[] g = got.get(0).split(" ");
    assertEquals(0, new BigDecimal(e[0]).compareTo(new BigDecimal(g[0])), () -> text + " read as " + got);
    assertEquals(e[1], g[1]);
  }

  @ParameterizedTest(name = "page text \"{0}\" reads {1}")
  @CsvSource(delimiter = '|', textBlock = """
      US$1,234.5 / MTok     | 1234.5 USD
      $12,345,678.25        | 12345678.25 USD
      ＄２．５０ / MTok       | 2.50 USD
      ２．５元               | 2.5 CNY
      ¥１，２３４.５          | 1234.5 CNY
      ¥1.30                 | 1.30 CNY
      2.5元                 | 2.5 CNY
      0.2€ / 1M tokens      | 0.2 EUR
      €0.15                 | 0.15 EUR
      """)
  void case6_separatorsFullWidthAndCurrencySigns(String text, String expected) {
    assertEquals(List.of(expected), amounts(text), text);
  }

  @ParameterizedTest(name = "page text \"{0}\" is refused, not read partly")
  @ValueSource(strings = {"$1,2345 / MTok", "$1.234.567", "$1,234,56", "¥1.2.3", "$2e+05e3"})
  void case6_formsReadOnlyPartlyAreRefused(String text) {
    assertEquals(List.of(), amounts(text), text);
  }

  @ParameterizedTest(name = "cell \"{0}\" reads {1}")
  @CsvSource(delimiter = '|', textBlock = """
      $2.41751e-05          | 0.0000241751 USD
      1e-6                  | 0.000001 null
      $1,234.50             | 1234.50 USD
      ２．５０ USD            | 2.50 USD
      ¥4                    | 4 CNY
      3元                   | 3 CNY
      2,50 €                | 2.50 EUR
      $1,2345               | none
      $1.234.567            | none
      """)
  void case6_tableCells(String text, String expected) {
    String got = cell(text);
    if (expected.equals("none") || got.equals("none")) {
      assertEquals(expected, got, text);
      return;
    }
    String[] e = expected.split(" ");
    String[] g = got.split(" ");
    assertEquals(0, new BigDecimal(e[0]).compareTo(new BigDecimal(g[0])), () -> text + " read as " + got);
    assertEquals(e[1], g[1], text);
  }

  @ParameterizedTest(name = "catalogue value \"{0}\" reads {1}")
  @CsvSource(delimiter = '|', textBlock = """
      2.5e-06      | 0.0000025
      1,234.5      | 1234.5
      ２．５        | 2.5
      """)
  void case6_catalogueValues(String text, String expected) {
    assertTrue(new BigDecimal(expected).compareTo(Decimals.parse(text)) == 0, text);
  }
}
