package io.pricetide.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue #16 case 7: a CSV cell a spreadsheet would run as a formula is neutralised, leading blanks or not. */
class CsvTest {
  private static String cell(String value) {
    StringBuilder b = new StringBuilder();
    Csv.row(b, List.of(value), null);
    return b.toString().replace("\r\n", "");
  }

  @ParameterizedTest(name = "\"{0}\" is written as {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      `=1+1`             | `'=1+1`
      ` =1+1`            | `' =1+1`
      `   +SUM(A1)`      | `'   +SUM(A1)`
      `\u00a0-2`         | `'\u00a0-2`
      ` @cmd`            | `' @cmd`
      `\u3000＝1`         | `'\u3000＝1`
      `gpt-4o`           | `gpt-4o`
      ` plain`           | ` plain`
      """)
  void case7_formulaCellsNeutralisedAfterLeadingBlanks(String value, String expected) {
    assertEquals(expected, cell(value));
  }
}
