package io.pricetide.price;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecimalsTest {
  @ParameterizedTest(name = "{0} {1} is {2} per 1M")
  @DisplayName("Units normalise exactly to USD per 1M tokens; a number written as text keeps every digit")
  @CsvSource(delimiter = '|', textBlock = """
      2.5e-06                | per_token | 2.50
      2.4999999999999998e-06 | per_token | 2.4999999999999998
      1.25e-07               | per_token | 0.125
      0.0000006              | per_token | 0.60
      3e-05                  | per_token | 30.00
      0.0015                 | per_1k    | 1.50
      0.002                  | per_1k    | 2.00
      0.075                  | per_1m    | 0.075
      15                     | per_1m    | 15.00
      0                      | per_1m    | 0.00
      1.234567891            | per_1m    | 1.234567891
      4.6875e-09             | per_token | 0.0046875
      0.0000000179348        | per_token | 0.0179348
      1.5e-10                | per_1k    | 0.00000015
      1e20                   | per_token | 100000000000000000000000000.00
      """)
  void normalises(String amount, String unit, String expected) {
    assertEquals(expected, Decimals.money(Decimals.price(Unit.parse(unit).toPerMillion(new BigDecimal(amount)))));
  }

  @ParameterizedTest(name = "JSON number {0} is {1} per token, {2} per 1M")
  @DisplayName("A JSON number is the double it denotes to 15 significant digits, stripped, then scaled exactly")
  @CsvSource(delimiter = '|', textBlock = """
      2.4999999999999998e-06 | 0.0000025        | 2.50
      1.5000020000000002e-05 | 0.00001500002    | 15.00002
      4.6875e-09             | 0.0000000046875  | 0.0046875
      1.79348e-08            | 0.0000000179348  | 0.0179348
      0.30000000000000004    | 0.3              | 300000.00
      3e-05                  | 0.00003          | 30.00
      0                      | 0                | 0.00
      1e20                   | 100000000000000000000 | 100000000000000000000000000.00
      """)
  void jsonNumbers(String json, String perToken, String perMillion) {
    BigDecimal v = Decimals.ofJsonNumber(json);
    assertEquals(perToken, v.toPlainString());
    assertEquals(perMillion, Decimals.money(Decimals.price(Unit.PER_TOKEN.toPerMillion(v))));
  }

  @Test
  @DisplayName("A JSON number beyond a double's range is refused, not turned into a value")
  void jsonOverflow() {
    assertThrows(ArithmeticException.class, () -> Decimals.ofJsonNumber("1e400"));
  }

  @ParameterizedTest(name = "{0} -> {1} is {2}%")
  @DisplayName("Percent change has two decimals, half-up")
  @CsvSource(delimiter = '|', textBlock = """
      10.00 | 7.00  | -30.00
      3     | 1     | -66.67
      0.6   | 0.8   | 33.33
      2.4   | 2.4   | 0.00
      1     | 1.005 | 0.50
      8     | 7     | -12.50
      """)
  void percent(String from, String to, String expected) {
    assertEquals(expected, Decimals.changePct(new BigDecimal(from), new BigDecimal(to)).toPlainString());
  }

  @Test
  @DisplayName("A change from zero has no percentage")
  void fromZero() {
    assertNull(Decimals.changePct(BigDecimal.ZERO, BigDecimal.ONE));
  }

  @Test
  @DisplayName("Conversion uses the configured rate; an unknown currency converts to null, never a guess")
  void currencies() {
    Currencies c = new Currencies(java.util.Map.of("CNY", new BigDecimal("0.14")));
    assertEquals("0.336", Decimals.money(c.toUsd(new BigDecimal("2.40"), "CNY")));
    assertEquals("2.40", Decimals.money(c.toUsd(new BigDecimal("2.40"), "usd")));
    assertNull(c.toUsd(BigDecimal.ONE, "JPY"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("Canonical model ids")
  @CsvSource(delimiter = '|', textBlock = """
      gpt-4o                   | gpt-4o
      openai/gpt-4o            | gpt-4o
      GPT-4o                   | gpt-4o
      Claude Opus 4.1          | claude-opus-4.1
      gemini/gemini-1.5-flash  | gemini-1.5-flash
      o1-mini (deprecated)     | o1-mini
      """)
  void canonical(String model, String expected) {
    assertEquals(expected, CanonicalModels.RULES.canonical(model));
  }
}
