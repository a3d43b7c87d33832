package io.pricetide.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pricetide.price.Decimals;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The one JSON reader of extraction. Numbers follow the rule of {@link Decimals}: a floating-point JSON number is the
 * double it denotes to 15 significant digits ({@code 2.4999999999999998e-06} is 0.0000025), an integer is exact,
 * and a number written as a JSON string is kept exactly as written.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private Json() {}

  /** Parses a body; truncated or malformed JSON fails with the parser's line and column. */
  public static JsonNode parse(String body, ExtractContext ctx) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ctx.fail("empty JSON document");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw malformed(e, ctx);
    }
  }

  /** The extraction failure for a parser error, with the parser's line and column. */
  static ExtractException malformed(JsonProcessingException e, ExtractContext ctx) {
    return ctx.fail("malformed JSON: " + e.getOriginalMessage() + " at line "
        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
  }

  /** Follows a dotted path ({@code pricing.prompt}); missing or null → empty. */
  public static Optional<JsonNode> at(JsonNode node, String dottedPath) {
    JsonNode cur = node;
    for (String part : dottedPath.split("\\.")) {
      if (cur == null || !cur.isObject()) {
        return Optional.empty();
      }
      cur = cur.get(part);
    }
    return cur == null || cur.isNull() || cur.isMissingNode() ? Optional.empty() : Optional.of(cur);
  }

  /**
   * A number or numeric string as a decimal, by the rule of {@link Decimals}; anything else, or a number beyond the
   * range of a double, → empty.
   */
  public static Optional<BigDecimal> decimal(JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.isIntegralNumber()) {
      return Optional.of(node.decimalValue());
    }
    if (node.isNumber()) {
      // Floats are parsed as BigDecimal (USE_BIG_DECIMAL_FOR_FLOATS), so its text is the document's number.
      try {
        return Optional.of(Decimals.ofJsonNumber(node.decimalValue().toString()));
      } catch (ArithmeticException e) {
        return Optional.empty();
      }
    }
    if (node.isTextual()) {
      try {
        return Optional.of(new BigDecimal(node.asText().trim()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
