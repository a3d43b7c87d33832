package io.pricetide.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The admin bearer check: the whole header must be exactly {@code Bearer <token>}. */
class AdminAuthTest {
  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      Bearer s3cret   | true
      -               | false
      Bearer s3cre    | false
      Bearer s3cret2  | false
      bearer s3cret   | false
      s3cret          | false
      """)
  void bearer(String header, boolean ok) {
    assertEquals(ok, AdminAuth.bearerIs(header, "s3cret"));
  }
}
