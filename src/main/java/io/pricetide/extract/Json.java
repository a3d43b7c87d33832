package io.pricetide.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The one JSON reader of extraction: floats are read as {@link BigDecimal} from their text, so {@code 2.5e-06}
 * is the decimal 0.0000025, never a binary double.
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

  /** A number or numeric string as a decimal; anything else → empty. */
  public static Optional<BigDecimal> decimal(JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.isNumber()) {
      return Optional.of(node.decimalValue());
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
